package io.github.mediclip.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Validation of option values; a bad value is a usage error (exit code 2) naming the option and value. */
final class Check {
    private Check() {}

    static void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new CliException(String.format(Locale.ROOT, "%s must be in [%d, %d], but was %d", option, min, max,
                    value), MediClipCli.EXIT_USAGE);
        }
    }

    static void positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new CliException(String.format(Locale.ROOT, "%s must be a positive number, but was %s", option,
                    value), MediClipCli.EXIT_USAGE);
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
            throw new CliException(option + " " + file + " is not a readable file", MediClipCli.EXIT_FAILURE);
        }
        return file;
    }
}
