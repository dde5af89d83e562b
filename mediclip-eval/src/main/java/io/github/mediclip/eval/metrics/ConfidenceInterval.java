package io.github.mediclip.eval.metrics;

import java.util.Locale;

/**
 * A bootstrap percentile confidence interval.
 *
 * @param estimate the metric on the full sample
 * @param lower lower bound (the {@code (1 - level) / 2} percentile of the resampled metric)
 * @param upper upper bound (the {@code (1 + level) / 2} percentile)
 * @param level the confidence level, e.g. 0.95
 * @param resamples number of resamples that entered the interval
 * @param skipped resamples drawn but skipped because they held only one class
 * @param seed the seed that makes the interval reproducible
 */
public record ConfidenceInterval(
    double estimate,
    double lower,
    double upper,
    double level,
    int resamples,
    int skipped,
    long seed) {

  /** Formats as {@code 0.912 [0.871, 0.948]} with {@link Locale#ROOT}. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%.4f [%.4f, %.4f] (%.0f%% CI, %d resamples, seed %d)",
        estimate,
        lower,
        upper,
        level * 100,
        resamples,
        seed);
  }
}
