package io.github.mediclip.eval.metrics;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Bootstrap percentile confidence intervals for image-level metrics.
 *
 * <p>Each resample draws n samples with replacement; one {@link SplittableRandom} stream is split
 * from the seed per resample, so the interval depends only on the seed. Resamples that hold only
 * one class (where AUROC is undefined) are skipped and counted, as is common practice with
 * scikit-learn; at least half of the requested resamples must be usable. Percentiles use linear
 * interpolation between order statistics (numpy's default).
 */
public final class Bootstrap {

  private Bootstrap() {}

  /**
   * A 95 % interval from 1000 resamples.
   *
   * @param scores one finite score per sample
   * @param labels one 0/1 label per sample; both classes must occur
   * @param metric the metric, e.g. {@code Metrics::auroc}
   * @param seed the seed
   * @return the interval
   */
  public static ConfidenceInterval confidenceInterval(
      double[] scores, int[] labels, BinaryMetric metric, long seed) {
    return confidenceInterval(scores, labels, metric, 1000, 0.95, seed);
  }

  /**
   * A bootstrap percentile interval.
   *
   * @param scores one finite score per sample
   * @param labels one 0/1 label per sample; both classes must occur
   * @param metric the metric, e.g. {@code Metrics::auroc}
   * @param resamples number of resamples, at least 10
   * @param level confidence level in (0, 1)
   * @param seed the seed
   * @return the interval
   */
  public static ConfidenceInterval confidenceInterval(
      double[] scores, int[] labels, BinaryMetric metric, int resamples, double level, long seed) {
    Objects.requireNonNull(metric, "metric");
    if (resamples < 10) {
      throw new IllegalArgumentException("resamples is " + resamples + "; it must be at least 10");
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level is " + level + "; it must be in (0, 1), e.g. 0.95");
    }
    double estimate = metric.compute(scores, labels); // validates the inputs
    int n = scores.length;
    SplittableRandom root = new SplittableRandom(seed);
    double[] values = new double[resamples];
    int used = 0;
    int skipped = 0;
    double[] s = new double[n];
    int[] l = new int[n];
    for (int r = 0; r < resamples; r++) {
      SplittableRandom random = root.split();
      int positives = 0;
      for (int i = 0; i < n; i++) {
        int k = random.nextInt(n);
        s[i] = scores[k];
        l[i] = labels[k];
        positives += labels[k];
      }
      if (positives == 0 || positives == n) {
        skipped++;
        continue;
      }
      values[used++] = metric.compute(s, l);
    }
    if (used < resamples / 2) {
      throw new IllegalStateException(
          skipped
              + " of "
              + resamples
              + " resamples held only one class; the"
              + " sample is too small or too unbalanced for a bootstrap interval");
    }
    double[] v = Arrays.copyOf(values, used);
    Arrays.sort(v);
    double alpha = (1 - level) / 2;
    return new ConfidenceInterval(
        estimate, percentile(v, alpha), percentile(v, 1 - alpha), level, used, skipped, seed);
  }

  /** numpy's default ("linear") percentile of a sorted array, q in [0, 1]. */
  static double percentile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    double frac = pos - lo;
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
  }
}
