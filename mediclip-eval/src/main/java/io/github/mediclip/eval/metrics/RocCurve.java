package io.github.mediclip.eval.metrics;

/**
 * A receiver operating characteristic curve as returned by scikit-learn's {@code roc_curve}: the first point is
 * (0, 0) at threshold {@code +Infinity}, then one point per kept distinct threshold, in decreasing threshold order.
 *
 * @param fpr false positive rates, non-decreasing, ending at 1
 * @param tpr true positive rates, non-decreasing, ending at 1
 * @param thresholds decreasing thresholds; a sample is positive when its score is {@code >= threshold}
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds) {
  /**
   * Checks that the three arrays have the same length.
   *
   * @param fpr false positive rates, non-decreasing, ending at 1
   * @param tpr true positive rates, non-decreasing, ending at 1
   * @param thresholds decreasing thresholds; a sample is positive when its score is {@code >= threshold}
   */
  public RocCurve {
    if (fpr.length != tpr.length || fpr.length != thresholds.length) {
      throw new IllegalArgumentException("fpr, tpr and thresholds differ in length: " + fpr.length + ", "
          + tpr.length + ", " + thresholds.length);
    }
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
}
