package io.github.mediclip.internal.metrics;

import java.util.Arrays;

/**
 * The one exact AUROC kernel of the library, shared by the trainer's model selection (core) and
 * {@code Metrics.auroc} (eval): P(s+ &gt; s-) + 0.5 P(s+ == s-), with ties counted one half as
 * scikit-learn does, by sorting positives and negatives separately and merging (O(n log n),
 * primitive arrays only).
 *
 * <p>Semantics: a class without samples is an error ({@link IllegalArgumentException}); the AUROC
 * is not defined then. A caller for whom "not measurable" is a normal outcome (the trainer, when a
 * validation set has no anomalies) checks the class sizes itself, before calling.
 */
public final class Auroc {

  private Auroc() {}

  /**
   * Computes the exact AUROC.
   *
   * @param pos scores of positive samples (the first {@code nPos} are used; sorted in place)
   * @param nPos number of positives, at least 1
   * @param neg scores of negative samples (the first {@code nNeg} are used; sorted in place)
   * @param nNeg number of negatives, at least 1
   * @return the AUROC in [0, 1]
   * @throws IllegalArgumentException when a class is empty
   */
  public static double exact(double[] pos, int nPos, double[] neg, int nNeg) {
    if (nPos <= 0 || nNeg <= 0) {
      throw new IllegalArgumentException(
          "AUROC needs at least one positive and one negative sample; got "
              + nPos
              + " positive and "
              + nNeg
              + " negative");
    }
    Arrays.sort(pos, 0, nPos);
    Arrays.sort(neg, 0, nNeg);
    double sum = 0;
    int lo = 0; // negatives strictly below the current positive
    int hi = 0; // negatives below or equal
    for (int i = 0; i < nPos; i++) {
      double v = pos[i];
      while (lo < nNeg && neg[lo] < v) {
        lo++;
      }
      if (hi < lo) {
        hi = lo;
      }
      while (hi < nNeg && neg[hi] <= v) {
        hi++;
      }
      sum += lo + 0.5 * (hi - lo);
    }
    return sum / ((double) nPos * nNeg);
  }
}
