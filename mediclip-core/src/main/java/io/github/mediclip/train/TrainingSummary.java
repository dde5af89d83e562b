package io.github.mediclip.train;

import java.util.List;

/**
 * What a training run did; saved into the detector bundle's manifest.
 *
 * @param epochsRun epochs completed
 * @param bestEpoch 1-based epoch whose heads were kept (0 = the initial heads, when no epoch improved)
 * @param bestMetric the selection metric of the best epoch
 * @param selectionMetric name of the selection metric: {@code image_auroc}, or {@code
 *     mean_image_pixel_auroc} when the validation data has masks
 * @param validationSource where the validation data came from: {@code user}, {@code
 *     synthesized-holdout}, {@code synthesized-shots} or {@code legacy-test-set}
 * @param seconds wall-clock training time
 * @param stopReason empty when all epochs ran, else {@code early-stop}, {@code listener} or {@code
 *     interrupted}
 * @param finalTrainLoss mean training loss of the last epoch
 * @param epochLosses mean training loss per epoch
 * @param epochMetrics selection metric per epoch
 */
public record TrainingSummary(
    int epochsRun,
    int bestEpoch,
    double bestMetric,
    String selectionMetric,
    String validationSource,
    double seconds,
    String stopReason,
    double finalTrainLoss,
    List<Double> epochLosses,
    List<Double> epochMetrics) {

  /**
   * Copies the lists.
   *
   * @param epochsRun epochs completed
   * @param bestEpoch 1-based epoch whose heads were kept (0 = the initial heads, when no epoch improved)
   * @param bestMetric the selection metric of the best epoch
   * @param selectionMetric name of the selection metric: {@code image_auroc}, or {@code
   *     mean_image_pixel_auroc} when the validation data has masks
   * @param validationSource where the validation data came from: {@code user}, {@code
   *     synthesized-holdout}, {@code synthesized-shots} or {@code legacy-test-set}
   * @param seconds wall-clock training time
   * @param stopReason empty when all epochs ran, else {@code early-stop}, {@code listener} or {@code
   *     interrupted}
   * @param finalTrainLoss mean training loss of the last epoch
   * @param epochLosses mean training loss per epoch
   * @param epochMetrics selection metric per epoch
   */
  public TrainingSummary {
    epochLosses = List.copyOf(epochLosses);
    epochMetrics = List.copyOf(epochMetrics);
  }
}
