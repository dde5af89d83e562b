package io.github.mediclip.eval.metrics;

import java.util.Arrays;

/**
 * A receiver operating characteristic curve as returned by scikit-learn's {@code roc_curve}: the
 * first point is (0, 0) at threshold {@code +Infinity}, then one point per kept distinct threshold,
 * in decreasing threshold order.
 *
 * @param fpr false positive rates, non-decreasing, ending at 1
 * @param tpr true positive rates, non-decreasing, ending at 1
 * @param thresholds decreasing thresholds; a sample is positive when its score is {@code >=
 *     threshold}
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds) {
  /**
   * Checks that the three arrays have the same length and copies them.
   *
   * @param fpr false positive rates, non-decreasing, ending at 1
   * @param tpr true positive rates, non-decreasing, ending at 1
   * @param thresholds decreasing thresholds; a sample is positive when its score is {@code >=
   *     threshold}
   */
  public RocCurve {
    if (fpr.length != tpr.length || fpr.length != thresholds.length) {
      throw new IllegalArgumentException(
          "fpr, tpr and thresholds differ in length: "
              + fpr.length
              + ", "
              + tpr.length
              + ", "
              + thresholds.length);
    }
    fpr = fpr.clone();
    tpr = tpr.clone();
    thresholds = thresholds.clone();
  }

  /**
   * Number of points.
   *
   * @return the number of points
   */
  public int size() {
    return fpr.length;
  }

  /**
   * Area under this curve by the trapezoidal rule.
   *
   * @return the area under the curve in [0, 1]
   */
  public double area() {
    double a = 0;
    for (int i = 1; i < fpr.length; i++) {
      a += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
    }
    return a;
  }

  /**
   * Returns the false positive rates.
   *
   * @return a copy of the false positive rates
   */
  @Override
  public double[] fpr() {
    return fpr.clone();
  }

  /**
   * Returns the true positive rates.
   *
   * @return a copy of the true positive rates
   */
  @Override
  public double[] tpr() {
    return tpr.clone();
  }

  /**
   * Returns the thresholds.
   *
   * @return a copy of the thresholds
   */
  @Override
  public double[] thresholds() {
    return thresholds.clone();
  }

  /** Value equality: arrays are compared by content. */
  @Override
  public boolean equals(Object other) {
    return other instanceof RocCurve o
        && Arrays.equals(fpr, o.fpr)
        && Arrays.equals(tpr, o.tpr)
        && Arrays.equals(thresholds, o.thresholds);
  }

  @Override
  public int hashCode() {
    int h = 1;
    h = 31 * h + Arrays.hashCode(fpr);
    h = 31 * h + Arrays.hashCode(tpr);
    h = 31 * h + Arrays.hashCode(thresholds);
    return h;
  }

  @Override
  public String toString() {
    return "RocCurve["
        + "fpr="
        + Arrays.toString(fpr)
        + ", "
        + "tpr="
        + Arrays.toString(tpr)
        + ", "
        + "thresholds="
        + Arrays.toString(thresholds)
        + "]";
  }
}
