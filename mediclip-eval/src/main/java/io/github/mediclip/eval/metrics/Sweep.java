package io.github.mediclip.eval.metrics;

import java.util.Arrays;

/**
 * One descending pass over the distinct thresholds of a binary scoring problem.
 *
 * <p>The walkers hand each group of tied scores (threshold t, dp positives and dn negatives scored
 * exactly t) to a {@link Sweep}, which accumulates, with integer counts wherever possible:
 *
 * <ul>
 *   <li>the ROC area as {@code sum dn * (2 tp_before + dp)} over groups (the trapezoid of
 *       scikit-learn's {@code roc_curve} + {@code auc}, where a tie group is one diagonal step),
 *       divided once at the end;
 *   <li>average precision {@code sum (R_n - R_{n-1}) P_n} over groups (scikit-learn's step
 *       definition);
 *   <li>the best F1 = 2 tp / (2 tp + fp + fn) over groups, and its threshold;
 *   <li>optionally the cumulative (fp, tp, threshold) points for curves.
 * </ul>
 */
final class Sweep {

  private final long positives;
  private final long negatives;
  private long tp;
  private long fp;
  private long area2;
  private double ap;
  private double bestF1 = -1;
  private double bestF1Threshold = Double.NaN;
  private long bestTp;
  private long bestFp;

  private final boolean record;
  private final long recordStep;
  private long lastRecorded;
  private long[] fps;
  private long[] tps;
  private double[] thresholds;
  private int size;

  Sweep(long positives, long negatives, boolean record) {
    this(positives, negatives, record, 0);
  }

  /**
   * A sweep that records a curve point only after at least {@code recordStep} samples have passed
   * since the last recorded point (and always the last point), to bound curve sizes for plotting; 0
   * records all points.
   */
  Sweep(long positives, long negatives, boolean record, long recordStep) {
    this.positives = positives;
    this.negatives = negatives;
    this.record = record;
    this.recordStep = recordStep;
    if (record) {
      fps = new long[16];
      tps = new long[16];
      thresholds = new double[16];
    }
  }

  void accept(double threshold, long dp, long dn) {
    area2 += dn * (2 * tp + dp);
    tp += dp;
    fp += dn;
    if (dp > 0) {
      ap += ((double) dp / positives) * ((double) tp / (tp + fp));
    }
    double f1 = tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + (positives - tp));
    if (f1 > bestF1) {
      bestF1 = f1;
      bestF1Threshold = threshold;
      bestTp = tp;
      bestFp = fp;
    }
    if (record
        && (recordStep == 0
            || tp + fp - lastRecorded >= recordStep
            || tp + fp == positives + negatives)) {
      lastRecorded = tp + fp;
      if (size == fps.length) {
        int cap = size * 2;
        fps = Arrays.copyOf(fps, cap);
        tps = Arrays.copyOf(tps, cap);
        thresholds = Arrays.copyOf(thresholds, cap);
      }
      fps[size] = fp;
      tps[size] = tp;
      thresholds[size] = threshold;
      size++;
    }
  }

  double auroc() {
    return (double) area2 / (2.0 * (double) positives * (double) negatives);
  }

  double averagePrecision() {
    return ap;
  }

  F1Max f1Max() {
    double precision = bestTp + bestFp == 0 ? 0.0 : (double) bestTp / (bestTp + bestFp);
    return new F1Max(bestF1, bestF1Threshold, precision, (double) bestTp / positives);
  }

  BinaryMetrics summary() {
    F1Max f1 = f1Max();
    return new BinaryMetrics(
        auroc(), averagePrecision(), f1.f1(), f1.threshold(), positives, negatives);
  }

  /**
   * scikit-learn's {@code roc_curve}: optional removal of collinear points, then a leading (0, 0,
   * +inf).
   */
  RocCurve rocCurve(boolean dropIntermediate) {
    int[] keep;
    if (dropIntermediate && size > 2) {
      int[] idx = new int[size];
      int m = 0;
      idx[m++] = 0;
      for (int i = 1; i < size - 1; i++) {
        long dfp = fps[i + 1] - 2 * fps[i] + fps[i - 1];
        long dtp = tps[i + 1] - 2 * tps[i] + tps[i - 1];
        if (dfp != 0 || dtp != 0) {
          idx[m++] = i;
        }
      }
      idx[m++] = size - 1;
      keep = Arrays.copyOf(idx, m);
    } else {
      keep = new int[size];
      for (int i = 0; i < size; i++) {
        keep[i] = i;
      }
    }
    double[] fpr = new double[keep.length + 1];
    double[] tpr = new double[keep.length + 1];
    double[] thr = new double[keep.length + 1];
    thr[0] = Double.POSITIVE_INFINITY;
    for (int j = 0; j < keep.length; j++) {
      int i = keep[j];
      fpr[j + 1] = (double) fps[i] / negatives;
      tpr[j + 1] = (double) tps[i] / positives;
      thr[j + 1] = thresholds[i];
    }
    return new RocCurve(fpr, tpr, thr);
  }

  /**
   * scikit-learn's {@code precision_recall_curve} (no point dropping): thresholds ascending, then
   * (P=1, R=0).
   */
  PrCurve prCurve() {
    double[] precision = new double[size + 1];
    double[] recall = new double[size + 1];
    double[] thr = new double[size];
    for (int i = 0; i < size; i++) {
      int j = size - 1 - i;
      long ps = tps[j] + fps[j];
      precision[i] = ps == 0 ? 0.0 : (double) tps[j] / ps;
      recall[i] = (double) tps[j] / positives;
      thr[i] = thresholds[j];
    }
    precision[size] = 1.0;
    recall[size] = 0.0;
    return new PrCurve(precision, recall, thr);
  }

  // ---------------------------------------------------------------- walkers

  /** Walks two ascending double arrays (positives, negatives) from the top, group by group. */
  static void walk(double[] pos, double[] neg, Sweep sink) {
    int i = pos.length - 1;
    int j = neg.length - 1;
    while (i >= 0 || j >= 0) {
      double t;
      if (i < 0) {
        t = neg[j];
      } else if (j < 0) {
        t = pos[i];
      } else {
        t = Math.max(pos[i], neg[j]);
      }
      long dp = 0;
      while (i >= 0 && pos[i] == t) {
        dp++;
        i--;
      }
      long dn = 0;
      while (j >= 0 && neg[j] == t) {
        dn++;
        j--;
      }
      sink.accept(t, dp, dn);
    }
  }

  /** Walks two ascending key arrays (see {@link FloatKeys}) from the top, group by group. */
  static void walk(int[] pos, int np, int[] neg, int nn, Sweep sink) {
    int i = np - 1;
    int j = nn - 1;
    while (i >= 0 || j >= 0) {
      int t;
      if (i < 0) {
        t = neg[j];
      } else if (j < 0) {
        t = pos[i];
      } else {
        t = Math.max(pos[i], neg[j]);
      }
      int i0 = i;
      while (i >= 0 && pos[i] == t) {
        i--;
      }
      int j0 = j;
      while (j >= 0 && neg[j] == t) {
        j--;
      }
      sink.accept(FloatKeys.value(t), i0 - i, j0 - j);
    }
  }
}
