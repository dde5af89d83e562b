package io.github.mediclip.cli;

import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.DatasetException;
import io.github.mediclip.eval.data.DatasetReader;
import io.github.mediclip.eval.data.Layout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Option;

/**
 * The {@code --data} and {@code --layout} options shared by the commands that read a dataset, and the lenient
 * reading: unreadable files are skipped and reported, one line each.
 */
final class DatasetOptions {
    @Option(names = "--data", required = true, description = "Dataset root folder.")
    Path data;

    @Option(names = "--layout", defaultValue = "auto",
            description = "mediclip, mvtec, plain or auto (default: ${DEFAULT-VALUE}).")
    String layout;

    /** A dataset and the number of files the reader skipped (each reported on standard error). */
    record Read(Dataset dataset, int skipped) {}

    /** Reads {@code --data} in {@code --layout}, reporting skipped files and the dataset on {@code err}. */
    Read read(PrintWriter err) {
        Layout parsed = layout(layout);
        Check.directory("--data", data);
        AtomicInteger skipped = new AtomicInteger();
        try {
            Dataset ds = DatasetReader.read(data, parsed, DatasetReader.Options.skipUnreadable()
                    .withWarnings(w -> {
                        skipped.incrementAndGet();
                        err.println("mediclip: skipped: " + w);
                        err.flush();
                    }));
            err.println("mediclip: dataset " + ds.describe()
                    + (skipped.get() > 0 ? " (" + skipped.get() + " files skipped, see above)" : ""));
            err.flush();
            return new Read(ds, skipped.get());
        } catch (DatasetException e) {
            e.problems().forEach(p -> err.println("mediclip: problem: " + p));
            throw new CliException("cannot read dataset " + data + ": " + e.getMessage());
        }
    }

    private static Layout layout(String spec) {
        try {
            return Layout.valueOf(spec.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("--layout must be mediclip, mvtec, plain or auto, but was '" + spec + "'",
                    MediClipCli.EXIT_USAGE);
        }
    }
}
