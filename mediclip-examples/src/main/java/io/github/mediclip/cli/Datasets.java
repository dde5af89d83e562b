package io.github.mediclip.cli;

import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.DatasetException;
import io.github.mediclip.eval.data.DatasetReader;
import io.github.mediclip.eval.data.Layout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Reads datasets leniently: unreadable files are skipped and reported, one line each. */
final class Datasets {
    private Datasets() {}

    /** A dataset and the number of files the reader skipped (each reported on standard error). */
    record Read(Dataset dataset, int skipped) {}

    static Read read(Path root, Layout layout, PrintWriter err) {
        Check.directory("--data", root);
        AtomicInteger skipped = new AtomicInteger();
        try {
            Dataset ds = DatasetReader.read(root, layout, DatasetReader.Options.skipUnreadable()
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
            throw new CliException("cannot read dataset " + root + ": " + e.getMessage());
        }
    }
}
