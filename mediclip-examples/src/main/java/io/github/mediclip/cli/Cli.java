package io.github.mediclip.cli;

import io.github.mediclip.train.FitListener;
import io.github.mediclip.train.FitSummary;
import io.github.mediclip.train.StopReason;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Helpers shared by the commands: a progress listener on the command's error stream, parent
 * folders.
 */
final class Cli {
  private Cli() {}

  /** One line per epoch on the given writer (standard error). */
  static FitListener progress(PrintWriter err, String prefix) {
    return new FitListener() {
      private int epochs;
      private long start;

      @Override
      public void onTrainingStart(int epochs, int stepsPerEpoch) {
        this.epochs = epochs;
        this.start = System.nanoTime();
        err.printf(
            Locale.ROOT,
            "%straining: up to %d epochs, %d steps per epoch%n",
            prefix,
            epochs,
            stepsPerEpoch);
        err.flush();
      }

      @Override
      public boolean onEpochEnd(int epoch, double trainLoss, Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
        err.printf(
            Locale.ROOT,
            "%sepoch %d/%d loss %.4f%s (%.1f s)%n",
            prefix,
            epoch,
            epochs,
            trainLoss,
            sb,
            (System.nanoTime() - start) / 1e9);
        err.flush();
        return true;
      }

      @Override
      public void onTrainingEnd(FitSummary s) {
        err.printf(
            Locale.ROOT,
            "%straining done: %d epochs in %.1f s, kept epoch %d (%s %.4f)%s%n",
            prefix,
            s.epochsRun(),
            s.seconds(),
            s.bestEpoch(),
            s.selectionMetric(),
            s.bestMetric(),
            s.stopReason() == StopReason.COMPLETED ? "" : ", stopped: " + s.stopReason().label());
        err.flush();
      }
    };
  }

  /** Creates the folder that will hold {@code file}, if it has one and it does not exist yet. */
  static void createParentDirectories(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
