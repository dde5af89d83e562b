package io.github.mediclip.cli;

import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.DatasetException;
import io.github.mediclip.eval.data.DatasetReader;
import io.github.mediclip.eval.data.Layout;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Reads datasets leniently: unreadable files are skipped and reported, one line each. */
final class Datasets {
    private Datasets() {}

    static Dataset read(Path root, Layout layout, PrintWriter err) {
        Check.directory("--data", root);
        try {
            Dataset ds = DatasetReader.read(root, layout, DatasetReader.Options.skipUnreadable()
                    .withWarnings(w -> {
                        err.println("mediclip: skipped: " + w);
                        err.flush();
                    }));
            err.println("mediclip: dataset " + ds.describe());
            err.flush();
            return ds;
        } catch (DatasetException e) {
            e.problems().forEach(p -> err.println("mediclip: problem: " + p));
            throw new CliException("cannot read dataset " + root + ": " + e.getMessage());
        }
    }
}
