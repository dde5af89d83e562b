package io.github.mediclip.internal.train;

import io.github.mediclip.OperatingPoint;
import io.github.mediclip.ThresholdPolicy;
import io.github.mediclip.train.ValidationSource;
import java.util.Arrays;
import java.util.Locale;

/**
 * Chooses the operating point ({@link OperatingPoint}: image and pixel thresholds plus the score
 * ranges used for normalisation) from the validation outputs of the selected heads, as a {@link
 * ThresholdPolicy} says. Kept apart from the trainer: it is plain statistics over scores and maps.
 */
final class Calibration {

  private Calibration() {}

  /** A threshold and the name of the rule that produced it (e.g. {@code f1-adaptive}). */
  record Threshold(double value, String method) {}

  /**
   * Calibrates on validation outputs.
   *
   * @param scores image scores (N)
   * @param labels image labels (N), {@code true} = anomalous
   * @param maps anomaly maps (N, S, S) flattened
   * @param masks binary masks (N, S, S) flattened, or {@code null} when there are none
   * @param imageSize S
   * @param policy the policy
   * @param source the validation source, recorded in {@link OperatingPoint#method()}
   * @return the operating point
   */
  static OperatingPoint operatingPoint(
      double[] scores,
      boolean[] labels,
      float[] maps,
      boolean[] masks,
      int imageSize,
      ThresholdPolicy policy,
      ValidationSource source) {
    int n = labels.length;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    ScoreStats.Split images = ScoreStats.split(labels, i -> scores[i]);
    Threshold image = threshold(images, policy);

    // Pixels: anomalous pixels (mask > 0.5) vs all others; without masks, only normal images'
    // pixels.
    int px = imageSize * imageSize;
    double pmin = Double.POSITIVE_INFINITY;
    double pmax = Double.NEGATIVE_INFINITY;
    for (float v : maps) {
      pmin = Math.min(pmin, v);
      pmax = Math.max(pmax, v);
    }
    double pixelThr;
    if (masks != null) {
      pixelThr = threshold(ScoreStats.split(masks, i -> maps[i]), policy).value();
    } else {
      pixelThr = normalPixelQuantile(labels, maps, px, n, policy, image.value());
    }
    if (!Double.isFinite(pixelThr)) {
      pixelThr = 0.5;
    }
    return new OperatingPoint(
        image.value(), pixelThr, min, max, pmin, pmax, image.method() + " on " + source.label());
  }

  /** The pixel threshold without masks: a quantile of the normal images' pixels. */
  private static double normalPixelQuantile(
      boolean[] labels, float[] maps, int px, int n, ThresholdPolicy policy, double imageThr) {
    int cn = 0;
    for (int i = 0; i < n; i++) {
      if (!labels[i]) {
        cn++;
      }
    }
    double[] pn = new double[cn * px];
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (!labels[i]) {
        for (int j = 0; j < px; j++) {
          pn[c++] = maps[i * px + j];
        }
      }
    }
    Arrays.sort(pn);
    double q =
        policy.kind() == ThresholdPolicy.Kind.NORMAL_QUANTILE
            ? policy.value()
            : ThresholdPolicy.DEFAULT_NORMAL_QUANTILE;
    return c == 0 ? imageThr : ScoreStats.quantile(pn, c, q);
  }

  /** Applies the policy to positive and negative values (sorted here). */
  static Threshold threshold(ScoreStats.Split split, ThresholdPolicy policy) {
    double[] pos = split.pos();
    double[] neg = split.neg();
    Arrays.sort(pos);
    Arrays.sort(neg);
    int np = pos.length;
    int nn = neg.length;
    double q = ThresholdPolicy.DEFAULT_NORMAL_QUANTILE;
    switch (policy.kind()) {
      case TARGET_SENSITIVITY:
        if (np > 0) {
          return new Threshold(
              ScoreStats.sensitivityThreshold(pos, np, policy.value()),
              String.format(Locale.ROOT, "target-sensitivity:%s", policy.value()));
        }
        break;
      case NORMAL_QUANTILE:
        q = policy.value();
        if (nn > 0) {
          return new Threshold(
              ScoreStats.quantile(neg, nn, q), String.format(Locale.ROOT, "normal-quantile:%s", q));
        }
        break;
      case AUTO:
      case F1_ADAPTIVE:
      default:
        if (np > 0) {
          return new Threshold(ScoreStats.f1Threshold(pos, np, neg, nn), "f1-adaptive");
        }
        break;
    }
    if (nn > 0) {
      return new Threshold(
          ScoreStats.quantile(neg, nn, q), String.format(Locale.ROOT, "normal-quantile:%s", q));
    }
    return new Threshold(ScoreStats.f1Threshold(pos, np, neg, nn), "f1-adaptive");
  }
}
