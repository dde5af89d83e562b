package io.github.mediclip;

import io.github.mediclip.synth.GrayImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The prediction for a volume (a DICOM series, a multi-frame file or a NIfTI volume): one {@link
 * Prediction} per slice, in slice order, and one volume score made by a recorded {@link
 * VolumeScoring} from the slices' raw scores.
 *
 * @param slices one prediction per slice, in slice order (maps at the slice's rows × columns)
 * @param score the volume score
 * @param scoring how {@link #score()} was made from the slice scores ({@link VolumeScoring#spec()})
 * @param intensityPolicy the {@link io.github.mediclip.formats.IntensityPolicy#spec()} that mapped
 *     the modality values to the images the model saw
 * @param images the 0..255 images the model saw, one per slice (for overlays)
 */
public record VolumePrediction(
    List<Prediction> slices,
    double score,
    String scoring,
    String intensityPolicy,
    List<GrayImage> images) {

  /**
   * Checks and copies.
   *
   * @param slices one prediction per slice
   * @param score the volume score
   * @param scoring the scoring spec
   * @param intensityPolicy the intensity policy spec
   * @param images one image per slice
   */
  public VolumePrediction {
    slices = List.copyOf(slices);
    images = List.copyOf(images);
    Objects.requireNonNull(scoring, "scoring");
    Objects.requireNonNull(intensityPolicy, "intensityPolicy");
    if (slices.isEmpty() || slices.size() != images.size()) {
      throw new IllegalArgumentException(
          "need one image per slice prediction and at least one, but"
              + " got "
              + slices.size()
              + " predictions and "
              + images.size()
              + " images");
    }
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("volume score must be finite, but was " + score);
    }
  }

  /**
   * Returns the slice indices ordered by descending slice score (ties: lower index first).
   *
   * @param n how many, at most the slice count
   * @return up to n slice indices
   */
  public List<Integer> topSlices(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, but was " + n);
    }
    return IntStream.range(0, slices.size())
        .boxed()
        .sorted(
            Comparator.comparingDouble((Integer i) -> -slices.get(i).score())
                .thenComparingInt(i -> i))
        .limit(n)
        .toList();
  }

  /**
   * Returns the overlays (image with the anomaly map blended in, see {@link
   * Prediction#overlay(BufferedImage)}) of the n highest-scoring slices, highest first.
   *
   * @param n how many
   * @return up to n overlays
   */
  public List<BufferedImage> topOverlays(int n) {
    List<BufferedImage> out = new ArrayList<>();
    for (int i : topSlices(n)) {
      out.add(slices.get(i).overlay(images.get(i).toBufferedImage()));
    }
    return out;
  }
}
