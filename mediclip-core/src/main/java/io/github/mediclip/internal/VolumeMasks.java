package io.github.mediclip.internal;

import io.github.mediclip.formats.MedicalVolume;

/**
 * Mask volumes (a non-zero voxel is anomalous), shared by {@code NormalSlices} and the volume
 * layout of the eval module.
 */
public final class VolumeMasks {

  private VolumeMasks() {}

  /**
   * Says how a mask's size differs from its volume's.
   *
   * @param volume the volume
   * @param mask its mask
   * @return {@code null} when both are columns × rows × slices alike, else a message naming both
   *     sources: {@code MASK: the mask is CxRxS but the volume VOLUME is CxRxS (columns x rows x
   *     slices)}
   */
  public static String sizeMismatch(MedicalVolume volume, MedicalVolume mask) {
    if (volume.slices() == mask.slices()
        && volume.rows() == mask.rows()
        && volume.columns() == mask.columns()) {
      return null;
    }
    return mask.metadata().source()
        + ": the mask is "
        + mask.columns()
        + "x"
        + mask.rows()
        + "x"
        + mask.slices()
        + " but the volume "
        + volume.metadata().source()
        + " is "
        + volume.columns()
        + "x"
        + volume.rows()
        + "x"
        + volume.slices()
        + " (columns x rows x slices)";
  }

  /**
   * The slices of a mask that hold a non-zero voxel.
   *
   * @param mask the mask volume
   * @return one flag per slice
   */
  public static boolean[] nonZeroSlices(MedicalVolume mask) {
    boolean[] out = new boolean[mask.slices()];
    for (int k = 0; k < out.length; k++) {
      for (float v : mask.slice(k)) {
        if (v != 0f) {
          out[k] = true;
          break;
        }
      }
    }
    return out;
  }
}
