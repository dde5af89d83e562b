package io.github.mediclip.internal.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Rules of the heads configuration shared by {@code HeadsConfig} and {@code MediClip.Builder}: the
 * default adapter layers for a backbone depth and the check of the prompt lists, written once.
 */
public final class HeadsRules {

  private HeadsRules() {}

  /**
   * The default adapter layers for a backbone depth.
   *
   * @param depth number of vision blocks L
   * @return {@code L/2, 3L/4, L} when L % 4 == 0, else {@code L/3, 2L/3, L} (deduplicated)
   */
  public static int[] defaultLayers(int depth) {
    int[] l =
        depth % 4 == 0
            ? new int[] {depth / 2, 3 * depth / 4, depth}
            : new int[] {Math.max(1, depth / 3), Math.max(1, 2 * depth / 3), depth};
    return Arrays.stream(l).distinct().toArray();
  }

  /**
   * Checks a list of prompt phrases: not null, not empty, no null or blank entry.
   *
   * @param field the field name used in the messages ({@code normalPrompts}, ...)
   * @param prompts the phrases
   * @throws NullPointerException naming the field when the list is null
   * @throws IllegalArgumentException naming the field and entry when the list is empty or an entry
   *     is null or blank
   */
  public static void checkPrompts(String field, List<String> prompts) {
    Objects.requireNonNull(prompts, field);
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    for (int i = 0; i < prompts.size(); i++) {
      String p = prompts.get(i);
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException(
            field
                + "["
                + i
                + "] must not be null or blank, got: "
                + (p == null ? "null" : "'" + p + "'"));
      }
    }
  }
}
