/**
 * Medical image formats: {@link io.github.mediclip.formats.MedicalImages} reads a DICOM file, a
 * DICOM series folder or a NIfTI file into a {@link io.github.mediclip.formats.MedicalVolume};
 * {@link io.github.mediclip.formats.IntensityPolicy} turns it into the grayscale slices the
 * detector scores. {@link io.github.mediclip.formats.VolumeReaderProvider} and {@link
 * io.github.mediclip.formats.DicomFrameDecoder} are service interfaces for further formats and
 * transfer syntaxes (see docs/formats.md).
 */
package io.github.mediclip.formats;
