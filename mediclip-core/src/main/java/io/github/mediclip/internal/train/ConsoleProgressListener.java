package io.github.mediclip.internal.train;

import io.github.mediclip.train.FitListener;
import io.github.mediclip.train.FitSummary;
import io.github.mediclip.train.StopReason;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link FitListener} that prints progress. On a terminal it redraws one progress-bar line with a
 * carriage return; otherwise (a log file, CI) it prints one plain line per epoch with no control
 * characters. Numbers are formatted with {@link Locale#ROOT}.
 */
public final class ConsoleProgressListener implements FitListener {

  private static final int BAR_WIDTH = 30;

  private final PrintStream out;
  private final boolean interactive;
  private int epochs;
  private long startNanos;

  /**
   * Creates the listener.
   *
   * @param out where to print (usually {@code System.err})
   * @param interactive {@code true} for a redrawn bar on a terminal, {@code false} for one line per
   *     epoch
   */
  public ConsoleProgressListener(PrintStream out, boolean interactive) {
    this.out = Objects.requireNonNull(out, "out");
    this.interactive = interactive;
  }

  @Override
  public void onTrainingStart(int epochs, int stepsPerEpoch) {
    this.epochs = epochs;
    this.startNanos = System.nanoTime();
    out.printf(
        Locale.ROOT, "training: up to %d epochs, %d steps per epoch%n", epochs, stepsPerEpoch);
  }

  @Override
  public boolean onEpochEnd(int epoch, double trainLoss, Map<String, Double> metrics) {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    String line =
        String.format(
            Locale.ROOT,
            "epoch %d/%d loss %.4f val %.4f best %.4f (%.1f s)",
            epoch,
            epochs,
            trainLoss,
            metrics.getOrDefault("selection", Double.NaN),
            metrics.getOrDefault("best", Double.NaN),
            elapsed);
    if (interactive) {
      int filled = epochs == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * epoch / epochs);
      String bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
      out.print("\r[" + bar + "] " + line);
      if (epoch == epochs) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
    return true;
  }

  @Override
  public void onTrainingEnd(FitSummary summary) {
    if (interactive) {
      out.println();
    }
    out.printf(
        Locale.ROOT,
        "training done: %d epochs, best epoch %d (%s %.4f), %.1f s%s%n",
        summary.epochsRun(),
        summary.bestEpoch(),
        summary.selectionMetric(),
        summary.bestMetric(),
        summary.seconds(),
        summary.stopReason() == StopReason.COMPLETED
            ? ""
            : ", stopped: " + summary.stopReason().label());
    out.flush();
  }
}
