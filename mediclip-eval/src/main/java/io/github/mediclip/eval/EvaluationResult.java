package io.github.mediclip.eval;

import io.github.mediclip.eval.metrics.BinaryMetrics;
import io.github.mediclip.eval.metrics.ConfidenceInterval;
import io.github.mediclip.train.LabeledImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one {@link DetectorEvaluator} run.
 *
 * @param dataset dataset name
 * @param samples the test samples, in the order scored
 * @param scores image scores, aligned with {@code samples}
 * @param labels image labels (0/1), aligned with {@code samples}
 * @param image image-level AUROC, AP and F1-max
 * @param imageAurocCi bootstrap confidence interval of the image AUROC, or {@code null} when
 *     disabled
 * @param pixel pixel-level AUROC, AP and F1-max, or {@code null} (see {@code pixelNote})
 * @param aupro pixel AUPRO up to FPR 0.3 (normalised), or {@code NaN} when there are no pixel
 *     metrics
 * @param pixelNote why pixel metrics are missing, or an empty string
 * @param seconds wall time of scoring and metrics (without report writing)
 * @param reportDir the report folder, or {@code null} when none was written
 */
public record EvaluationResult(
    String dataset,
    List<LabeledImage> samples,
    double[] scores,
    int[] labels,
    BinaryMetrics image,
    ConfidenceInterval imageAurocCi,
    BinaryMetrics pixel,
    double aupro,
    String pixelNote,
    double seconds,
    Path reportDir) {

  /**
   * Copies the sample list and the arrays.
   *
   * @param dataset dataset name
   * @param samples the test samples, in the order scored
   * @param scores image scores, aligned with {@code samples}
   * @param labels image labels (0/1), aligned with {@code samples}
   * @param image image-level AUROC, AP and F1-max
   * @param imageAurocCi bootstrap confidence interval of the image AUROC, or {@code null} when
   *     disabled
   * @param pixel pixel-level AUROC, AP and F1-max, or {@code null} (see {@code pixelNote})
   * @param aupro pixel AUPRO up to FPR 0.3 (normalised), or {@code NaN} when there are no pixel
   *     metrics
   * @param pixelNote why pixel metrics are missing, or an empty string
   * @param seconds wall time of scoring and metrics (without report writing)
   * @param reportDir the report folder, or {@code null} when none was written
   */
  public EvaluationResult {
    samples = List.copyOf(samples);
    scores = scores.clone();
    labels = labels.clone();
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

  /**
   * Returns the image scores, aligned with {@code samples}.
   *
   * @return a copy of the image scores, aligned with {@code samples}
   */
  @Override
  public double[] scores() {
    return scores.clone();
  }

  /**
   * Returns the image labels (0/1), aligned with {@code samples}.
   *
   * @return a copy of the image labels (0/1), aligned with {@code samples}
   */
  @Override
  public int[] labels() {
    return labels.clone();
  }

  /** Value equality: arrays are compared by content. */
  @Override
  public boolean equals(Object other) {
    return other instanceof EvaluationResult o
        && Objects.equals(dataset, o.dataset)
        && Objects.equals(samples, o.samples)
        && Arrays.equals(scores, o.scores)
        && Arrays.equals(labels, o.labels)
        && Objects.equals(image, o.image)
        && Objects.equals(imageAurocCi, o.imageAurocCi)
        && Objects.equals(pixel, o.pixel)
        && Double.compare(aupro, o.aupro) == 0
        && Objects.equals(pixelNote, o.pixelNote)
        && Double.compare(seconds, o.seconds) == 0
        && Objects.equals(reportDir, o.reportDir);
  }

  @Override
  public int hashCode() {
    int h = 1;
    h = 31 * h + Objects.hashCode(dataset);
    h = 31 * h + Objects.hashCode(samples);
    h = 31 * h + Arrays.hashCode(scores);
    h = 31 * h + Arrays.hashCode(labels);
    h = 31 * h + Objects.hashCode(image);
    h = 31 * h + Objects.hashCode(imageAurocCi);
    h = 31 * h + Objects.hashCode(pixel);
    h = 31 * h + Double.hashCode(aupro);
    h = 31 * h + Objects.hashCode(pixelNote);
    h = 31 * h + Double.hashCode(seconds);
    h = 31 * h + Objects.hashCode(reportDir);
    return h;
  }

  /** Summary without the per-sample arrays (which can be long). */
  @Override
  public String toString() {
    return "EvaluationResult[dataset="
        + dataset
        + ", samples="
        + samples.size()
        + ", image="
        + image
        + ", imageAurocCi="
        + imageAurocCi
        + ", pixel="
        + pixel
        + ", aupro="
        + aupro
        + ", pixelNote="
        + pixelNote
        + ", seconds="
        + seconds
        + ", reportDir="
        + reportDir
        + "]";
  }
}
