package io.github.mediclip.cli;

import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.Sample;
import io.github.mediclip.synth.AnomalySynthesizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mediclip train}: trains MediCLIP heads on k normal images and saves a detector bundle. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains MediCLIP heads on k normal images of a dataset's training split (the other normal "
                + "training images, if any, are held out for validation together with synthesized anomalies) and "
                + "saves a detector bundle. Unreadable images are skipped, each reported on standard error with "
                + "its path and reason. Prints one JSON line."})
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DatasetOptions dataset;

    @Option(names = "--backbone", required = true, description = "CLIP model folder (see init-backbone).")
    Path backbone;

    @Option(names = "--k", defaultValue = "16", description = "Number of normal shots (default: ${DEFAULT-VALUE}).")
    int k;

    @Mixin SeedOption seed;

    @Option(names = "--epochs", description = "Maximum epochs (default: the library's, 200).")
    Integer epochs;

    @Option(names = "--batch-size", description = "Batch size (default: the library's, 8).")
    Integer batchSize;

    @Option(names = "--lr", description = "Adam learning rate (default: the library's, 1e-3).")
    Double lr;

    @Option(names = "--image-size", description = "Model input size S (default: the backbone's).")
    Integer imageSize;

    @Option(names = "--synthesis", description = "Synthesis mixture, e.g. CutpasteTask:0.5,IdentityTask:0.5 "
            + "(default: the reference mixture).")
    String synthesis;

    @Option(names = "--patience", description = "Early stop after this many epochs without improvement.")
    Integer patience;

    @Mixin DeviceOption device;

    @Option(names = "--out", required = true, description = "Bundle folder to write.")
    Path out;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        // every option value is checked before any work: a bad value is a usage error (exit code 2)
        Check.range("--k", k, 1, 100_000);
        if (epochs != null) {
            Check.range("--epochs", epochs, 1, 100_000);
        }
        if (batchSize != null) {
            Check.range("--batch-size", batchSize, 1, 1024);
        }
        if (lr != null) {
            Check.learningRate("--lr", lr);
        }
        if (imageSize != null) {
            Check.imageSize("--image-size", imageSize);
        }
        if (patience != null) {
            Check.range("--patience", patience, 0, 100_000);
        }
        AnomalySynthesizer synth = synthesis == null ? null : Synth.create("--synthesis", synthesis);
        dataset.validate();
        device.validate();
        Check.directory("--backbone", backbone);
        DatasetOptions.Read read = dataset.decodableTrain(dataset.read(err), err);
        Dataset ds = read.dataset();
        List<Path> normals = new ArrayList<>();
        for (Sample s : ds.train()) {
            if (!s.anomalous()) {
                normals.add(s.image());
            }
        }
        if (normals.size() < k) {
            throw new CliException("--k " + k + " but " + dataset.data + " has only " + normals.size()
                    + " readable normal training images");
        }
        Backbones.warnIfRandom(backbone, err);
        MediClip.Builder b = MediClip.builder()
                .setBackbone(backbone)
                .optShots(k)
                .optSeed(seed.value)
                .optDevice(device.device())
                .optListener(Cli.progress(err, ""));
        if (epochs != null) {
            b.optEpochs(epochs);
        }
        if (batchSize != null) {
            b.optBatchSize(batchSize);
        }
        if (lr != null) {
            b.optLearningRate(lr);
        }
        if (imageSize != null) {
            b.optImageSize(imageSize);
        }
        if (patience != null) {
            b.optPatience(patience);
        }
        if (synth != null) {
            b.optSynthesis(synth);
        }
        MediClip mediclip = b.build();
        try (MediClipDetector detector = mediclip.fit(normals)) {
            detector.save(out);
            BundleManifest m = detector.manifest();
            Map<String, Object> o = Json.object();
            o.put("bundle", out.toString());
            o.put("dataset", ds.name());
            o.put("k", k);
            o.put("seed", seed.value);
            o.put("train_pool", normals.size());
            o.put("skipped_files", read.skipped());
            o.put("epochs_run", m.training().summary().epochsRun());
            o.put("best_epoch", m.training().summary().bestEpoch());
            o.put("selection_metric", m.training().summary().selectionMetric());
            o.put("best_metric", m.training().summary().bestMetric());
            o.put("seconds", m.training().summary().seconds());
            o.put("device", m.provenance().device());
            o.put("random_backbone", Backbones.isRandom(backbone));
            spec.commandLine().getOut().println(Json.line(o));
        }
        return MediClipCli.EXIT_OK;
    }
}
