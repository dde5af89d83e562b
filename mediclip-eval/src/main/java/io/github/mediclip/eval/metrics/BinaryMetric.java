package io.github.mediclip.eval.metrics;

/** A metric of scores against 0/1 labels, e.g. {@code Metrics::auroc}, for {@link Bootstrap}. */
@FunctionalInterface
public interface BinaryMetric {
  /**
   * Computes the metric.
   *
   * @param scores one score per sample
   * @param labels one 0/1 label per sample
   * @return the metric value
   */
  double compute(double[] scores, int[] labels);
}
