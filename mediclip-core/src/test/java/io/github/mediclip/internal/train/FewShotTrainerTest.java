package io.github.mediclip.internal.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.mediclip.ThresholdPolicy;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.clip.ClipWeights;
import io.github.mediclip.internal.clip.SafetensorsReader;
import io.github.mediclip.internal.model.MediClipHeads;
import io.github.mediclip.model.HeadsConfig;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.FitConfig;
import io.github.mediclip.train.FitListener;
import io.github.mediclip.train.FitResult;
import io.github.mediclip.train.FitSummary;
import io.github.mediclip.train.KShotSampler;
import io.github.mediclip.train.LabeledImage;
import io.github.mediclip.train.StopReason;
import io.github.mediclip.train.ValidationSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FewShotTrainer behaviour on a tiny random backbone (preset "tiny", 64 px): determinism
 * independent of the number of synthesis threads, k-shot sampling, listener stop, interruption,
 * checkpoints, user validation and operating-point invariants. Each training runs 1 to 3 epochs of
 * one step.
 */
class FewShotTrainerTest {

  static ClipModel clip;
  static List<LabeledImage> normals;

  @BeforeAll
  static void backbone() {
    ClipConfig cfg = ClipConfig.preset("tiny");
    try (NDManager tmp = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> w = new LinkedHashMap<>(ClipWeights.randomInit(cfg, 9, tmp));
      w.replaceAll((k, v) -> v.duplicate());
      clip =
          ClipModel.loader()
              .optDevice(Device.cpu())
              .optTokenizer(ClipTokenizer.byteLevel())
              .fromWeights(cfg, w);
    }
    normals = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(4);
    for (int i = 0; i < 6; i++) {
      float[] px = new float[64 * 64];
      double phase = r.nextDouble(0, 3);
      for (int j = 0; j < px.length; j++) {
        px[j] = (float) (110 + 40 * Math.sin((j % 64) * 0.2 + phase) + r.nextDouble(-8, 8));
      }
      normals.add(LabeledImage.normal("n" + i + ".png", GrayImage.of(64, 64, px)));
    }
  }

  @AfterAll
  static void close() {
    clip.close();
  }

  static FitConfig config(int epochs, int shots, long seed, int workers, Path ckpt) {
    return FitConfig.builder()
        .optEpochs(epochs)
        .optBatchSize(4)
        .optShots(shots)
        .optSeed(seed)
        .optWorkers(workers)
        .optCheckpointDir(ckpt)
        .optValidationAnomalies(4)
        .build();
  }

  static MediClipHeads heads(long seed) {
    // Two phrases per class and the fast prompt encoder keep each step quick; the trainer's logic
    // is
    // independent of the prompt configuration.
    HeadsConfig cfg =
        HeadsConfig.reference(List.of(2, 4, 6))
            .withPrompts(List.of("normal", "healthy"), List.of("abnormal", "lesion"))
            .withFastPromptEncoder();
    return MediClipHeads.create(clip, cfg, seed);
  }

  static Map<String, float[]> params(MediClipHeads h) {
    Map<String, float[]> m = new LinkedHashMap<>();
    h.parameters().forEach((k, v) -> m.put(k, v.toFloatArray()));
    return m;
  }

  @Test
  void resultsDoNotDependOnTheNumberOfSynthesisThreads() {
    Map<String, float[]> a;
    Map<String, float[]> b;
    FitResult ra;
    FitResult rb;
    try (MediClipHeads h = heads(1)) {
      ra =
          new FewShotTrainer(config(2, 4, 5, 1, null), FitListener.silent())
              .train(clip, h, normals, null, null);
      a = params(h);
    }
    try (MediClipHeads h = heads(1)) {
      rb =
          new FewShotTrainer(config(2, 4, 5, 3, null), FitListener.silent())
              .train(clip, h, normals, null, null);
      b = params(h);
    }
    assertThat(rb.summary().epochLosses()).isEqualTo(ra.summary().epochLosses());
    assertThat(rb.operatingPoint()).isEqualTo(ra.operatingPoint());
    assertThat(rb.shotIds()).isEqualTo(ra.shotIds());
    for (String k : a.keySet()) {
      assertThat(b.get(k)).as(k).containsExactly(a.get(k));
    }
    // k-shot protocol: 4 distinct images out of 6, validation synthesized on the shots only
    assertThat(ra.shotIds()).hasSize(4).doesNotHaveDuplicates();
    assertThat(ra.shotIds())
        .isEqualTo(KShotSampler.sample(normals, 4, 5).stream().map(LabeledImage::id).toList());
    assertThat(ra.summary().validationSource()).isEqualTo(ValidationSource.SYNTHESIZED_SHOTS);
    assertThat(ra.summary().normalsSeen()).isEqualTo(4);
    assertThat(ra.summary().selectionMetric()).isEqualTo("mean_image_pixel_auroc");
    // the kept state is the best epoch: its selection metric is the mean of the kept metrics
    double mean =
        0.5
            * (ra.validationMetrics().get("image_auroc")
                + ra.validationMetrics().get("pixel_auroc"));
    assertThat(ra.summary().bestMetric()).isCloseTo(mean, within(1e-12));
    assertThat(ra.trainingFingerprint()).hasSize(64);
  }

  @Test
  void listenerStopInterruptionAndCheckpointKeepTheBestState(@TempDir Path dir) throws Exception {
    List<Integer> ends = new ArrayList<>();
    FitListener stopAfterFirst =
        new FitListener() {
          @Override
          public boolean onEpochEnd(int epoch, double loss, Map<String, Double> metrics) {
            ends.add(epoch);
            assertThat(metrics).containsKeys("image_auroc", "pixel_auroc", "selection", "best");
            return false;
          }
        };
    try (MediClipHeads h = heads(2)) {
      FitResult r =
          new FewShotTrainer(config(5, 0, 3, 1, dir), stopAfterFirst)
              .train(clip, h, normals, null, null);
      assertThat(ends).containsExactly(1);
      assertThat(r.summary().epochsRun()).isEqualTo(1);
      assertThat(r.summary().stopReason()).isEqualTo(StopReason.LISTENER);
      // k = all 6 images: nothing held out, validation on the shots with other seeds
      assertThat(r.summary().validationSource()).isEqualTo(ValidationSource.SYNTHESIZED_SHOTS);
      Path ckpt = dir.resolve("best-heads.safetensors");
      assertThat(ckpt).exists();
      try (Stream s = new Stream(dir)) {
        assertThat(s.tmpFiles()).isZero();
      }
      // the checkpoint holds the kept (best) heads
      Map<String, float[]> kept = params(h);
      try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
          SafetensorsReader reader = SafetensorsReader.open(ckpt)) {
        for (String name : kept.keySet()) {
          assertThat(reader.read(name, m).toFloatArray()).as(name).containsExactly(kept.get(name));
        }
      }
    }
    FitListener interrupt =
        new FitListener() {
          @Override
          public boolean onStep(int epoch, int step, double loss) {
            if (epoch == 2) {
              Thread.currentThread().interrupt();
            }
            return true;
          }
        };
    try (MediClipHeads h = heads(2)) {
      FitResult r =
          new FewShotTrainer(config(3, 4, 3, 1, null), interrupt)
              .train(clip, h, normals, null, null);
      assertThat(Thread.interrupted()).isTrue(); // status preserved (and cleared here)
      assertThat(r.summary().stopReason()).isEqualTo(StopReason.INTERRUPTED);
      assertThat(r.summary().epochsRun()).isEqualTo(2);
      assertThat(r.summary().bestEpoch()).isBetween(0, 2);
    }
  }

  @Test
  void userValidationWithoutMasksSelectsOnImageAuroc() {
    SplittableRandom r = new SplittableRandom(8);
    List<LabeledImage> val = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      val.add(LabeledImage.normal("v" + i, normals.get(i).image()));
      float[] px = normals.get(i + 3).image().toArray();
      for (int y = 20; y < 36; y++) {
        for (int x = 20; x < 36; x++) {
          px[y * 64 + x] = (float) (240 - r.nextDouble(10));
        }
      }
      val.add(LabeledImage.anomalous("a" + i, GrayImage.of(64, 64, px), null));
    }
    try (MediClipHeads h = heads(3)) {
      FitResult res =
          new FewShotTrainer(
                  FitConfig.builder()
                      .optEpochs(3)
                      .optBatchSize(4)
                      .optSeed(1)
                      .optPatience(1)
                      .optThresholdPolicy(ThresholdPolicy.targetSensitivity(1.0))
                      .optWorkers(1)
                      .optValidationAnomalies(4)
                      .build(),
                  FitListener.silent())
              .train(clip, h, normals, val, ValidationSource.USER);
      assertThat(res.summary().validationSource()).isEqualTo(ValidationSource.USER);
      assertThat(res.summary().selectionMetric()).isEqualTo("image_auroc");
      assertThat(res.validationMetrics()).containsOnlyKeys("image_auroc");
      assertThat(res.validationSize()).isEqualTo(6);
      // patience 1: either all 3 epochs ran, or training stopped one epoch after the best one
      FitSummary sum = res.summary();
      if (sum.stopReason() == StopReason.EARLY_STOP) {
        assertThat(sum.epochsRun() - sum.bestEpoch()).isEqualTo(1);
      } else {
        assertThat(sum.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(sum.epochsRun()).isEqualTo(3);
      }
      assertThat(sum.epochMetrics()).hasSize(sum.epochsRun());
      assertThat(sum.bestMetric())
          .isEqualTo(
              sum.bestEpoch() == 0
                  ? sum.bestMetric()
                  : sum.epochMetrics().get(sum.bestEpoch() - 1));
      // sensitivity 1.0: the threshold is the lowest anomalous score, so every anomaly is flagged
      assertThat(res.operatingPoint().method()).startsWith("target-sensitivity:1.0");
      assertThat(res.operatingPoint().imageThreshold())
          .isBetween(res.operatingPoint().min(), res.operatingPoint().max());
    }
  }

  @Test
  void oneShotTrainsWithTheImageAsItsOwnCutPasteSupport() {
    try (MediClipHeads h = heads(4)) {
      FitConfig holdout = config(1, 1, 2, 1, null).toBuilder().optHoldoutValidation(true).build();
      FitResult r =
          new FewShotTrainer(holdout, FitListener.silent())
              .train(clip, h, normals.subList(0, 2), null, null);
      assertThat(r.shotIds()).hasSize(1);
      assertThat(r.summary().epochsRun()).isEqualTo(1);
      // explicit hold-out validation: the other image validates, and the run has seen both
      assertThat(r.summary().validationSource()).isEqualTo(ValidationSource.SYNTHESIZED_HOLDOUT);
      assertThat(r.summary().normalsSeen()).isEqualTo(2);
    }
  }

  @Test
  void badInputsAreRejected() {
    try (MediClipHeads h = heads(1)) {
      FewShotTrainer t = new FewShotTrainer(config(1, 7, 1, 1, null), FitListener.silent());
      assertThatThrownBy(() -> t.train(clip, h, normals, null, null))
          .hasMessage("shots (k = 7) exceeds the number of normal images given (6)");
      FewShotTrainer t2 = new FewShotTrainer(config(1, 0, 1, 1, null), FitListener.silent());
      assertThatThrownBy(() -> t2.train(clip, h, List.of(), null, null))
          .hasMessageStartingWith("normals must not be empty");
    }
    assertThatThrownBy(() -> config(0, 0, 1, 1, null)).hasMessage("epochs must be >= 1, got 0");
  }

  /** Counts leftover temporary files of atomic writes in a folder. */
  static final class Stream implements AutoCloseable {
    private final java.util.stream.Stream<Path> s;

    Stream(Path dir) throws java.io.IOException {
      s = Files.list(dir);
    }

    long tmpFiles() {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
    }

    @Override
    public void close() {
      s.close();
    }
  }
}
