package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mediclip.train.ValidationSource;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Threshold calibration ({@link ThresholdPolicy#calibrate}): the operating point on hand-computed
 * validation outputs, and the threshold rules against brute-force definitions.
 */
class CalibrationTest {

  // Four 1x1 "maps": two normal images, two anomalous ones.
  private static final double[] SCORES = {0.1, 0.2, 0.8, 0.9};
  private static final boolean[] LABELS = {false, false, true, true};
  private static final float[] MAPS = {0.1f, 0.3f, 0.7f, 0.9f};

  @Test
  void f1AdaptiveWithoutMasksUsesTheNormalPixelsQuantile() {
    OperatingPoint op =
        ThresholdPolicy.auto()
            .calibrate(SCORES, LABELS, MAPS, null, 1, ValidationSource.SYNTHESIZED_SHOTS);
    // F1 = 1 at t = 0.8 (both anomalies, no normal image flagged).
    assertThat(op.imageThreshold()).isEqualTo(0.8);
    // numpy.quantile([0.1, 0.3], 0.99) = 0.1 + 0.99 * 0.2 (the float maps widened to double)
    assertThat(op.pixelThreshold()).isCloseTo(0.298, within(1e-7));
    assertThat(op.min()).isEqualTo(0.1);
    assertThat(op.max()).isEqualTo(0.9);
    assertThat(op.pixelMin()).isEqualTo((double) 0.1f);
    assertThat(op.pixelMax()).isEqualTo((double) 0.9f);
    assertThat(op.method()).isEqualTo("f1-adaptive on synthesized-shots");
  }

  @Test
  void masksGiveThePixelThresholdFromAnomalousPixels() {
    boolean[] masks = {false, false, false, true};
    OperatingPoint op =
        ThresholdPolicy.targetSensitivity(1.0)
            .calibrate(SCORES, LABELS, MAPS, masks, 1, ValidationSource.USER);
    assertThat(op.imageThreshold()).isEqualTo(0.8);
    assertThat(op.pixelThreshold()).isEqualTo((double) 0.9f);
    assertThat(op.method()).isEqualTo("target-sensitivity:1.0 on user");
  }

  @Test
  void withoutAnomaliesF1FallsBackToTheNormalQuantileAndSaysSo() {
    boolean[] normal = {false, false, false, false};
    OperatingPoint op =
        ThresholdPolicy.f1Adaptive()
            .calibrate(SCORES, normal, MAPS, null, 1, ValidationSource.SYNTHESIZED_HOLDOUT);
    // numpy.quantile([0.1, 0.2, 0.8, 0.9], 0.99) = 0.8 + 0.97 * 0.1
    assertThat(op.imageThreshold()).isCloseTo(0.897, within(1e-12));
    assertThat(op.method()).isEqualTo("normal-quantile:0.99 on synthesized-holdout");
  }

  @Test
  void mismatchedLengthsAreRejectedWithTheCounts() {
    ThresholdPolicy p = ThresholdPolicy.auto();
    ValidationSource u = ValidationSource.USER;
    assertThatThrownBy(() -> p.calibrate(new double[3], LABELS, MAPS, null, 1, u))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "calibrate: need one score per label and at least one image, got 3 scores and 4"
                + " labels");
    assertThatThrownBy(() -> p.calibrate(SCORES, LABELS, MAPS, null, 2, u))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("calibrate: maps must hold N x S x S = 4 x 2 x 2 values, got 4");
    assertThatThrownBy(() -> p.calibrate(SCORES, LABELS, MAPS, new boolean[3], 1, u))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("calibrate: masks must be as long as maps (4), got 3");
  }

  @Test
  void f1ThresholdMaximisesF1OverAllCandidates() {
    SplittableRandom r = new SplittableRandom(2);
    for (int trial = 0; trial < 50; trial++) {
      int np = 1 + r.nextInt(20);
      int nn = r.nextInt(20);
      double[] pos = new double[np];
      double[] neg = new double[nn];
      for (int i = 0; i < np; i++) {
        pos[i] = r.nextInt(10) / 10.0 + 0.2;
      }
      for (int i = 0; i < nn; i++) {
        neg[i] = r.nextInt(10) / 10.0;
      }
      Arrays.sort(pos);
      Arrays.sort(neg);
      double t = Calibration.f1Threshold(pos, np, neg, nn);
      double best = -1;
      double[] all = new double[np + nn];
      System.arraycopy(pos, 0, all, 0, np);
      System.arraycopy(neg, 0, all, np, nn);
      for (double c : all) {
        best = Math.max(best, f1(pos, neg, c));
      }
      assertThat(f1(pos, neg, t)).isEqualTo(best);
    }
  }

  private static double f1(double[] pos, double[] neg, double t) {
    int tp = 0;
    int fp = 0;
    for (double p : pos) {
      if (p >= t) {
        tp++;
      }
    }
    for (double n : neg) {
      if (n >= t) {
        fp++;
      }
    }
    return 2.0 * tp / (2.0 * tp + fp + (pos.length - tp));
  }

  @Test
  void quantileAndSensitivity() {
    double[] v = {1, 2, 3, 4, 5};
    // numpy.quantile([1,2,3,4,5], 0.9) == 4.6
    assertThat(Calibration.quantile(v, 5, 0.9)).isCloseTo(4.6, within(1e-12));
    assertThat(Calibration.quantile(v, 5, 1.0)).isEqualTo(5.0);
    // recall >= 0.8 of 5 positives needs 4 of them: threshold = 2nd smallest
    assertThat(Calibration.sensitivityThreshold(v, 5, 0.8)).isEqualTo(2.0);
    assertThat(Calibration.sensitivityThreshold(v, 5, 1.0)).isEqualTo(1.0);
  }
}
