package io.github.mediclip;

import io.github.mediclip.internal.train.ScoreStats;
import io.github.mediclip.train.ValidationSource;
import java.util.Arrays;
import java.util.Locale;

/**
 * Chooses the operating point ({@link OperatingPoint}: image and pixel thresholds plus the score
 * ranges used for normalisation) from validation outputs, as a {@link ThresholdPolicy} says: the
 * implementation of {@link ThresholdPolicy#calibrate}. It lives next to the policy and the
 * operating point, not in the trainer, which only calls it: it is plain statistics over scores and
 * maps.
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
    return c == 0 ? imageThr : quantile(pn, c, q);
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
              sensitivityThreshold(pos, np, policy.value()),
              String.format(Locale.ROOT, "target-sensitivity:%s", policy.value()));
        }
        break;
      case NORMAL_QUANTILE:
        q = policy.value();
        if (nn > 0) {
          return new Threshold(
              quantile(neg, nn, q), String.format(Locale.ROOT, "normal-quantile:%s", q));
        }
        break;
      case AUTO:
      case F1_ADAPTIVE:
      default:
        if (np > 0) {
          return new Threshold(f1Threshold(pos, np, neg, nn), "f1-adaptive");
        }
        break;
    }
    if (nn > 0) {
      return new Threshold(
          quantile(neg, nn, q), String.format(Locale.ROOT, "normal-quantile:%s", q));
    }
    return new Threshold(f1Threshold(pos, np, neg, nn), "f1-adaptive");
  }

  /**
   * The threshold t (one of the positive or negative values) that maximises F1 of the rule {@code
   * score >= t}. Inputs must be sorted ascending.
   *
   * @return the best threshold; NaN when there are no positives
   */
  static double f1Threshold(double[] posAsc, int nPos, double[] negAsc, int nNeg) {
    if (nPos == 0) {
      return Double.NaN;
    }
    int i = nPos - 1;
    int j = nNeg - 1;
    double bestF1 = -1;
    double bestT = posAsc[nPos - 1];
    while (i >= 0 || j >= 0) {
      double t;
      if (j < 0 || (i >= 0 && posAsc[i] >= negAsc[j])) {
        t = posAsc[i];
      } else {
        t = negAsc[j];
      }
      while (i >= 0 && posAsc[i] >= t) {
        i--;
      }
      while (j >= 0 && negAsc[j] >= t) {
        j--;
      }
      int tp = nPos - 1 - i;
      int fp = nNeg - 1 - j;
      double f1 = 2.0 * tp / (2.0 * tp + fp + (nPos - tp));
      if (f1 > bestF1) {
        bestF1 = f1;
        bestT = t;
      }
    }
    return bestT;
  }

  /**
   * The highest threshold that keeps recall at least {@code sensitivity}: sorted ascending
   * positives.
   */
  static double sensitivityThreshold(double[] posAsc, int nPos, double sensitivity) {
    if (nPos == 0) {
      return Double.NaN;
    }
    int needed = (int) Math.ceil(sensitivity * nPos - 1e-9);
    needed = Math.max(1, Math.min(nPos, needed));
    return posAsc[nPos - needed];
  }

  /** Quantile with linear interpolation (numpy's default) of ascending sorted values. */
  static double quantile(double[] asc, int n, double q) {
    if (n == 0) {
      return Double.NaN;
    }
    double pos = q * (n - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(n - 1, lo + 1);
    double frac = pos - lo;
    return asc[lo] + (asc[hi] - asc[lo]) * frac;
  }
}
