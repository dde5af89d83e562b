package io.github.mediclip.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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
      int[] sliceLabels) {

    /**
     * Copies the arrays, so that the result cannot be changed through them.
     *
     * @param name the volume's name
     * @param score the volume score
     * @param label 1 when its mask has an anomalous voxel
     * @param intensityPolicy the policy that mapped it
     * @param sliceScores one score per slice
     * @param sliceLabels one label per slice (from the mask)
     * @throws IllegalArgumentException when the two arrays differ in length
     */
    public VolumeResult {
      if (sliceScores.length != sliceLabels.length) {
        throw new IllegalArgumentException(
            "volume "
                + name
                + ": "
                + sliceScores.length
                + " slice scores but "
                + sliceLabels.length
                + " slice labels");
      }
      sliceScores = sliceScores.clone();
      sliceLabels = sliceLabels.clone();
    }

    /**
     * Returns the slice scores.
     *
     * @return a copy of the scores, one per slice
     */
    @Override
    public double[] sliceScores() {
      return sliceScores.clone();
    }

    /**
     * Returns the slice labels.
     *
     * @return a copy of the labels, one per slice
     */
    @Override
    public int[] sliceLabels() {
      return sliceLabels.clone();
    }

    /** Value equality: arrays are compared by content. */
    @Override
    public boolean equals(Object other) {
      return other instanceof VolumeResult o
          && Objects.equals(name, o.name)
          && Double.compare(score, o.score) == 0
          && label == o.label
          && Objects.equals(intensityPolicy, o.intensityPolicy)
          && Arrays.equals(sliceScores, o.sliceScores)
          && Arrays.equals(sliceLabels, o.sliceLabels);
    }

    @Override
    public int hashCode() {
      int h = 1;
      h = 31 * h + Objects.hashCode(name);
      h = 31 * h + Double.hashCode(score);
      h = 31 * h + label;
      h = 31 * h + Objects.hashCode(intensityPolicy);
      h = 31 * h + Arrays.hashCode(sliceScores);
      h = 31 * h + Arrays.hashCode(sliceLabels);
      return h;
    }

    @Override
    public String toString() {
      return "VolumeResult[name="
          + name
          + ", score="
          + score
          + ", label="
          + label
          + ", intensityPolicy="
          + intensityPolicy
          + ", sliceScores="
          + Arrays.toString(sliceScores)
          + ", sliceLabels="
          + Arrays.toString(sliceLabels)
          + "]";
    }
  }
}
