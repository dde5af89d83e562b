package io.github.mediclip.formats;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a reader found in the header(s) of a DICOM file or series or a NIfTI file. Unknown numbers
 * are {@code NaN}, unknown strings {@code null}.
 *
 * <p><b>Geometry.</b> {@link #voxelToPatient()} maps a voxel index {@code (column c, row r, slice
 * k, 1)} of the {@link MedicalVolume} to the DICOM patient coordinate system (LPS: x to the
 * patient's left, y to posterior, z to head, in mm), as a row-major 4×4 matrix. For DICOM it is
 * built from ImageOrientationPatient, PixelSpacing and the ImagePositionPatient of the first and
 * last slice; for NIfTI it is the file's sform (or qform) with the first two rows negated (NIfTI
 * world space is RAS).
 *
 * @param format the container format: {@code "DICOM"}, {@code "NIfTI-1"}, {@code "NIfTI-2"}, or a
 *     plug-in's name
 * @param source the file or series folder that was read
 * @param transferSyntaxUid the DICOM transfer syntax UID (null for other formats)
 * @param transferSyntaxName its name, e.g. {@code "RLE Lossless"} (null for other formats)
 * @param modality DICOM Modality (e.g. {@code "MR"}, {@code "CT"}); null when the file says nothing
 *     (NIfTI)
 * @param rows rows per slice (image height)
 * @param columns columns per slice (image width)
 * @param slices number of slices (DICOM frames or files, NIfTI third axis)
 * @param files number of files read (1 for NIfTI and multi-frame DICOM)
 * @param bitsAllocated bits per stored sample (NIfTI: bitpix)
 * @param bitsStored significant bits per sample (NIfTI: bitpix)
 * @param signed whether stored samples are signed
 * @param photometricInterpretation DICOM PhotometricInterpretation as read (NIfTI: {@code
 *     "MONOCHROME2"}); the volume's values are gray in all cases
 * @param rescaleSlope modality LUT slope applied to stored values (1 when absent)
 * @param rescaleIntercept modality LUT intercept (0 when absent)
 * @param windowCenter the file's first WindowCenter, NaN if none
 * @param windowWidth the file's first WindowWidth, NaN if none
 * @param rowSpacing distance between rows in mm (NaN if unknown)
 * @param columnSpacing distance between columns in mm (NaN if unknown)
 * @param sliceSpacing distance between slice centres in mm (NaN if unknown)
 * @param seriesInstanceUid DICOM SeriesInstanceUID (null for NIfTI)
 * @param voxelToPatient row-major 4×4 voxel-to-LPS matrix (16 values), or null if unknown
 */
public record VolumeMetadata(
    String format,
    String source,
    String transferSyntaxUid,
    String transferSyntaxName,
    String modality,
    int rows,
    int columns,
    int slices,
    int files,
    int bitsAllocated,
    int bitsStored,
    boolean signed,
    String photometricInterpretation,
    double rescaleSlope,
    double rescaleIntercept,
    double windowCenter,
    double windowWidth,
    double rowSpacing,
    double columnSpacing,
    double sliceSpacing,
    String seriesInstanceUid,
    double[] voxelToPatient) {

  /**
   * Checks sizes and copies the matrix.
   *
   * @param format container format
   * @param source file or folder read
   * @param transferSyntaxUid DICOM transfer syntax UID or null
   * @param transferSyntaxName its name or null
   * @param modality DICOM modality or null
   * @param rows rows per slice, at least 1
   * @param columns columns per slice, at least 1
   * @param slices slices, at least 1
   * @param files files read, at least 1
   * @param bitsAllocated bits per stored sample
   * @param bitsStored significant bits
   * @param signed whether samples are signed
   * @param photometricInterpretation photometric interpretation
   * @param rescaleSlope modality LUT slope
   * @param rescaleIntercept modality LUT intercept
   * @param windowCenter window center or NaN
   * @param windowWidth window width or NaN
   * @param rowSpacing row spacing or NaN
   * @param columnSpacing column spacing or NaN
   * @param sliceSpacing slice spacing or NaN
   * @param seriesInstanceUid series UID or null
   * @param voxelToPatient 16 values or null
   */
  public VolumeMetadata {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(source, "source");
    if (rows < 1 || columns < 1 || slices < 1 || files < 1) {
      throw new IllegalArgumentException(
          "rows, columns, slices and files must be >= 1, but were "
              + rows
              + ", "
              + columns
              + ", "
              + slices
              + ", "
              + files);
    }
    if (voxelToPatient != null) {
      if (voxelToPatient.length != 16) {
        throw new IllegalArgumentException(
            "voxelToPatient must hold 16 values, but held " + voxelToPatient.length);
      }
      voxelToPatient = voxelToPatient.clone();
    }
  }

  /**
   * Returns a copy of the voxel-to-patient matrix.
   *
   * @return 16 values, row-major, or null if unknown
   */
  @Override
  public double[] voxelToPatient() {
    return voxelToPatient == null ? null : voxelToPatient.clone();
  }

  /**
   * Returns whether the file carries a window (center and width).
   *
   * @return true if both {@link #windowCenter()} and {@link #windowWidth()} are numbers
   */
  public boolean hasWindow() {
    return !Double.isNaN(windowCenter) && !Double.isNaN(windowWidth);
  }

  /**
   * Returns a copy with another slice count (used when a reader keeps one volume of several).
   *
   * @param newSlices the slice count
   * @param newFiles the file count
   * @return the copy
   */
  public VolumeMetadata withSlices(int newSlices, int newFiles) {
    return new VolumeMetadata(
        format,
        source,
        transferSyntaxUid,
        transferSyntaxName,
        modality,
        rows,
        columns,
        newSlices,
        newFiles,
        bitsAllocated,
        bitsStored,
        signed,
        photometricInterpretation,
        rescaleSlope,
        rescaleIntercept,
        windowCenter,
        windowWidth,
        rowSpacing,
        columnSpacing,
        sliceSpacing,
        seriesInstanceUid,
        voxelToPatient);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VolumeMetadata m
        && format.equals(m.format)
        && source.equals(m.source)
        && Objects.equals(transferSyntaxUid, m.transferSyntaxUid)
        && Objects.equals(transferSyntaxName, m.transferSyntaxName)
        && Objects.equals(modality, m.modality)
        && rows == m.rows
        && columns == m.columns
        && slices == m.slices
        && files == m.files
        && bitsAllocated == m.bitsAllocated
        && bitsStored == m.bitsStored
        && signed == m.signed
        && Objects.equals(photometricInterpretation, m.photometricInterpretation)
        && Double.compare(rescaleSlope, m.rescaleSlope) == 0
        && Double.compare(rescaleIntercept, m.rescaleIntercept) == 0
        && Double.compare(windowCenter, m.windowCenter) == 0
        && Double.compare(windowWidth, m.windowWidth) == 0
        && Double.compare(rowSpacing, m.rowSpacing) == 0
        && Double.compare(columnSpacing, m.columnSpacing) == 0
        && Double.compare(sliceSpacing, m.sliceSpacing) == 0
        && Objects.equals(seriesInstanceUid, m.seriesInstanceUid)
        && Arrays.equals(voxelToPatient, m.voxelToPatient);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, source, transferSyntaxUid, rows, columns, slices, seriesInstanceUid)
            * 31
        + Arrays.hashCode(voxelToPatient);
  }

  @Override
  public String toString() {
    return format
        + " "
        + source
        + " ["
        + slices
        + ", "
        + rows
        + ", "
        + columns
        + "]"
        + (transferSyntaxName == null ? "" : " " + transferSyntaxName)
        + (modality == null ? "" : " " + modality);
  }
}
