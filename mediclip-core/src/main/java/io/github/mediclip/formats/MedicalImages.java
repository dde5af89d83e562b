package io.github.mediclip.formats;

import io.github.mediclip.formats.internal.Decoded;
import io.github.mediclip.formats.internal.DicomReader;
import io.github.mediclip.formats.internal.NiftiReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Entry point for medical image files: reads a DICOM file, a DICOM series folder, or a NIfTI file
 * ({@code .nii}, {@code .nii.gz}, {@code .hdr}/{@code .img}) into a {@link MedicalVolume} of
 * modality values. The format is recognised by content, not by name: "DICM" at byte 128 for DICOM
 * Part 10, a header size of 348 or 540 for NIfTI-1/-2 (after gunzip). A folder is read as one DICOM
 * series.
 *
 * <pre>{@code
 * MedicalVolume v = MedicalImages.read(Path.of("series/"));           // DICOM series folder
 * List<GrayImage> slices = IntensityPolicy.forModality(v.metadata().modality()).apply(v);
 * }</pre>
 *
 * <p>Plug-ins: {@link VolumeReaderProvider} for whole formats and {@link DicomFrameDecoder} for
 * compressed DICOM transfer syntaxes, both found with {@link ServiceLoader}. Supported formats and
 * transfer syntaxes: docs/formats.md.
 */
public final class MedicalImages {

  private MedicalImages() {}

  /**
   * Reads a file or series folder with {@link ReadOptions#defaults()}.
   *
   * @param source a DICOM file, a folder holding one DICOM series, or a NIfTI file
   * @return the volume
   * @throws MedicalFormatException if the source is malformed, unsupported or too large
   * @throws UncheckedIOException if it cannot be read
   */
  public static MedicalVolume read(Path source) {
    return read(source, ReadOptions.defaults());
  }

  /**
   * Reads a file or series folder.
   *
   * @param source a DICOM file, a folder holding DICOM series, or a NIfTI file
   * @param options volume index, memory bound, series choice
   * @return the volume
   * @throws MedicalFormatException if the source is malformed, unsupported, too large, or not a
   *     DICOM or NIfTI file at all
   * @throws UncheckedIOException if it cannot be read
   */
  public static MedicalVolume read(Path source, ReadOptions options) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    if (!Files.exists(source)) {
      throw new UncheckedIOException(
          new NoSuchFileException(source.toString(), null, "no such file or folder"));
    }
    try {
      for (VolumeReaderProvider p : providers()) {
        if (p.canRead(source)) {
          return p.read(source, options);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": " + e.getMessage(), e);
    }
    throw new MedicalFormatException(
        source,
        Files.isDirectory(source)
            ? "the folder holds no DICOM file (none has 'DICM' at byte 128); a series folder must hold"
                + " DICOM Part 10 files"
            : "not a DICOM Part 10 file (no 'DICM' at byte 128) nor a NIfTI-1/-2 file (header size"
                + " 348/540); mediclip reads DICOM, NIfTI (.nii, .nii.gz, .hdr/.img), PNG, JPEG and"
                + " TIFF");
  }

  /**
   * Returns whether some reader accepts the source (by content, for files; any DICOM file inside,
   * for folders).
   *
   * @param source a file or folder
   * @return true if {@link #read(Path)} would try to read it
   */
  public static boolean isSupported(Path source) {
    try {
      for (VolumeReaderProvider p : providers()) {
        if (p.canRead(source)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Returns the readers in the order they are asked: plug-ins by priority, then the built-ins.
   *
   * @return reader names
   */
  public static List<String> readerNames() {
    List<String> names = new ArrayList<>();
    for (VolumeReaderProvider p : providers()) {
      names.add(p.name());
    }
    return names;
  }

  private static List<VolumeReaderProvider> providers() {
    List<VolumeReaderProvider> list = new ArrayList<>();
    for (VolumeReaderProvider p : ServiceLoader.load(VolumeReaderProvider.class)) {
      list.add(p);
    }
    list.add(new Builtin("dicom"));
    list.add(new Builtin("nifti"));
    list.sort(Comparator.comparingInt(VolumeReaderProvider::priority).reversed());
    return list;
  }

  private static List<DicomFrameDecoder> frameDecoders() {
    List<DicomFrameDecoder> list = new ArrayList<>();
    for (DicomFrameDecoder d : ServiceLoader.load(DicomFrameDecoder.class)) {
      list.add(d);
    }
    return list;
  }

  /** The built-in readers as providers of priority 0. */
  private static final class Builtin implements VolumeReaderProvider {
    private final String name;

    Builtin(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int priority() {
      return 0;
    }

    @Override
    public boolean canRead(Path source) throws IOException {
      return name.equals("dicom") ? DicomReader.canRead(source) : NiftiReader.canRead(source);
    }

    @Override
    public MedicalVolume read(Path source, ReadOptions options) throws IOException {
      Decoded d =
          name.equals("dicom")
              ? DicomReader.read(source, options, frameDecoders())
              : NiftiReader.read(source, options);
      return MedicalVolume.wrap(d.slices(), d.metadata());
    }
  }
}
