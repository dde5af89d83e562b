package io.github.mediclip.eval.metrics;

/**
 * A precision-recall curve as returned by scikit-learn's {@code precision_recall_curve}: thresholds in increasing
 * order, {@code precision[i]} and {@code recall[i]} at {@code thresholds[i]}, and a last point (precision 1,
 * recall 0) without threshold, so that the precision and recall arrays are one longer than the thresholds.
 *
 * @param precision precision per threshold, then 1
 * @param recall recall per threshold (non-increasing), then 0
 * @param thresholds increasing distinct scores
 */
public record PrCurve(double[] precision, double[] recall, double[] thresholds) {
  /**
   * Checks the array lengths.
   *
   * @param precision precision per threshold, then 1
   * @param recall recall per threshold (non-increasing), then 0
   * @param thresholds increasing distinct scores
   */
  public PrCurve {
    if (precision.length != recall.length || precision.length != thresholds.length + 1) {
      throw new IllegalArgumentException("precision and recall must have thresholds.length + 1 entries, got "
          + precision.length + ", " + recall.length + " for " + thresholds.length + " thresholds");
    }
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
}
