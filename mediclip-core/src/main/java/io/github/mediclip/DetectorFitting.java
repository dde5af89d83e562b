package io.github.mediclip;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.internal.BundleCodec;
import io.github.mediclip.internal.LibraryVersion;
import io.github.mediclip.internal.model.MediClipHeads;
import io.github.mediclip.internal.train.FewShotTrainer;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.SynthesisMixture;
import io.github.mediclip.train.FitResult;
import io.github.mediclip.train.KShotSampler;
import io.github.mediclip.train.LabeledImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fit orchestration, apart from the {@link MediClip} spec: opens the backbone the spec names,
 * creates the heads, runs the few-shot trainer with exactly the spec's configuration ({@link
 * MediClip#fitConfig()}, {@link MediClip#headsConfig()}, ...), and assembles the detector with its
 * manifest. Everything it reads comes from the spec's accessors, so what the spec reports is what
 * runs.
 */
final class DetectorFitting {

  private DetectorFitting() {}

  /**
   * Trains a detector.
   *
   * @param spec the configuration
   * @param pool the checked pool of training images ({@link TrainingInputs}): files, labelled
   *     images, buffered images or rasters
   * @return the trained detector
   */
  static MediClipDetector fit(MediClip spec, List<?> pool) {
    KShotSampler.Split<Integer> drawn = drawShots(spec, pool);
    boolean readRest = spec.fitConfig().holdoutValidation() && spec.validation().isEmpty();
    KShotSampler.Split<LabeledImage> split =
        new KShotSampler.Split<>(
            TrainingInputs.toLabeled(pool, drawn.shots(), "normals"),
            readRest ? TrainingInputs.toLabeled(pool, drawn.rest(), "normals") : List.of());
    Backbones.Opened backbone = open(spec);
    MediClipHeads heads = null;
    try {
      heads = MediClipHeads.create(backbone.model(), spec.headsConfig(), spec.fitConfig().seed());
      FewShotTrainer trainer = new FewShotTrainer(spec.fitConfig(), spec.listener());
      FitResult r =
          trainer.train(backbone.model(), heads, split, spec.validation(), spec.validationSource());
      BundleManifest manifest = manifest(spec, backbone, r);
      return new MediClipDetector(
          backbone.model(), backbone.owned(), backbone.folder(), heads, manifest);
    } catch (RuntimeException | Error e) {
      if (heads != null) {
        heads.close();
      }
      if (backbone.owned()) {
        backbone.model().close();
      }
      throw e;
    }
  }

  /** Opens the backbone the spec names, at the spec's image size, on the spec's device. */
  private static Backbones.Opened open(MediClip spec) {
    int imageSize = spec.clipConfig().vision().imageSize();
    Device device = spec.device();
    BackboneSource source = spec.backbone();
    if (source instanceof BackboneSource.Loaded loaded) {
      return new Backbones.Opened(loaded.model(), false, null, null, 0);
    }
    if (source instanceof BackboneSource.Folder folder) {
      return new Backbones.Opened(
          Backbones.loadClip(folder.folder(), imageSize, device, spec.mixedPrecision()),
          true,
          folder.folder().toAbsolutePath().normalize(),
          null,
          0);
    }
    BackboneSource.Random random = (BackboneSource.Random) source;
    return Backbones.random(
        random.preset(), random.weightSeed(), imageSize, device, spec.mixedPrecision());
  }

  /** The manifest of a freshly trained detector: the spec, the backbone and the training result. */
  private static BundleManifest manifest(MediClip spec, Backbones.Opened bb, FitResult r) {
    Engine engine = Engine.getEngine("PyTorch");
    BundleManifest.Provenance prov =
        new BundleManifest.Provenance(
            LibraryVersion.get(),
            Engine.getDjlVersion(),
            engine.getEngineName(),
            engine.getVersion(),
            bb.model().device().toString(),
            spec.fitConfig().seed(),
            Instant.now().toString());
    BundleManifest.Backbone ref =
        new BundleManifest.Backbone(
            bb.preset() != null ? "random" : "folder",
            null,
            bb.folder() != null ? bb.folder().toString() : null,
            bb.preset(),
            bb.randomSeed(),
            bb.sha256(),
            bb.model().config().toOpenClipJson());
    AnomalySynthesizer s = spec.fitConfig().synthesis();
    Map<String, Double> weights = s instanceof SynthesisMixture mix ? mix.weights() : Map.of();
    BundleManifest.Training t =
        new BundleManifest.Training(
            r.shotIds().size(),
            r.shotIds(),
            r.trainingFingerprint(),
            weights,
            s.toString(),
            spec.fitConfig().epochs(),
            spec.fitConfig().batchSize(),
            spec.fitConfig().learningRate(),
            spec.fitConfig().patience(),
            spec.fitConfig().thresholdPolicy().kind().name()
                + (Double.isNaN(spec.fitConfig().thresholdPolicy().value())
                    ? ""
                    : ":" + spec.fitConfig().thresholdPolicy().value()),
            r.summary(),
            spec.intensityPolicy() == null ? null : spec.intensityPolicy().spec());
    return new BundleManifest(
        BundleManifest.FORMAT,
        BundleManifest.FORMAT_VERSION,
        prov,
        ref,
        BundleCodec.heads(spec.headsConfig()),
        bb.model().config().vision().imageSize(),
        t,
        r.operatingPoint(),
        r.validationMetrics(),
        null);
  }

  private static Path asPath(Object o) {
    return o instanceof Path q ? q : o instanceof java.io.File f ? f.toPath() : null;
  }

  /** The pool indices of the shots (drawn, or the files given to optShots(List)) and the rest. */
  private static KShotSampler.Split<Integer> drawShots(MediClip spec, List<?> pool) {
    if (spec.shotFiles() == null) {
      if (spec.fitConfig().shots() > pool.size()) {
        throw new IllegalArgumentException(
            "shots (k = "
                + spec.fitConfig().shots()
                + ") exceeds the number of normal images given ("
                + pool.size()
                + ")");
      }
      List<Integer> indices = new ArrayList<>(pool.size());
      for (int i = 0; i < pool.size(); i++) {
        indices.add(i);
      }
      if (pool.stream().allMatch(o -> o instanceof Path || o instanceof java.io.File)) {
        indices = KShotSampler.inPathOrder(indices, i -> asPath(pool.get(i)));
      }
      return KShotSampler.split(indices, spec.fitConfig().shots(), spec.fitConfig().seed());
    }
    Map<Path, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < pool.size(); i++) {
      Path p = asPath(pool.get(i));
      if (p != null) {
        index.putIfAbsent(p.toAbsolutePath().normalize(), i);
      }
    }
    List<Integer> shots = new ArrayList<>();
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (Path shot : spec.shotFiles()) {
      Integer i = index.get(shot.toAbsolutePath().normalize());
      if (i == null) {
        throw new IllegalArgumentException(
            "shot "
                + shot
                + " (from optShots) is not among the "
                + pool.size()
                + " normal image files given to fit; give the pool the shots were drawn from");
      }
      used.add(i);
      shots.add(i);
    }
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      if (!used.contains(i)) {
        rest.add(i);
      }
    }
    return new KShotSampler.Split<>(shots, rest);
  }
}
