package io.github.mediclip.internal.clip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Shape checks shared by the weight formats (moved out of the exported {@code ClipWeights}). */
public final class WeightShapes {

  private WeightShapes() {}

  /**
   * Compares available tensor shapes with the expected ones (the check behind both weight formats).
   *
   * @param expected name to expected shape
   * @param shapes name to shape of the available tensors
   * @param optional expected names that may be missing
   * @param gridName the positional-embedding tensor, which may hold another square grid ({@link
   *     #resizableGrid})
   * @param ignoredUnexpected which names that are not expected are tolerated
   * @return one line per kind of problem ("%n 3 missing: a, b, c"), or "" when the shapes fit
   */
  public static String problems(
      Map<String, long[]> expected,
      Map<String, long[]> shapes,
      Set<String> optional,
      String gridName,
      Predicate<String> ignoredUnexpected) {
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> misShaped = new ArrayList<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      String name = e.getKey();
      long[] actual = shapes.get(name);
      if (actual == null) {
        if (!optional.contains(name)) {
          missing.add(name + " " + Arrays.toString(e.getValue()));
        }
      } else if (!Arrays.equals(actual, e.getValue())
          && !(name.equals(gridName) && resizableGrid(actual, e.getValue()))) {
        misShaped.add(
            name
                + " has shape "
                + Arrays.toString(actual)
                + ", expected "
                + Arrays.toString(e.getValue()));
      }
    }
    for (String name : new TreeSet<>(shapes.keySet())) {
      if (!expected.containsKey(name) && !ignoredUnexpected.test(name)) {
        unexpected.add(name + " " + Arrays.toString(shapes.get(name)));
      }
    }
    StringBuilder sb = new StringBuilder();
    if (!missing.isEmpty()) {
      sb.append(
          String.format(
              Locale.ROOT, "%n  %d missing: %s", missing.size(), String.join(", ", missing)));
    }
    if (!unexpected.isEmpty()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%n  %d unexpected: %s",
              unexpected.size(),
              String.join(", ", unexpected)));
    }
    if (!misShaped.isEmpty()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%n  %d mis-shaped: %s",
              misShaped.size(),
              String.join("; ", misShaped)));
    }
    return sb.toString();
  }

  /**
   * Whether a positional embedding of another square grid can be resized to the expected one.
   *
   * @param actual the available shape
   * @param expected the expected shape
   * @return true when {@code actual} is (1 + h·h, W) for some h and {@code expected} is (1 + g·g,
   *     W)
   */
  public static boolean resizableGrid(long[] actual, long[] expected) {
    return actual.length == 2
        && expected.length == 2
        && actual[1] == expected[1]
        && actual[0] > 1
        && squareSide(actual[0] - 1) > 0;
  }

  /**
   * Returns the side of a square number.
   *
   * @param n the number
   * @return s with s·s = n, or -1
   */
  public static int squareSide(long n) {
    long s = Math.round(Math.sqrt((double) n));
    return s * s == n ? (int) s : -1;
  }
}
