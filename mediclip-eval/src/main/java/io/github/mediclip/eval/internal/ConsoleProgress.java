package io.github.mediclip.eval.internal;

import ai.djl.util.Progress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * A DJL {@link Progress} that writes to a given stream (standard error, like the training progress)
 * instead of DJL's {@code ProgressBar}, which writes to standard output. On a terminal it redraws
 * one line with a carriage return; otherwise it prints a plain line at every tenth of the work, so
 * logs get no control characters.
 */
public final class ConsoleProgress implements Progress {

  private static final int BAR_WIDTH = 30;

  private final PrintStream out;
  private final boolean interactive;
  private String message = "";
  private long max;
  private long progress;
  private int shown = -1;

  /**
   * Creates the progress sink.
   *
   * @param out where to print (usually {@code System.err})
   * @param interactive {@code true} to redraw one line on a terminal, {@code false} for plain lines
   */
  public ConsoleProgress(PrintStream out, boolean interactive) {
    this.out = Objects.requireNonNull(out, "out");
    this.interactive = interactive;
  }

  @Override
  public void reset(String message, long max, String trailingMessage) {
    this.message = message == null ? "" : message;
    this.max = max;
    this.progress = 0;
    this.shown = -1;
  }

  @Override
  public void start(long initialProgress) {
    update(initialProgress, null);
  }

  @Override
  public void end() {
    update(max, null);
    if (interactive) {
      out.println();
      out.flush();
    }
  }

  @Override
  public void increment(long increment) {
    update(progress + increment, null);
  }

  @Override
  public void update(long progress, String additional) {
    this.progress = progress;
    int percent = max <= 0 ? 100 : (int) Math.min(100, 100 * progress / max);
    int step = interactive ? percent : percent / 10 * 10;
    if (step == shown) {
      return;
    }
    shown = step;
    String line = String.format(Locale.ROOT, "%s %d/%d (%d%%)", message, progress, max, percent);
    if (interactive) {
      int filled = BAR_WIDTH * percent / 100;
      out.print("\r[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + line);
    } else {
      out.println(line);
    }
    out.flush();
  }
}
