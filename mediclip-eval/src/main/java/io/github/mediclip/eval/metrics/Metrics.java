package io.github.mediclip.eval.metrics;

import io.github.mediclip.internal.metrics.Auroc;
import java.util.Arrays;
import java.util.Objects;

/**
 * Exact image-level anomaly-detection metrics with the semantics of scikit-learn, the reference of
 * the field.
 *
 * <p>All methods take one score per sample (higher means more anomalous) and one label per sample
 * ({@code 0} normal, {@code 1} anomalous). Ties are handled as scikit-learn does: all samples with
 * the same score enter the curve at once (one point per distinct threshold), so a tie between a
 * normal and an anomalous sample counts one half in the AUROC. Every metric needs both classes; NaN
 * or infinite scores, labels other than 0/1, empty inputs and arrays of different length are
 * rejected with an {@link IllegalArgumentException} that names the offending index and value.
 *
 * <p>Cost: one {@code O(n log n)} sort of primitive arrays; no boxing. For pixel-level metrics over
 * many maps use {@link PixelMetrics}.
 */
public final class Metrics {

  private Metrics() {}

  /**
   * Area under the ROC curve, as {@code sklearn.metrics.roc_auc_score(labels, scores)}.
   *
   * @param scores one finite score per sample, higher = more anomalous
   * @param labels one label per sample, 0 (normal) or 1 (anomalous); both classes must occur
   * @return the AUROC in [0, 1]
   */
  public static double auroc(double[] scores, int[] labels) {
    double[][] split = split(scores, labels);
    return Auroc.exact(split[0], split[0].length, split[1], split[1].length);
  }

  /**
   * Average precision, as {@code sklearn.metrics.average_precision_score(labels, scores)}: {@code
   * sum over distinct thresholds (R_n - R_{n-1}) * P_n} (a step function, not the trapezoid).
   *
   * @param scores one finite score per sample
   * @param labels one label per sample, 0 or 1; both classes must occur
   * @return the average precision in [0, 1]
   */
  public static double averagePrecision(double[] scores, int[] labels) {
    return sweep(scores, labels, false).averagePrecision();
  }

  /**
   * The best F1 over all distinct thresholds (anomalib's {@code F1Max}, computed with exact counts
   * instead of anomalib's {@code 1e-10} guard in the denominator).
   *
   * @param scores one finite score per sample
   * @param labels one label per sample, 0 or 1; both classes must occur
   * @return the maximal F1 in [0, 1]
   */
  public static double f1Max(double[] scores, int[] labels) {
    return bestF1(scores, labels).f1();
  }

  /**
   * The best F1 and the threshold, precision and recall where it is reached.
   *
   * @param scores one finite score per sample
   * @param labels one label per sample, 0 or 1; both classes must occur
   * @return the best F1 and its operating point
   */
  public static F1Max bestF1(double[] scores, int[] labels) {
    return sweep(scores, labels, false).f1Max();
  }

  /**
   * AUROC, average precision and F1-max from a single sort.
   *
   * @param scores one finite score per sample
   * @param labels one label per sample, 0 or 1; both classes must occur
   * @return the three metrics and the class counts
   */
  public static BinaryMetrics evaluate(double[] scores, int[] labels) {
    return sweep(scores, labels, false).summary();
  }

  /**
   * The ROC curve as {@code sklearn.metrics.roc_curve(labels, scores)} (with its default {@code
   * drop_intermediate=True}).
   *
   * @param scores one finite score per sample
   * @param labels one label per sample, 0 or 1; both classes must occur
   * @return the curve, starting at (0, 0) with threshold {@code +Infinity}
   */
  public static RocCurve rocCurve(double[] scores, int[] labels) {
    return rocCurve(scores, labels, true);
  }

  /**
   * The ROC curve, optionally keeping every distinct threshold.
   *
   * @param scores one finite score per sample
   * @param labels one label per sample, 0 or 1; both classes must occur
   * @param dropIntermediate whether to drop points that lie on a straight line between their
   *     neighbours (scikit-learn's default is {@code true})
   * @return the curve, starting at (0, 0) with threshold {@code +Infinity}
   */
  public static RocCurve rocCurve(double[] scores, int[] labels, boolean dropIntermediate) {
    return sweep(scores, labels, true).rocCurve(dropIntermediate);
  }

  /**
   * The precision-recall curve as {@code sklearn.metrics.precision_recall_curve(labels, scores)}.
   *
   * @param scores one finite score per sample
   * @param labels one label per sample, 0 or 1; both classes must occur
   * @return the curve (thresholds ascending, final point precision 1, recall 0)
   */
  public static PrCurve prCurve(double[] scores, int[] labels) {
    return sweep(scores, labels, true).prCurve();
  }

  private static Sweep sweep(double[] scores, int[] labels, boolean record) {
    double[][] split = split(scores, labels);
    Sweep sweep = new Sweep(split[0].length, split[1].length, record);
    Sweep.walk(split[0], split[1], sweep);
    return sweep;
  }

  /** Checks scores and labels; returns {positives, negatives}, each sorted ascending. */
  private static double[][] split(double[] scores, int[] labels) {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(labels, "labels");
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(
          "scores and labels differ in length: scores has "
              + scores.length
              + " entries, labels has "
              + labels.length);
    }
    if (scores.length == 0) {
      throw new IllegalArgumentException(
          "scores and labels are empty; metrics need at least one normal and one"
              + " anomalous sample");
    }
    int positives = 0;
    for (int i = 0; i < labels.length; i++) {
      int l = labels[i];
      if (l != 0 && l != 1) {
        throw new IllegalArgumentException(
            "labels[" + i + "] is " + l + "; labels must be 0 (normal) or 1" + " (anomalous)");
      }
      checkScore(scores[i], i);
      positives += l;
    }
    requireBothClasses(positives, labels.length - (long) positives, "labels");
    double[] pos = new double[positives];
    double[] neg = new double[labels.length - positives];
    int p = 0;
    int n = 0;
    for (int i = 0; i < labels.length; i++) {
      double s = scores[i] + 0.0; // -0.0 and 0.0 are one threshold, as in numpy
      if (labels[i] == 1) {
        pos[p++] = s;
      } else {
        neg[n++] = s;
      }
    }
    Arrays.sort(pos);
    Arrays.sort(neg);
    return new double[][] {pos, neg};
  }

  static void checkScore(double s, long index) {
    if (Double.isNaN(s) || Double.isInfinite(s)) {
      throw new IllegalArgumentException(
          "scores["
              + index
              + "] is "
              + s
              + "; scores must be finite (check the"
              + " detector output or the score normalisation)");
    }
  }

  static void requireBothClasses(long positives, long negatives, String what) {
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(
          "only one class is present in "
              + what
              + " ("
              + positives
              + " anomalous, "
              + negatives
              + " normal); AUROC, average precision and F1 need both normal and"
              + " anomalous samples");
    }
  }
}
