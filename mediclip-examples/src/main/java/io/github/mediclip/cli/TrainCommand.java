package io.github.mediclip.cli;

import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.MediClipException;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.BundleOutput;
import io.github.mediclip.bundle.SaveOptions;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.Sample;
import io.github.mediclip.synth.AnomalySynthesizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** How long a SIGINT waits for the best heads to be saved before the JVM exits. */
    static final long SAVE_GRACE_SECONDS = 120;

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

    @Option(names = "--out", required = true, description = "Bundle folder (or .zip) to write: a new or empty "
            + "folder, or an existing bundle with --overwrite. Anything else, and any output inside or containing "
            + "--data or --backbone, is refused before training starts.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing detector bundle at --out (never anything "
            + "that is not a bundle).")
    boolean overwrite;

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
        // The output is checked, probed and locked before anything else runs (docs/reliability-outputs.md).
        SaveOptions saveOptions = SaveOptions.builder().optOverwrite(overwrite).addProtectedPath(dataset.data)
                .addProtectedPath(backbone).build();
        try (BundleOutput reserved = reserve(out, saveOptions)) {
            reserved.recovered().forEach(note -> err.println("mediclip: " + note));
            return train(err, saveOptions, synth);
        }
    }

    private static BundleOutput reserve(Path out, SaveOptions options) {
        try {
            return BundleOutput.reserve(out, options);
        } catch (MediClipException e) {
            throw new CliException(e.getMessage());
        }
    }

    private Integer train(PrintWriter err, SaveOptions saveOptions, AnomalySynthesizer synth) {
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
        // SIGINT (Ctrl-C): stop after the current step, keep the best state so far, save it, and say so.
        Thread trainer = Thread.currentThread();
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            err.println("mediclip: interrupted: stopping after the current step; the best heads so far will be saved"
                    + " to " + out);
            err.flush();
            trainer.interrupt();
            try {
                finished.await(SAVE_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // the JVM is exiting anyway
            }
        }, "mediclip-train-sigint");
        Runtime.getRuntime().addShutdownHook(hook);
        try (MediClipDetector detector = mediclip.fit(normals)) {
            boolean stopped = interrupted.get() | Thread.interrupted(); // clear the flag: file channels need it off
            BundleManifest m = detector.manifest();
            if (stopped && m.training().summary().epochsRun() < 1) {
                err.println("mediclip: interrupted before the first epoch ended: nothing was saved");
                err.flush();
                return MediClipCli.EXIT_FAILURE;
            }
            try {
                detector.save(out, saveOptions);
            } catch (MediClipException e) {
                throw new CliException(e.getMessage());
            }
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
            o.put("stop_reason", m.training().summary().stopReason());
            spec.commandLine().getOut().println(Json.line(o));
            spec.commandLine().getOut().flush();
            if (stopped) {
                err.printf(Locale.ROOT, "mediclip: interrupted: saved the best heads so far (epoch %d of %d run) to %s%n",
                        m.training().summary().bestEpoch(), m.training().summary().epochsRun(), out);
                err.flush();
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the latch counted down above
            }
        }
        return MediClipCli.EXIT_OK;
    }
}
