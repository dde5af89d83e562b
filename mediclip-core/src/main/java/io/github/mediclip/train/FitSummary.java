package io.github.mediclip.train;

import java.util.List;
import java.util.Objects;

/**
 * What a training run did; saved into the detector bundle's manifest (formerly {@code
 * TrainingSummary}).
 *
 * @param epochsRun epochs completed
 * @param bestEpoch 1-based epoch whose heads were kept (0 = the initial heads, when no epoch
 *     improved)
 * @param bestMetric the selection metric of the best epoch
 * @param selectionMetric name of the selection metric: {@code image_auroc}, or {@code
 *     mean_image_pixel_auroc} when the validation data has masks
 * @param validationSource where the validation data came from; the manifest stores its {@link
 *     ValidationSource#label() label}
 * @param normalsSeen the number of distinct normal images the run used: the k shots plus the normal
 *     validation images (held-out normals, or the normal images of user or test-set validation
 *     data); k in the k-shot protocol. 0 in manifests written before this field existed.
 * @param seconds wall-clock training time
 * @param stopReason why training ended; the manifest stores its {@link StopReason#label() label}
 * @param finalTrainLoss mean training loss of the last epoch
 * @param epochLosses mean training loss per epoch
 * @param epochMetrics selection metric per epoch
 */
public record FitSummary(
    int epochsRun,
    int bestEpoch,
    double bestMetric,
    String selectionMetric,
    ValidationSource validationSource,
    int normalsSeen,
    double seconds,
    StopReason stopReason,
    double finalTrainLoss,
    List<Double> epochLosses,
    List<Double> epochMetrics) {

  /**
   * Copies the lists.
   *
   * @param epochsRun epochs completed
   * @param bestEpoch 1-based epoch whose heads were kept (0 = the initial heads)
   * @param bestMetric the selection metric of the best epoch
   * @param selectionMetric name of the selection metric
   * @param validationSource where the validation data came from
   * @param normalsSeen shots plus normal validation images
   * @param seconds wall-clock training time
   * @param stopReason why training ended
   * @param finalTrainLoss mean training loss of the last epoch
   * @param epochLosses mean training loss per epoch
   * @param epochMetrics selection metric per epoch
   */
  public FitSummary {
    Objects.requireNonNull(validationSource, "validationSource");
    Objects.requireNonNull(stopReason, "stopReason");
    epochLosses = List.copyOf(epochLosses);
    epochMetrics = List.copyOf(epochMetrics);
  }
}
