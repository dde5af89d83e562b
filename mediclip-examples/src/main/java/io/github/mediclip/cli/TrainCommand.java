package io.github.mediclip.cli;

import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.MediClipException;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.BundleOutput;
import io.github.mediclip.bundle.SaveOptions;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.formats.IntensityPolicy;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.train.KShotSampler;
import io.github.mediclip.train.LabeledImage;
import io.github.mediclip.train.ShotFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mediclip train}: trains MediCLIP heads on k normal images and saves a detector bundle. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains MediCLIP heads on k normal images of a dataset's training split and saves a detector "
          + "bundle, with the shots in a shot file next to it (<out>.shots.txt, one path per line relative to "
          + "--data). k-shot protocol: only the k shots are used (validation on anomalies synthesized on "
          + "them); --holdout-validation also validates on the other normal training images. Unreadable "
          + "images are skipped, each reported on standard error with its path and reason. Prints one JSON "
          + "line.",
      "--layout volumes: --data is a folder of volumes (NIfTI files NAME.nii[.gz], DICOM files NAME.dcm, "
          + "DICOM series folders NAME/) with optional masks NAME_mask.nii[.gz] (next to them or in --masks "
          + "DIR), and --normal-slices states the normal slices: all, mask-free or NAME:FROM-TO[,...]. The k "
          + "shots are drawn from those slices; each is named VOLUME#k (0-based slice index) in the manifest "
          + "and the shot file, and --shots reads such a file back. The slices are mapped to 0..255 by "
          + "--intensity-policy (recorded in the bundle)."
    })
final class TrainCommand implements Callable<Integer> {
  /** How long a SIGINT waits for the best heads to be saved before the JVM exits. */
  static final long SAVE_GRACE_SECONDS = 120;

  /** Counted down when the command is over, output lock released: the SIGINT hook waits for it. */
  private final CountDownLatch finished = new CountDownLatch(1);

  @Spec CommandSpec spec;

  @Mixin DatasetOptions dataset;

  @Option(
      names = "--backbone",
      required = true,
      description = "CLIP model folder (see init-backbone).")
  Path backbone;

  static final int DEFAULT_K = 16;

  @Option(
      names = "--k",
      description =
          "Number of normal shots, drawn with the seed (default: 16, or the number "
              + "of lines of --shots).")
  Integer kOption;

  @Option(
      names = "--shots",
      paramLabel = "FILE",
      description =
          "Shot file (one image path per line, relative to "
              + "--data or absolute, as written next to a bundle or by sweep): train on exactly these images.")
  Path shotsFile;

  @Option(
      names = "--holdout-validation",
      description =
          "Also use the other normal training images for validation "
              + "(model selection and thresholds); the run then sees more than k normal images.")
  boolean holdoutValidation;

  /** k as used: from --k, from the lines of --shots, or the default. */
  private int k;

  /** The shots of --shots, or null when they are drawn. */
  private List<Path> fixedShots;

  @Mixin VolumeTrainOptions volumes;

  @Mixin SeedOption seed;

  @Option(names = "--epochs", description = "Maximum epochs (default: the library's, 200).")
  Integer epochs;

  @Option(names = "--batch-size", description = "Batch size (default: the library's, 8).")
  Integer batchSize;

  @Option(names = "--lr", description = "Adam learning rate (default: the library's, 1e-3).")
  Double lr;

  @Option(names = "--image-size", description = "Model input size S (default: the backbone's).")
  Integer imageSize;

  @Option(
      names = "--synthesis",
      description =
          "Synthesis mixture, e.g. CutpasteTask:0.5,IdentityTask:0.5 "
              + "(default: the reference mixture).")
  String synthesis;

  @Option(
      names = "--patience",
      description = "Early stop after this many epochs without improvement.")
  Integer patience;

  @Mixin DeviceOption device;

  @Option(
      names = "--out",
      required = true,
      description =
          "Bundle folder (or .zip) to write: a new or empty "
              + "folder, or an existing bundle with --overwrite. Anything else, and any output inside or containing "
              + "--data or --backbone, is refused before training starts.")
  Path out;

  @Option(
      names = "--overwrite",
      description =
          "Replace an existing detector bundle at --out (never anything "
              + "that is not a bundle).")
  boolean overwrite;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    // every option value is checked before any work: a bad value is a usage error (exit code 2)
    fixedShots = shotsFile == null ? null : readShotFile("--shots", shotsFile, dataset.data);
    k = fixedShots != null ? fixedShots.size() : kOption != null ? kOption : DEFAULT_K;
    if (fixedShots != null && kOption != null && kOption != k) {
      throw new CliException(
          "--k "
              + kOption
              + " but --shots "
              + shotsFile
              + " lists "
              + k
              + " images; "
              + "leave out --k");
    }
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
    if (!volumes.validate(dataset.layout, dataset.data, holdoutValidation)) {
      dataset.validate();
    }
    Path masks = volumes.masks();
    device.validate();
    Check.directory("--backbone", backbone);
    // The output is checked, probed and locked before anything else runs (docs/reliability.md).
    SaveOptions.Builder saveBuilder =
        SaveOptions.builder()
            .optOverwrite(overwrite)
            .addProtectedPath(dataset.data)
            .addProtectedPath(backbone);
    if (masks != null && !masks.equals(dataset.data)) {
      saveBuilder.addProtectedPath(masks);
    }
    SaveOptions saveOptions = saveBuilder.build();
    try (BundleOutput reserved = reserve(out, saveOptions)) {
      reserved.recovered().forEach(note -> err.println("mediclip: " + note));
      return train(err, saveOptions, synth);
    } finally {
      // Only now, with the reservation (and its lock file) released, may a SIGINT hook let the JVM
      // halt.
      finished.countDown();
    }
  }

  private static BundleOutput reserve(Path out, SaveOptions options) {
    try {
      return BundleOutput.reserve(out, options);
    } catch (MediClipException e) {
      throw new CliException(e.getMessage());
    }
  }

  /**
   * What one run trains on.
   *
   * @param pool what {@code MediClip.fit} takes: the normal image files, or the decoded shots
   * @param shots the shots as paths (written to the shot file relative to --data)
   * @param shotIds the ids the manifest must record for them
   * @param poolSize the number of normal images or slices drawn from
   * @param skipped files skipped (each reported)
   * @param datasetName for the JSON line
   * @param policy the intensity policy (volumes), or null
   * @param extra further fields of the JSON line
   */
  private record Plan(
      List<?> pool,
      List<Path> shots,
      List<String> shotIds,
      int poolSize,
      int skipped,
      String datasetName,
      IntensityPolicy policy,
      Map<String, Object> extra) {}

  private Integer train(PrintWriter err, SaveOptions saveOptions, AnomalySynthesizer synth) {
    Plan plan = volumes.active() ? volumePlan(err) : imagePlan(err);
    return train(err, saveOptions, synth, plan);
  }

  /**
   * Volumes: the pool of normal slices, the draw (or --shots), and the shots decoded with the
   * policy. Only the k shots are given to {@code fit}, in the order drawn (k of k: the identity
   * draw), so nothing else can be trained on.
   */
  private Plan volumePlan(PrintWriter err) {
    VolumeTrainOptions.Drawn d =
        volumes.draw(dataset.data, k, seed.value, fixedShots, shotsFile, err);
    Path name = dataset.data.toAbsolutePath().normalize().getFileName();
    return new Plan(
        d.images(),
        d.ids().stream().map(dataset.data::resolve).toList(),
        d.ids(),
        d.poolSize(),
        d.skipped(),
        name == null ? dataset.data.toString() : name.toString(),
        d.policy(),
        d.json());
  }

  private Plan imagePlan(PrintWriter err) {
    // k-shot protocol: the pool is listed, not opened; only the shots are decoded (checkShots).
    // With hold-out
    // validation the other images are read too, so undecodable ones are skipped and reported first.
    DatasetOptions.Read read =
        holdoutValidation
            ? dataset.decodableTrain(dataset.read(err), err)
            : dataset.read(err, true);
    Dataset ds = read.dataset();
    List<Path> normals = new ArrayList<>();
    for (LabeledImage s : ds.train()) {
      if (!s.anomalous()) {
        normals.add(s.file());
      }
    }
    if (normals.size() < k) {
      throw new CliException(
          "--k "
              + k
              + " but "
              + dataset.data
              + " has only "
              + normals.size()
              + (holdoutValidation ? " readable" : "")
              + " normal training images");
    }
    // The same draw as MediClip.fit and sweep (KShotSampler on the pool in path order).
    List<Path> shots =
        fixedShots != null
            ? fixedShots
            : KShotSampler.sample(KShotSampler.inPathOrder(normals, p -> p), k, seed.value);
    if (!holdoutValidation) {
      Map<Path, String> where = new java.util.LinkedHashMap<>();
      shots.forEach(
          p ->
              where.put(
                  p,
                  fixedShots != null
                      ? "from --shots " + shotsFile
                      : "drawn for --k " + k + " --seed " + seed.value));
      dataset.checkShots(where, err);
    }
    return new Plan(
        normals,
        shots,
        shots.stream().map(p -> p.getFileName().toString()).toList(),
        normals.size(),
        read.skipped(),
        ds.name(),
        null,
        Map.of());
  }

  private Integer train(
      PrintWriter err, SaveOptions saveOptions, AnomalySynthesizer synth, Plan plan) {
    List<Path> shots = plan.shots();
    Backbones.warnIfRandom(backbone, err);
    MediClip.Builder b =
        MediClip.builder()
            .setBackbone(backbone)
            .optSeed(seed.value)
            .optHoldoutValidation(holdoutValidation)
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
    if (plan.policy() != null) {
      b.optIntensityPolicy(plan.policy());
    }
    if (fixedShots != null && !volumes.active()) {
      b.optShots(fixedShots);
    } else {
      b.optShots(k);
    }
    MediClip mediclip = b.build();
    // SIGINT (Ctrl-C): stop after the current step, keep the best state so far, save it, and say
    // so.
    Thread trainer = Thread.currentThread();
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread hook =
        new Thread(
            () -> {
              interrupted.set(true);
              err.println(
                  "mediclip: interrupted: stopping after the current step; the best heads so far will be saved"
                      + " to "
                      + out);
              err.flush();
              trainer.interrupt();
              try {
                finished.await(SAVE_GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException ignored) {
                // the JVM is exiting anyway
              }
            },
            "mediclip-train-sigint");
    Runtime.getRuntime().addShutdownHook(hook);
    try (MediClipDetector detector = fit(mediclip, plan.pool())) {
      boolean stopped =
          interrupted.get() | Thread.interrupted(); // clear the flag: file channels need it off
      BundleManifest m = detector.manifest();
      if (stopped && m.training().summary().epochsRun() < 1) {
        err.println("mediclip: interrupted before the first epoch ended: nothing was saved");
        err.flush();
        return MediClipCli.EXIT_FAILURE;
      }
      List<String> names = plan.shotIds();
      if (!names.equals(m.training().shotIds())) {
        throw new IllegalStateException(
            "internal error: the detector was trained on "
                + m.training().shotIds()
                + " but the shots drawn here are "
                + names);
      }
      try {
        detector.save(out, saveOptions);
      } catch (MediClipException e) {
        throw new CliException(e.getMessage());
      }
      Path shotFile = shotFile(out);
      ShotFile.write(shotFile, dataset.data, shots);
      Map<String, Object> o = Json.object();
      o.put("bundle", out.toString());
      o.put("dataset", plan.datasetName());
      o.put("k", k);
      o.put("seed", seed.value);
      o.put("train_pool", plan.poolSize());
      o.put("shots", relative(dataset.data, shots));
      o.put("shot_file", shotFile.toString());
      o.put("normals_seen", m.training().summary().normalsSeen());
      o.put("validation_source", m.training().summary().validationSource().label());
      o.put("skipped_files", plan.skipped());
      o.put("epochs_run", m.training().summary().epochsRun());
      o.put("best_epoch", m.training().summary().bestEpoch());
      o.put("selection_metric", m.training().summary().selectionMetric());
      o.put("best_metric", m.training().summary().bestMetric());
      o.put("seconds", m.training().summary().seconds());
      o.put("device", m.provenance().device());
      o.put("random_backbone", Backbones.isRandom(backbone));
      o.put("stop_reason", m.training().summary().stopReason().label());
      o.putAll(plan.extra());
      spec.commandLine().getOut().println(Json.line(o));
      spec.commandLine().getOut().flush();
      if (stopped) {
        err.printf(
            Locale.ROOT,
            "mediclip: interrupted: saved the best heads so far (epoch %d of %d run) to %s%n",
            m.training().summary().bestEpoch(),
            m.training().summary().epochsRun(),
            out);
        err.flush();
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for the latch counted down above
      }
    }
    return MediClipCli.EXIT_OK;
  }

  /** Trains on image files (paths) or on decoded volume slices (labelled images). */
  @SuppressWarnings("unchecked")
  private static MediClipDetector fit(MediClip mediclip, List<?> pool) {
    if (!pool.isEmpty() && pool.get(0) instanceof LabeledImage) {
      return mediclip.fit((List<LabeledImage>) pool);
    }
    return mediclip.fit((List<Path>) pool);
  }

  /**
   * The shot file written next to a bundle: {@code det} or {@code det.zip} gives {@code
   * det.shots.txt}.
   */
  static Path shotFile(Path bundle) {
    String name = bundle.getFileName().toString();
    if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
      name = name.substring(0, name.length() - 4);
    }
    return bundle.resolveSibling(name + ".shots" + ShotFile.EXTENSION);
  }

  /**
   * Paths relative to the dataset folder, with {@code /}, as printed and as written in shot files.
   */
  static List<String> relative(Path root, List<Path> paths) {
    Path base = root.toAbsolutePath().normalize();
    List<String> out = new ArrayList<>();
    for (Path p : paths) {
      Path a = p.toAbsolutePath().normalize();
      out.add(
          (a.startsWith(base) ? base.relativize(a).toString() : p.toString()).replace('\\', '/'));
    }
    return out;
  }

  /**
   * Reads a shot file given on the command line, relative paths resolved against {@code --data}.
   */
  static List<Path> readShotFile(String option, Path file, Path data) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new CliException(option + " " + file + ": no such file");
    }
    try {
      return ShotFile.read(file, data);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new CliException(e.getMessage());
    }
  }
}
