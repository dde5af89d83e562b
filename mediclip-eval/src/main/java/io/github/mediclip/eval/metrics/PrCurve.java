package io.github.mediclip.eval.metrics;

import java.util.Arrays;

/**
 * A precision-recall curve as returned by scikit-learn's {@code precision_recall_curve}: thresholds
 * in increasing order, {@code precision[i]} and {@code recall[i]} at {@code thresholds[i]}, and a
 * last point (precision 1, recall 0) without threshold, so that the precision and recall arrays are
 * one longer than the thresholds.
 *
 * @param precision precision per threshold, then 1
 * @param recall recall per threshold (non-increasing), then 0
 * @param thresholds increasing distinct scores
 */
public record PrCurve(double[] precision, double[] recall, double[] thresholds) {
  /**
   * Checks the array lengths and copies the arrays.
   *
   * @param precision precision per threshold, then 1
   * @param recall recall per threshold (non-increasing), then 0
   * @param thresholds increasing distinct scores
   */
  public PrCurve {
    if (precision.length != recall.length || precision.length != thresholds.length + 1) {
      throw new IllegalArgumentException(
          "precision and recall must have thresholds.length + 1 entries, got "
              + precision.length
              + ", "
              + recall.length
              + " for "
              + thresholds.length
              + " thresholds");
    }
    precision = precision.clone();
    recall = recall.clone();
    thresholds = thresholds.clone();
  }

  /**
   * Number of points, including the final (1, 0) point.
   *
   * @return the number of points
   */
  public int size() {
    return precision.length;
  }

  /**
   * Average precision of this curve: {@code -sum(diff(recall) * precision[:-1])}.
   *
   * @return the average precision in [0, 1]
   */
  public double averagePrecision() {
    double ap = 0;
    for (int i = 0; i + 1 < recall.length; i++) {
      ap -= (recall[i + 1] - recall[i]) * precision[i];
    }
    return ap;
  }

  /**
   * Returns the precisions.
   *
   * @return a copy of the precisions
   */
  @Override
  public double[] precision() {
    return precision.clone();
  }

  /**
   * Returns the recalls.
   *
   * @return a copy of the recalls
   */
  @Override
  public double[] recall() {
    return recall.clone();
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
    return other instanceof PrCurve o
        && Arrays.equals(precision, o.precision)
        && Arrays.equals(recall, o.recall)
        && Arrays.equals(thresholds, o.thresholds);
  }

  @Override
  public int hashCode() {
    int h = 1;
    h = 31 * h + Arrays.hashCode(precision);
    h = 31 * h + Arrays.hashCode(recall);
    h = 31 * h + Arrays.hashCode(thresholds);
    return h;
  }

  @Override
  public String toString() {
    return "PrCurve["
        + "precision="
        + Arrays.toString(precision)
        + ", "
        + "recall="
        + Arrays.toString(recall)
        + ", "
        + "thresholds="
        + Arrays.toString(thresholds)
        + "]";
  }
}
