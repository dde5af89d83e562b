package io.github.mediclip.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs several command lines, separated by {@code --next}, in one JVM (one engine start for many
 * cases) and prints each one's exit code and standard error as {@code @@exit N} and {@code @@err
 * LINE} lines.
 */
public final class CliBatchMain {
  private CliBatchMain() {}

  public static void main(String[] args) {
    List<List<String>> runs = new ArrayList<>();
    List<String> cur = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--next")) {
        runs.add(cur);
        cur = new ArrayList<>();
      } else {
        cur.add(a);
      }
    }
    runs.add(cur);
    for (List<String> r : runs) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          MediClipCli.execute(
              new PrintWriter(out, true), new PrintWriter(err, true), r.toArray(String[]::new));
      System.out.println("@@run " + String.join(" ", r));
      System.out.println("@@exit " + code);
      err.toString().lines().forEach(l -> System.out.println("@@err " + l));
      out.toString().lines().forEach(l -> System.out.println("@@out " + l));
    }
    System.out.println("@@done " + Arrays.asList(args).size());
    System.out.flush();
    System.exit(0);
  }
}
