package io.github.mediclip.train;

import io.github.mediclip.OperatingPoint;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a training run ({@code MediClip.fit}; formerly {@code TrainingResult}, renamed so
 * that it does not clash with {@code ai.djl.training.TrainingResult}): the heads passed in now hold
 * the best state; this record says what was done.
 *
 * @param summary epochs, best epoch, metric, time, stop reason
 * @param operatingPoint thresholds and normalisation statistics chosen on the validation data with
 *     the best heads
 * @param shotIds ids of the k images trained on, in sampling order
 * @param trainingFingerprint hex SHA-256 over the ids and pixel data of the k training images
 * @param validationMetrics metrics of the best heads on the validation data ({@code image_auroc},
 *     and {@code pixel_auroc} when masks exist)
 * @param validationSize number of validation images
 */
public record FitResult(
    FitSummary summary,
    OperatingPoint operatingPoint,
    List<String> shotIds,
    String trainingFingerprint,
    Map<String, Double> validationMetrics,
    int validationSize) {

  /**
   * Copies the collections.
   *
   * @param summary epochs, best epoch, metric, time, stop reason
   * @param operatingPoint thresholds and normalisation statistics chosen on the validation data
   *     with the best heads
   * @param shotIds ids of the k images trained on, in sampling order
   * @param trainingFingerprint hex SHA-256 over the ids and pixel data of the k training images
   * @param validationMetrics metrics of the best heads on the validation data ({@code image_auroc},
   *     and {@code pixel_auroc} when masks exist)
   * @param validationSize number of validation images
   */
  public FitResult {
    shotIds = List.copyOf(shotIds);
    validationMetrics = Map.copyOf(validationMetrics);
  }
}
