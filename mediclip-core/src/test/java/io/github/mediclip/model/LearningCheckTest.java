package io.github.mediclip.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.internal.model.AdamOptimizer;
import io.github.mediclip.internal.model.Losses;
import io.github.mediclip.internal.model.MediClipHeads;
import io.github.mediclip.internal.train.GrayTensors;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesisMixture;
import io.github.mediclip.synth.SynthesizedSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CPU learning check: heads on a tiny randomly initialized backbone (64 px, the fixture
 * architecture), trained with the reference losses and Adam on anomalies synthesized from k = 16
 * synthetic "normal" images, lower their loss and separate held-out synthesized anomalies from
 * normal tissue clearly better than before training.
 *
 * <p>The loop here is deliberately minimal (the library's {@code FewShotTrainer} is the real one):
 * batches of 8, the reference synthesis mixture, one Adam step per batch.
 */
class LearningCheckTest {

  static final int SIZE = 64;
  static final int K = 16;
  static final int BATCH = 8;
  static final int EPOCHS = 10;
  // Margins, from measured runs (this configuration; also with init seed 18, lr 3e-3 and 20
  // epochs): untrained
  // heads give an arbitrary pixel AUROC (0.24 to 0.78 over the inits tried: a random projection
  // that happens to
  // (anti-)correlate with intensity; here 0.762, 0.238, 0.763, mean 0.588), trained heads
  // 0.797-0.800 in every
  // run, and the fixed-batch loss drops by 0.08-0.10. Because a single init can already score 0.76,
  // the gain is
  // asserted against the mean of three inits. The asserted margins are about half of the observed
  // effects, so numeric differences between
  // platforms do not flip them, while heads that do not learn (AUROC stays at its init) fail them.
  static final double MIN_AUROC_GAIN = 0.15;
  static final double MIN_AUROC_AFTER = 0.72;
  static final double MIN_LOSS_DROP = 0.04;

  @Test
  void trainingLowersTheLossAndRaisesPixelAuroc() {
    long t0 = System.nanoTime();
    SplittableRandom root = new SplittableRandom(20261128L);
    List<GrayImage> normals = new ArrayList<>();
    for (int i = 0; i < K; i++) {
      normals.add(phantom(root.split()));
    }
    // held-out anomalies: new normal images, anomalies from the three non-identity reference tasks
    SynthesisMixture evalMix =
        SynthesisMixture.parse("CutpasteTask:1, GaussIntensityChangeTask:1, SourceTask:1");
    List<SynthesizedSample> heldOut = new ArrayList<>();
    List<GrayImage> heldNormals = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      heldNormals.add(phantom(root.split()));
    }
    for (int i = 0; i < heldNormals.size(); i++) {
      List<GrayImage> support = new ArrayList<>(heldNormals);
      support.remove(i);
      heldOut.add(evalMix.synthesize(heldNormals.get(i), root.split(), support));
    }
    SynthesisMixture trainMix = SynthesisMixture.reference();
    try (ClipModel clip = TinyBackbone.create(3L);
        NDManager m = NDManager.newBaseManager();
        MediClipHeads heads = MediClipHeads.create(clip, config(), 17L);
        AdamOptimizer adam = new AdamOptimizer()) {
      double aurocBefore = pixelAuroc(clip, heads, heldOut, m);
      // untrained heads rank pixels by an arbitrary random projection: their AUROC is anywhere
      // between ~0.25
      // and ~0.8 depending on the init; compare against the mean over a few inits as well
      double[] otherInits = new double[2];
      for (int i = 0; i < otherInits.length; i++) {
        try (MediClipHeads h = MediClipHeads.create(clip, config(), 100L + i)) {
          otherInits[i] = pixelAuroc(clip, h, heldOut, m);
        }
      }
      double meanBefore = (aurocBefore + otherInits[0] + otherInits[1]) / 3;
      // a fixed batch synthesized from the training images: its loss before and after training is
      // not subject
      // to the sampling noise of the per-step losses
      List<SynthesizedSample> fixed = new ArrayList<>();
      SplittableRandom fr = root.split();
      for (int i = 0; i < BATCH; i++) {
        List<GrayImage> support = new ArrayList<>(normals);
        support.remove(i);
        fixed.add(trainMix.synthesize(normals.get(i), fr.split(), support));
      }
      double lossBefore = loss(clip, heads, fixed, m);
      double[] epochLoss = new double[EPOCHS];
      SplittableRandom trainRandom = root.split();
      for (int epoch = 0; epoch < EPOCHS; epoch++) {
        SplittableRandom er = trainRandom.split();
        int[] order = shuffled(K, er);
        double sum = 0;
        int steps = 0;
        for (int start = 0; start < K; start += BATCH) {
          List<SynthesizedSample> batch = new ArrayList<>();
          for (int j = start; j < Math.min(K, start + BATCH); j++) {
            int idx = order[j];
            List<GrayImage> support = new ArrayList<>(normals);
            support.remove(idx);
            batch.add(trainMix.synthesize(normals.get(idx), er.split(), support));
          }
          try (NDManager step = m.newSubManager();
              GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray images = toImages(step, batch);
            NDArray masks = toMasks(step, batch);
            NDArray t = heads.textFeatures(clip, step);
            NDArray loss = Losses.total(heads.forward(clip, images, t).anomalyMap(), masks);
            gc.backward(loss);
            sum += loss.getFloat(0);
            steps++;
          }
          adam.step(heads.parameters());
          AdamOptimizer.zeroGradients(heads.parameters());
        }
        epochLoss[epoch] = sum / steps;
      }
      heads.invalidateTextFeatures();
      double aurocAfter = pixelAuroc(clip, heads, heldOut, m);
      double lossAfter = loss(clip, heads, fixed, m);
      System.out.printf(
          Locale.ROOT,
          "learning check: loss on a fixed synthesized batch %.4f -> %.4f;"
              + " mean training loss per epoch %s%n",
          lossBefore,
          lossAfter,
          Arrays.toString(epochLoss));
      System.out.printf(
          Locale.ROOT,
          "learning check: held-out pixel AUROC before %.4f (other inits %.4f, %.4f;"
              + " mean %.4f), after %.4f (%.1f s)%n",
          aurocBefore,
          otherInits[0],
          otherInits[1],
          meanBefore,
          aurocAfter,
          (System.nanoTime() - t0) / 1e9);
      assertThat(lossAfter)
          .as("loss on the fixed batch goes down")
          .isLessThan(lossBefore - MIN_LOSS_DROP);
      assertThat(aurocAfter).as("pixel AUROC after training").isGreaterThan(MIN_AUROC_AFTER);
      assertThat(aurocAfter)
          .as("pixel AUROC after vs the same heads before")
          .isGreaterThan(aurocBefore);
      assertThat(aurocAfter)
          .as("pixel AUROC after vs the mean of untrained inits")
          .isGreaterThan(meanBefore + MIN_AUROC_GAIN);
    }
  }

  /**
   * Heads for the check: the fixture's layers, three phrases per class instead of the reference
   * lists (21 prompts), and the fast prompt encoder (causal mask, sequences cut after the longest
   * prompt), which keeps the test within seconds on two cores; the reference prompt encoder is
   * covered by the parity test.
   */
  static HeadsConfig config() {
    return HeadsConfig.reference(List.of(2, 4, 6))
        .withPrompts(
            List.of("normal", "healthy", "no findings"), List.of("abnormal", "lesion", "disease"))
        .withFastPromptEncoder();
  }

  static double loss(
      ClipModel clip, MediClipHeads heads, List<SynthesizedSample> batch, NDManager m) {
    try (NDManager scope = m.newSubManager()) {
      NDArray t = heads.textFeatures(clip, scope);
      NDArray map = heads.forward(clip, toImages(scope, batch), t).anomalyMap();
      return Losses.total(map, toMasks(scope, batch)).getFloat(0);
    }
  }

  /**
   * Pixel AUROC of the anomaly map (channel 1) against the masks (positive where mask &gt;= 0.5).
   */
  static double pixelAuroc(
      ClipModel clip, MediClipHeads heads, List<SynthesizedSample> samples, NDManager m) {
    List<Float> scores = new ArrayList<>();
    List<Boolean> labels = new ArrayList<>();
    try (NDManager scope = m.newSubManager()) {
      NDArray t = heads.cachedTextFeatures(clip, scope);
      NDArray images = toImages(scope, samples);
      float[] map = heads.forward(clip, images, t).anomalyMap().get(":, 1, :, :").toFloatArray();
      int k = 0;
      for (SynthesizedSample s : samples) {
        float[] mask = s.mask().toArray();
        for (float v : mask) {
          scores.add(map[k++]);
          labels.add(v >= 0.5f);
        }
      }
    }
    return auroc(scores, labels);
  }

  /** Mann-Whitney AUROC with average ranks for ties. */
  static double auroc(List<Float> scores, List<Boolean> labels) {
    int n = scores.size();
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Float.compare(scores.get(a), scores.get(b)));
    double rankSumPos = 0;
    long pos = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores.get(idx[j + 1]).floatValue() == scores.get(idx[i]).floatValue()) {
        j++;
      }
      double avgRank = (i + j) / 2.0 + 1;
      for (int q = i; q <= j; q++) {
        if (labels.get(idx[q])) {
          rankSumPos += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    assertThat(pos).as("positive pixels").isPositive();
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  @Test
  void aurocHelperHandlesTiesAndOrder() {
    assertThat(auroc(List.of(0.1f, 0.4f, 0.35f, 0.8f), List.of(false, false, true, true)))
        .isEqualTo(0.75);
    assertThat(auroc(List.of(0.5f, 0.5f), List.of(false, true))).isEqualTo(0.5);
  }

  /**
   * A synthetic "organ" slice: dark background, a bright ellipse with smooth low-frequency texture
   * and noise, position and shape jittered per image.
   */
  static GrayImage phantom(SplittableRandom r) {
    float[] px = new float[SIZE * SIZE];
    double cx = SIZE / 2.0 + r.nextDouble(-4, 4);
    double cy = SIZE / 2.0 + r.nextDouble(-4, 4);
    double rx = r.nextDouble(20, 26);
    double ry = r.nextDouble(17, 23);
    double fx = r.nextDouble(0.15, 0.3);
    double fy = r.nextDouble(0.15, 0.3);
    double phase = r.nextDouble(0, 2 * Math.PI);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        double d = Math.pow((x - cx) / rx, 2) + Math.pow((y - cy) / ry, 2);
        double v = 25;
        if (d <= 1) {
          v = 120 + 15 * Math.sin(fx * x + phase) * Math.cos(fy * y) + 20 * (1 - d);
        }
        v += r.nextGaussian() * 4;
        px[y * SIZE + x] = (float) Math.max(0, Math.min(255, v));
      }
    }
    return GrayImage.of(SIZE, SIZE, px);
  }

  static int[] shuffled(int n, SplittableRandom r) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /**
   * Gray 0..255 images to normalized RGB (B, 3, S, S), as the trainer does ({@link
   * GrayTensors#writeChw}).
   */
  static NDArray toImages(NDManager m, List<SynthesizedSample> samples) {
    float[] data = new float[samples.size() * 3 * SIZE * SIZE];
    for (int b = 0; b < samples.size(); b++) {
      GrayTensors.writeChw(samples.get(b).image(), data, b * 3 * SIZE * SIZE);
    }
    return m.create(data, new Shape(samples.size(), 3, SIZE, SIZE));
  }

  static NDArray toMasks(NDManager m, List<SynthesizedSample> samples) {
    float[] data = new float[samples.size() * SIZE * SIZE];
    for (int b = 0; b < samples.size(); b++) {
      System.arraycopy(samples.get(b).mask().toArray(), 0, data, b * SIZE * SIZE, SIZE * SIZE);
    }
    return m.create(data, new Shape(samples.size(), SIZE, SIZE));
  }
}
