package io.github.mediclip.formats;

import io.github.mediclip.synth.GrayImage;
import java.util.List;
import java.util.Objects;

/**
 * A stack of gray slices read from a DICOM file or series or a NIfTI file: shape (slices, rows,
 * columns), values as {@code float} <em>modality values</em>, i.e. after the modality LUT (DICOM
 * Rescale Slope/Intercept, NIfTI scl_slope/scl_inter): Hounsfield units for CT, arbitrary units for
 * MR. No window, percentile or inversion is applied here; {@link IntensityPolicy} maps the values
 * to the 0..255 images the model sees.
 *
 * <p>Slice {@code k} of a DICOM series is the k-th along the slice normal (ImagePositionPatient,
 * else InstanceNumber); slice {@code k} of a NIfTI volume is {@code data[:, :, k].T} in nibabel
 * terms, i.e. {@code value(k, r, c) = voxel(i = c, j = r, k)}. Color (RGB/YBR) pixels are converted
 * to gray with {@code Y = 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601 luma).
 *
 * <p>Instances are immutable: factories copy, accessors return copies.
 */
public final class MedicalVolume {

  private final int rows;
  private final int columns;
  private final float[][] slices;
  private final VolumeMetadata metadata;

  private MedicalVolume(int rows, int columns, float[][] slices, VolumeMetadata metadata) {
    this.rows = rows;
    this.columns = columns;
    this.slices = slices;
    this.metadata = metadata;
  }

  /**
   * Creates a volume; the slice arrays are copied.
   *
   * @param slices slices in order, each {@code rows · columns} values, row-major
   * @param metadata header information; its rows, columns and slice count must match
   * @return the volume
   * @throws IllegalArgumentException if a slice has the wrong length or the metadata disagrees
   */
  public static MedicalVolume of(List<float[]> slices, VolumeMetadata metadata) {
    Objects.requireNonNull(slices, "slices");
    Objects.requireNonNull(metadata, "metadata");
    float[][] copy = new float[slices.size()][];
    for (int k = 0; k < copy.length; k++) {
      copy[k] = Objects.requireNonNull(slices.get(k), "slices[" + k + "]").clone();
    }
    return wrap(copy, metadata);
  }

  /** Wraps arrays without copying; the caller gives them up. Used by the built-in readers. */
  static MedicalVolume wrap(float[][] slices, VolumeMetadata metadata) {
    int rows = metadata.rows();
    int columns = metadata.columns();
    if (slices.length != metadata.slices()) {
      throw new IllegalArgumentException(
          "metadata says " + metadata.slices() + " slices, but " + slices.length + " were given");
    }
    for (int k = 0; k < slices.length; k++) {
      if (slices[k].length != (long) rows * columns) {
        throw new IllegalArgumentException(
            "slice "
                + k
                + " holds "
                + slices[k].length
                + " values, expected rows*columns = "
                + rows
                + "*"
                + columns);
      }
    }
    return new MedicalVolume(rows, columns, slices, metadata);
  }

  /**
   * Returns the number of slices.
   *
   * @return slices, at least 1
   */
  public int slices() {
    return slices.length;
  }

  /**
   * Returns the rows per slice (image height).
   *
   * @return rows, at least 1
   */
  public int rows() {
    return rows;
  }

  /**
   * Returns the columns per slice (image width).
   *
   * @return columns, at least 1
   */
  public int columns() {
    return columns;
  }

  /**
   * Returns the header information.
   *
   * @return the metadata
   */
  public VolumeMetadata metadata() {
    return metadata;
  }

  /**
   * Returns one modality value.
   *
   * @param slice slice index k
   * @param row row r
   * @param column column c
   * @return the value
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public float value(int slice, int row, int column) {
    Objects.checkIndex(row, rows);
    Objects.checkIndex(column, columns);
    return slices[slice][row * columns + column];
  }

  /**
   * Returns a copy of one slice's modality values, row-major (rows, columns).
   *
   * @param slice slice index k
   * @return {@code rows · columns} values
   */
  public float[] slice(int slice) {
    return slices[slice].clone();
  }

  /**
   * Returns one slice's raw modality values as an image (no intensity mapping; see {@link
   * IntensityPolicy#apply(MedicalVolume)} for 0..255 images).
   *
   * @param slice slice index k
   * @return a (rows, columns) image of modality values
   */
  public GrayImage sliceValues(int slice) {
    return GrayImage.of(columns, rows, slices[slice]);
  }

  /**
   * Returns all values as one array of shape (slices, rows, columns), C order.
   *
   * @return a new array
   * @throws IllegalStateException if the volume has more than {@code Integer.MAX_VALUE - 8} voxels
   */
  public float[] toArray() {
    long n = (long) slices.length * rows * columns;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("volume of " + n + " voxels does not fit one Java array");
    }
    float[] out = new float[(int) n];
    int plane = rows * columns;
    for (int k = 0; k < slices.length; k++) {
      System.arraycopy(slices[k], 0, out, k * plane, plane);
    }
    return out;
  }

  /** Returns the internal slice without copying; for the intensity policy in this package. */
  float[] sliceView(int slice) {
    return slices[slice];
  }

  @Override
  public String toString() {
    return "MedicalVolume" + metadata;
  }
}
