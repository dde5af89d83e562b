package io.github.mediclip.cli;

import io.github.mediclip.MediClipDetector;
import io.github.mediclip.eval.EvaluationResult;
import io.github.mediclip.eval.DetectorEvaluator;
import io.github.mediclip.eval.ImageScorer;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.internal.OutputFolders;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mediclip evaluate}: metrics and a report folder for a bundle on a dataset's test split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluates a detector bundle on the test split of a dataset and writes a report folder "
                + "(metrics.json, scores.csv, roc.png, pr.png, overlays.png, index.html). Unreadable images are "
                + "skipped, each reported on standard error with its path and reason. The report is written as a whole (a hidden "
                + "sibling folder swapped in at the end); an existing --out is replaced only when it holds nothing but "
                + "a report, and --out must lie outside --data. Prints one JSON line with "
                + "the metrics: image_auroc (with a bootstrap 95 %% interval), image_ap, image_f1max and, when "
                + "every anomalous test image has a mask, pixel_auroc, pixel_ap, pixel_f1max, pixel_aupro."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DetectorOptions bundle;

    @Mixin DatasetOptions dataset;

    @Option(names = "--batch-size", defaultValue = "8", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", required = true, description = "Report folder to write.")
    Path out;

    @Override
    public Integer call() {
        Check.range("--batch-size", batchSize, 1, 4096);
        dataset.validate();
        bundle.validate();
        dataset.checkOutside("--out", out);
        try {
            OutputFolders.checkReplaceable(out, OutputFolders.EVALUATION_REPORT);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        DatasetOptions.Read read = dataset.read(err);
        Dataset ds = read.dataset();
        AtomicInteger undecodable = new AtomicInteger();
        DetectorEvaluator evaluator = DetectorEvaluator.builder().optBatchSize(batchSize).optWarnings(w -> {
            undecodable.incrementAndGet();
            err.println("mediclip: skipped: " + w);
            err.flush();
        }).build();
        EvaluationResult r;
        int normalsSeen;
        MediClipDetector detector = bundle.load();
        try (ImageScorer scorer = ImageScorer.of(detector)) {
            normalsSeen = detector.manifest().training().summary().normalsSeen();
            r = evaluator.evaluate(scorer, ds, out);
        }
        Map<String, Object> o = Results.metrics(r);
        o.put("model", bundle.model.toString());
        o.put("normals_seen", normalsSeen);
        o.put("skipped_files", read.skipped() + undecodable.get());
        spec.commandLine().getOut().println(Json.line(o));
        return MediClipCli.EXIT_OK;
    }
}
