package io.github.mediclip.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Losses against an independent double-precision implementation of the reference formulas. */
class LossesTest {

  /** Reference focal loss in double precision, written from the formula (C = 2). */
  private static double focalRef(float[] p1, float[] mask) {
    double s = Losses.SMOOTH;
    double sum = 0;
    for (int i = 0; i < p1.length; i++) {
      int cls = (int) mask[i]; // truncation, like torch's .long()
      double t1 = cls == 1 ? 1 - s : s;
      double t0 = cls == 1 ? s : 1 - s;
      double pt = t0 * (1 - p1[i]) + t1 * p1[i] + s;
      sum += -Math.pow(1 - pt, 2) * Math.log(pt);
    }
    return sum / p1.length;
  }

  private static double diceRef(float[] p1, float[] mask, int batch) {
    int per = p1.length / batch;
    double total = 0;
    for (int b = 0; b < batch; b++) {
      double inter = 0;
      double ps = 0;
      double ts = 0;
      for (int i = b * per; i < (b + 1) * per; i++) {
        inter += p1[i] * mask[i];
        ps += p1[i];
        ts += mask[i];
      }
      total += (2 * inter + 1) / (ps + ts + 1);
    }
    return 1 - total / batch;
  }

  @Test
  void focalAndDiceMatchTheReferenceFormulasOnSoftMasks() {
    SplittableRandom r = new SplittableRandom(7);
    int b = 3;
    int h = 5;
    int w = 4;
    int n = b * h * w;
    float[] p1 = new float[n];
    float[] mask = new float[n];
    for (int i = 0; i < n; i++) {
      p1[i] = (float) r.nextDouble(0.01, 0.99);
      int k = r.nextInt(3);
      mask[i] = k == 0 ? 0f : k == 1 ? 1f : (float) r.nextDouble(); // soft values too
    }
    float[] probs = new float[2 * n];
    for (int bi = 0; bi < b; bi++) {
      for (int i = 0; i < h * w; i++) {
        probs[(bi * 2) * h * w + i] = 1 - p1[bi * h * w + i];
        probs[(bi * 2 + 1) * h * w + i] = p1[bi * h * w + i];
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray pa = m.create(probs, new Shape(b, 2, h, w));
      NDArray ma = m.create(mask, new Shape(b, h, w));
      NDArray focal = Losses.focal(pa, ma);
      NDArray dice = Losses.dice(pa.get(":, 1, :, :"), ma);
      NDArray total = Losses.total(pa, ma);
      assertThat(focal.getShape()).isEqualTo(new Shape(1));
      assertThat(focal.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(dice.getDataType()).isEqualTo(DataType.FLOAT32);
      double fr = focalRef(p1, mask);
      double dr = diceRef(p1, mask, b);
      assertThat((double) focal.getFloat(0)).isCloseTo(fr, within(1e-6));
      assertThat((double) dice.getFloat(0)).isCloseTo(dr, within(1e-6));
      assertThat((double) total.getFloat(0)).isCloseTo(fr + dr, within(2e-6));
    }
  }

  @Test
  void perfectPredictionGivesNearZeroLossAndWrongPredictionAHighOne() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] mask = {0, 1, 1, 0};
      NDArray ma = m.create(mask, new Shape(1, 2, 2));
      NDArray good = m.create(new float[] {1, 0, 0, 1, 0, 1, 1, 0}, new Shape(1, 2, 2, 2));
      NDArray bad = m.create(new float[] {0, 1, 1, 0, 1, 0, 0, 1}, new Shape(1, 2, 2, 2));
      assertThat(Losses.focal(good, ma).getFloat(0)).isLessThan(1e-8f);
      assertThat(Losses.dice(good.get(":, 1, :, :"), ma).getFloat(0)).isLessThan(1e-6f);
      assertThat(Losses.focal(bad, ma).getFloat(0)).isGreaterThan(5f); // -log(1e-5) ~ 11.5
      assertThat(Losses.dice(bad.get(":, 1, :, :"), ma).getFloat(0))
          .isCloseTo(0.8f, within(1e-6f)); // (0 + 1) / (2 + 2 + 1) = 0.2
    }
  }

  @Test
  void gradientsFlowIntoProbabilities() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits =
          m.create(
              new float[] {0.2f, -0.1f, 0.5f, 0.3f, -0.4f, 0.1f, 0.0f, 0.7f},
              new Shape(1, 2, 2, 2));
      logits.setRequiresGradient(true);
      NDArray mask = m.create(new float[] {0, 1, 1, 0}, new Shape(1, 2, 2));
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        NDArray loss = Losses.total(logits.softmax(1), mask);
        gc.backward(loss);
      }
      float[] g = logits.getGradient().toFloatArray();
      double norm = 0;
      for (float v : g) {
        assertThat(Float.isFinite(v)).isTrue();
        norm += v * v;
      }
      assertThat(norm).isGreaterThan(1e-6);
    }
  }

  @Test
  void shapeErrorsNameTheShapes() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray p = m.zeros(new Shape(2, 2, 4, 4));
      assertThatThrownBy(() -> Losses.focal(p, m.zeros(new Shape(2, 4, 5))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("masks must have shape (B, H, W) = (2, 4, 4), got: (2, 4, 5)");
      assertThatThrownBy(
              () -> Losses.focal(m.zeros(new Shape(2, 1, 4, 4)), m.zeros(new Shape(2, 4, 4))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("probs must have shape (B, C, H, W) with C >= 2, got: (2, 1, 4, 4)");
      assertThatThrownBy(
              () -> Losses.dice(m.zeros(new Shape(2, 4, 4)), m.zeros(new Shape(2, 4, 3))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "anomalyProb and masks must have the same shape (B, H, W), got: (2, 4, 4) and (2, 4, 3)");
    }
  }
}
