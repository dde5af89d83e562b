package io.github.mediclip.eval;

import java.util.List;

/**
 * Metrics of a detector on a {@link io.github.mediclip.eval.data.VolumeDataset}. A metric that is
 * undefined (only one class present) is {@code NaN}.
 *
 * @param volumes number of volumes evaluated
 * @param slices number of slices
 * @param anomalousSlices slices whose mask has an anomalous voxel
 * @param sliceAuroc slice-level image AUROC (slice score vs slice label)
 * @param sliceAveragePrecision slice-level image average precision
 * @param pixelAuroc voxel-level AUROC over all voxels of all volumes
 * @param pixelAupro voxel-level AUPRO (FPR limit 0.3); regions are the 8-connected components of
 *     each slice's mask
 * @param volumeAuroc volume-level AUROC (volume score vs "the mask has an anomalous voxel"); {@code
 *     NaN} when all volumes have the same label
 * @param scoring the volume scoring rule
 * @param perVolume one line per volume
 */
public record VolumeEvaluation(
    int volumes,
    int slices,
    int anomalousSlices,
    double sliceAuroc,
    double sliceAveragePrecision,
    double pixelAuroc,
    double pixelAupro,
    double volumeAuroc,
    String scoring,
    List<VolumeResult> perVolume) {

  /**
   * Copies the list.
   *
   * @param volumes number of volumes evaluated
   * @param slices number of slices
   * @param anomalousSlices slices whose mask has an anomalous voxel
   * @param sliceAuroc slice-level image AUROC
   * @param sliceAveragePrecision slice-level image average precision
   * @param pixelAuroc voxel-level AUROC
   * @param pixelAupro voxel-level AUPRO
   * @param volumeAuroc volume-level AUROC or NaN
   * @param scoring the volume scoring rule
   * @param perVolume one line per volume
   */
  public VolumeEvaluation {
    perVolume = List.copyOf(perVolume);
  }

  /**
   * The outcome for one volume.
   *
   * @param name the volume's name
   * @param score the volume score
   * @param label 1 when its mask has an anomalous voxel
   * @param intensityPolicy the policy that mapped it
   * @param sliceScores one score per slice
   * @param sliceLabels one label per slice (from the mask)
   */
  public record VolumeResult(
      String name,
      double score,
      int label,
      String intensityPolicy,
      double[] sliceScores,
      int[] sliceLabels) {}
}
