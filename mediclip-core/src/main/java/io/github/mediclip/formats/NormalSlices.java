package io.github.mediclip.formats;

import io.github.mediclip.internal.VolumeMasks;
import io.github.mediclip.synth.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Picks the normal training slices of volumes, as the user states them, and maps them to the 0..255
 * images {@link io.github.mediclip.MediClip#fit} takes. Train with the same policy recorded: {@code
 * MediClip.builder()...optIntensityPolicy(policy)}. The policy is applied to the whole volume (e.g.
 * its percentiles) before the slices are picked, exactly as {@code predictVolume} does at
 * inference.
 */
public final class NormalSlices {

  private NormalSlices() {}

  /**
   * Every slice of a volume the user states is normal.
   *
   * @param volume a normal volume
   * @param policy the intensity policy
   * @return one image per slice, in slice order
   */
  public static List<GrayImage> all(MedicalVolume volume, IntensityPolicy policy) {
    return Objects.requireNonNull(policy, "policy").apply(Objects.requireNonNull(volume, "volume"));
  }

  /**
   * The slices {@code from} to {@code to} (both inclusive, 0-based) of a volume.
   *
   * @param volume the volume
   * @param policy the intensity policy
   * @param from first normal slice
   * @param to last normal slice
   * @return the images of those slices, in slice order
   * @throws IllegalArgumentException naming the volume when the range is empty or outside it
   */
  public static List<GrayImage> range(
      MedicalVolume volume, IntensityPolicy policy, int from, int to) {
    Objects.requireNonNull(volume, "volume");
    if (from < 0 || to < from || to >= volume.slices()) {
      throw new IllegalArgumentException(
          volume.metadata().source()
              + ": slice range "
              + from
              + ".."
              + to
              + " is not within 0.."
              + (volume.slices() - 1)
              + " (0-based, both ends inclusive)");
    }
    return List.copyOf(all(volume, policy).subList(from, to + 1));
  }

  /**
   * The slices whose mask holds no anomalous (non-zero) voxel.
   *
   * @param volume the volume
   * @param mask its mask, same size
   * @param policy the intensity policy
   * @return the images of the mask-free slices, in slice order
   * @throws IllegalArgumentException naming both when the sizes differ
   */
  public static List<GrayImage> withoutMaskVoxels(
      MedicalVolume volume, MedicalVolume mask, IntensityPolicy policy) {
    Objects.requireNonNull(volume, "volume");
    Objects.requireNonNull(mask, "mask");
    String mismatch = VolumeMasks.sizeMismatch(volume, mask);
    if (mismatch != null) {
      throw new IllegalArgumentException(mismatch);
    }
    List<GrayImage> images = all(volume, policy);
    List<GrayImage> out = new ArrayList<>();
    boolean[] anomalous = VolumeMasks.nonZeroSlices(mask);
    for (int k = 0; k < volume.slices(); k++) {
      if (!anomalous[k]) {
        out.add(images.get(k));
      }
    }
    return out;
  }
}
