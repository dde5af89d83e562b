/**
 * Exact anomaly-detection metrics: image-level AUROC, average precision and F1-max ({@link
 * io.github.mediclip.eval.metrics.Metrics}, {@link io.github.mediclip.eval.metrics.BinaryMetrics}),
 * pixel-level AUROC and AUPRO ({@link io.github.mediclip.eval.metrics.PixelMetrics}), ROC and PR
 * curves, and bootstrap confidence intervals ({@link io.github.mediclip.eval.metrics.Bootstrap}).
 */
package io.github.mediclip.eval.metrics;
