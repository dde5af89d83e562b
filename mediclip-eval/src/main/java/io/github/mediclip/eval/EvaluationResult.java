package io.github.mediclip.eval;

import io.github.mediclip.eval.data.Sample;
import io.github.mediclip.eval.metrics.BinaryMetrics;
import io.github.mediclip.eval.metrics.ConfidenceInterval;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of one {@link DetectorEvaluator} run.
 *
 * @param dataset dataset name
 * @param samples the test samples, in the order scored
 * @param scores image scores, aligned with {@code samples}
 * @param labels image labels (0/1), aligned with {@code samples}
 * @param image image-level AUROC, AP and F1-max
 * @param imageAurocCi bootstrap confidence interval of the image AUROC, or {@code null} when disabled
 * @param pixel pixel-level AUROC, AP and F1-max, or {@code null} (see {@code pixelNote})
 * @param aupro pixel AUPRO up to FPR 0.3 (normalised), or {@code NaN} when there are no pixel metrics
 * @param pixelNote why pixel metrics are missing, or an empty string
 * @param seconds wall time of scoring and metrics (without report writing)
 * @param reportDir the report folder, or {@code null} when none was written
 */
public record EvaluationResult(String dataset, List<Sample> samples, double[] scores, int[] labels,
    BinaryMetrics image, ConfidenceInterval imageAurocCi, BinaryMetrics pixel, double aupro, String pixelNote,
    double seconds, Path reportDir) {

  /**
   * Copies the sample list.
   *
   * @param dataset dataset name
   * @param samples the test samples, in the order scored
   * @param scores image scores, aligned with {@code samples}
   * @param labels image labels (0/1), aligned with {@code samples}
   * @param image image-level AUROC, AP and F1-max
   * @param imageAurocCi bootstrap confidence interval of the image AUROC, or {@code null} when disabled
   * @param pixel pixel-level AUROC, AP and F1-max, or {@code null} (see {@code pixelNote})
   * @param aupro pixel AUPRO up to FPR 0.3 (normalised), or {@code NaN} when there are no pixel metrics
   * @param pixelNote why pixel metrics are missing, or an empty string
   * @param seconds wall time of scoring and metrics (without report writing)
   * @param reportDir the report folder, or {@code null} when none was written
   */
  public EvaluationResult {
    samples = List.copyOf(samples);
  }

  /**
   * Whether pixel metrics were computed.
   *
   * @return {@code true} if pixel metrics were computed
   */
  public boolean hasPixelMetrics() {
    return pixel != null;
  }

  /**
   * Images scored per second.
   *
   * @return images scored per second
   */
  public double imagesPerSecond() {
    return seconds > 0 ? samples.size() / seconds : Double.NaN;
  }
}
