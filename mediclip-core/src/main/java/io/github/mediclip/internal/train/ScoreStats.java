package io.github.mediclip.internal.train;

import io.github.mediclip.internal.metrics.Auroc;
import java.util.function.IntToDoubleFunction;

/**
 * Small exact metrics used for model selection inside core (the eval module holds the full metric
 * suite; core must not depend on it), and the split by label that threshold calibration ({@code
 * io.github.mediclip.Calibration}) shares. All methods are exact, with ties handled like
 * scikit-learn: a tied positive/negative pair counts one half in the AUROC.
 */
public final class ScoreStats {

  private ScoreStats() {}

  /**
   * Exact ROC AUC = P(s+ &gt; s-) + 0.5 P(s+ == s-), by sorting positives and negatives separately
   * and merging: O(n log n), primitive arrays only.
   *
   * @param pos scores of positive samples (the first {@code nPos} are used; sorted in place)
   * @param nPos number of positives
   * @param neg scores of negative samples (the first {@code nNeg} are used; sorted in place)
   * @param nNeg number of negatives
   * @return the AUROC, or NaN when one class is empty
   */
  static double auroc(double[] pos, int nPos, double[] neg, int nNeg) {
    // "Not measurable" is a normal outcome for model selection (e.g. no anomalies in a validation
    // set), so it is decided here; the shared kernel treats an empty class as an error.
    if (nPos == 0 || nNeg == 0) {
      return Double.NaN;
    }
    return Auroc.exact(pos, nPos, neg, nNeg);
  }

  /**
   * Exact AUROC of labelled scores.
   *
   * @param scores scores
   * @param labels true for positive
   * @return AUROC or NaN when one class is empty
   */
  static double auroc(double[] scores, boolean[] labels) {
    return auroc(split(labels, i -> scores[i]));
  }

  /**
   * Exact AUROC of values already split by label.
   *
   * @param s the split (its arrays are sorted in place)
   * @return AUROC or NaN when one class is empty
   */
  static double auroc(Split s) {
    return auroc(s.pos(), s.pos().length, s.neg(), s.neg().length);
  }

  /**
   * Values split by label, in their original order.
   *
   * @param pos the values with label true
   * @param neg the values with label false
   */
  public record Split(double[] pos, double[] neg) {}

  /**
   * Splits values by label.
   *
   * @param labels true for positive, one per value
   * @param value the value at index i, for 0 &lt;= i &lt; labels.length
   * @return positives and negatives, each array exactly as long as its class
   */
  public static Split split(boolean[] labels, IntToDoubleFunction value) {
    int nPos = 0;
    for (boolean l : labels) {
      if (l) {
        nPos++;
      }
    }
    double[] pos = new double[nPos];
    double[] neg = new double[labels.length - nPos];
    int p = 0;
    int q = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i]) {
        pos[p++] = value.applyAsDouble(i);
      } else {
        neg[q++] = value.applyAsDouble(i);
      }
    }
    return new Split(pos, neg);
  }
}
