package io.github.mediclip.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the tool in-process and captures its output. */
final class CliTestSupport {
  private CliTestSupport() {}

  record Result(int exitCode, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\\R");
      return lines[lines.length - 1];
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MediClipCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }
}
