package io.github.mediclip.formats;

/**
 * Options of {@link MedicalImages#read(java.nio.file.Path, ReadOptions)}.
 *
 * @param volumeIndex which volume of a 4D NIfTI file to read (0-based; default 0); ignored for 3D
 *     files and DICOM, an index that does not exist is an error
 * @param maxDecodedBytes upper bound on the memory a decoded volume may take as {@code float}
 *     values (4 bytes per voxel) and on any single buffer the decoders allocate (default {@value
 *     #DEFAULT_MAX_DECODED_BYTES}, 1 GiB); a header that declares more is an error before anything
 *     is allocated
 * @param seriesInstanceUid which series to read when a folder holds several (null: the folder must
 *     hold exactly one)
 */
public record ReadOptions(int volumeIndex, long maxDecodedBytes, String seriesInstanceUid) {

  /** Default of {@link #maxDecodedBytes()}: 1 GiB. */
  public static final long DEFAULT_MAX_DECODED_BYTES = 1L << 30;

  /**
   * Checks ranges.
   *
   * @param volumeIndex which volume of a 4D NIfTI file to read, at least 0
   * @param maxDecodedBytes memory bound in bytes, at least 1
   * @param seriesInstanceUid which series of a folder to read, or null
   */
  public ReadOptions {
    if (volumeIndex < 0) {
      throw new IllegalArgumentException("volumeIndex must be >= 0, but was " + volumeIndex);
    }
    if (maxDecodedBytes < 1) {
      throw new IllegalArgumentException(
          "maxDecodedBytes must be >= 1, but was " + maxDecodedBytes);
    }
  }

  /**
   * Returns the defaults: volume 0, 1 GiB, the folder's only series.
   *
   * @return the default options
   */
  public static ReadOptions defaults() {
    return new ReadOptions(0, DEFAULT_MAX_DECODED_BYTES, null);
  }

  /**
   * Returns a copy that reads another volume of a 4D file.
   *
   * @param index the 0-based volume index
   * @return the new options
   */
  public ReadOptions withVolumeIndex(int index) {
    return new ReadOptions(index, maxDecodedBytes, seriesInstanceUid);
  }

  /**
   * Returns a copy with another memory bound.
   *
   * @param bytes the bound in bytes
   * @return the new options
   */
  public ReadOptions withMaxDecodedBytes(long bytes) {
    return new ReadOptions(volumeIndex, bytes, seriesInstanceUid);
  }

  /**
   * Returns a copy that picks one series of a folder.
   *
   * @param uid the SeriesInstanceUID
   * @return the new options
   */
  public ReadOptions withSeriesInstanceUid(String uid) {
    return new ReadOptions(volumeIndex, maxDecodedBytes, uid);
  }
}
