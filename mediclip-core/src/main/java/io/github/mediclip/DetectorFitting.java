package io.github.mediclip;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.internal.BundleCodec;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.SynthesisMixture;
import java.time.Instant;
import java.util.Map;
import io.github.mediclip.internal.model.MediClipHeads;
import io.github.mediclip.internal.train.FewShotTrainer;
import io.github.mediclip.train.LabeledImage;
import io.github.mediclip.train.TrainingResult;
import java.util.List;

/**
 * Fit orchestration, apart from the {@link MediClip} spec: opens the backbone the spec names, creates
 * the heads, runs the few-shot trainer with exactly the spec's configuration ({@link
 * MediClip#trainingConfig()}, {@link MediClip#headsConfig()}, ...), and assembles the detector with its
 * manifest. Everything it reads comes from the spec's accessors, so what the spec reports is what runs.
 */
final class DetectorFitting {

  private DetectorFitting() {}

  /**
   * Trains a detector.
   *
   * @param spec the configuration
   * @param pool the checked pool of training images ({@link TrainingInputs}): files, labelled images,
   *     buffered images or rasters
   * @return the trained detector
   */
  static MediClipDetector fit(MediClip spec, List<?> pool) {
    List<LabeledImage> images =
        TrainingInputs.toLabeled(pool, TrainingInputs.all(pool), "normals");
    Backbones.Opened backbone = open(spec);
    MediClipHeads heads = null;
    try {
      heads = MediClipHeads.create(backbone.model(), spec.headsConfig(), spec.trainingConfig().seed());
      FewShotTrainer trainer = new FewShotTrainer(spec.trainingConfig(), spec.listener());
      TrainingResult r =
          trainer.train(
              backbone.model(), heads, images, spec.validation(), spec.validationSource());
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
  private static BundleManifest manifest(MediClip spec, Backbones.Opened bb, TrainingResult r) {
    Engine engine = Engine.getEngine("PyTorch");
    BundleManifest.Provenance prov =
        new BundleManifest.Provenance(
            MediClip.libraryVersion(),
            Engine.getDjlVersion(),
            engine.getEngineName(),
            engine.getVersion(),
            bb.model().device().toString(),
            spec.trainingConfig().seed(),
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
    AnomalySynthesizer s = spec.trainingConfig().synthesis();
    Map<String, Double> weights =
        s instanceof SynthesisMixture mix ? mix.weights() : Map.of();
    BundleManifest.Training t =
        new BundleManifest.Training(
            r.shotIds().size(),
            r.shotIds(),
            r.trainingFingerprint(),
            weights,
            s.toString(),
            spec.trainingConfig().epochs(),
            spec.trainingConfig().batchSize(),
            spec.trainingConfig().learningRate(),
            spec.trainingConfig().patience(),
            spec.trainingConfig().thresholdPolicy().kind().name()
                + (Double.isNaN(spec.trainingConfig().thresholdPolicy().value())
                    ? ""
                    : ":" + spec.trainingConfig().thresholdPolicy().value()),
            r.summary());
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
}
