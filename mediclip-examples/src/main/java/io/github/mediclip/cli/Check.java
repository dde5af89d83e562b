package io.github.mediclip.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Validation of option values; a bad value is a usage error (exit code 2) naming the option and
 * value.
 */
final class Check {
  private Check() {}

  static void range(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new CliException(
          String.format(Locale.ROOT, "%s must be in [%d, %d], but was %d", option, min, max, value),
          MediClipCli.EXIT_USAGE);
    }
  }

  /** The largest {@code --image-size} the CLI accepts; see {@link #imageSize}. */
  static final int MAX_IMAGE_SIZE = 1024;

  /**
   * Checks {@code --image-size}: 16 to {@value #MAX_IMAGE_SIZE}. The cap is a memory limit: the
   * vision tower's attention grows with (S / patch)^4, and S = 4096 needed more than 6 GiB for one
   * image at batch size 1.
   */
  static void imageSize(String option, int value) {
    if (value < 16 || value > MAX_IMAGE_SIZE) {
      throw new CliException(
          String.format(
              Locale.ROOT,
              "%s must be in [16, %d], but was %d%s",
              option,
              MAX_IMAGE_SIZE,
              value,
              value > MAX_IMAGE_SIZE
                  ? ": larger inputs need more memory than a run can"
                      + " count on (attention memory grows with (S/patch)^4; 4096 needed over 6 GiB for one image)."
                      + " MediCLIP uses 224 to 336"
                  : ""),
          MediClipCli.EXIT_USAGE);
    }
  }

  /** Checks a learning rate: a finite number in (0, 1]. */
  static void learningRate(String option, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new CliException(
          String.format(Locale.ROOT, "%s must be in (0, 1], but was %s", option, value),
          MediClipCli.EXIT_USAGE);
    }
  }

  /** Checks a fraction in (0, 1]. */
  static void fraction(String option, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new CliException(
          String.format(Locale.ROOT, "%s must be in (0, 1], but was %s", option, value),
          MediClipCli.EXIT_USAGE);
    }
  }

  static void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new CliException(
          String.format(Locale.ROOT, "%s must be a positive number, but was %s", option, value),
          MediClipCli.EXIT_USAGE);
    }
  }

  static Path directory(String option, Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CliException(option + " " + dir + " is not a folder", MediClipCli.EXIT_FAILURE);
    }
    return dir;
  }

  static Path file(String option, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(
          option + " " + file + " is not a readable file", MediClipCli.EXIT_FAILURE);
    }
    return file;
  }
}
