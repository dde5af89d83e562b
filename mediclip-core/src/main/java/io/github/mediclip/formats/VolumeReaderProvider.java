package io.github.mediclip.formats;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Plug-in reader for a whole file format or series layout, found with {@link
 * java.util.ServiceLoader} (declare it in {@code
 * META-INF/services/io.github.mediclip.formats.VolumeReaderProvider} or with {@code provides} in
 * module-info). {@link MedicalImages#read(Path, ReadOptions)} asks every provider, highest {@link
 * #priority()} first, and the first whose {@link #canRead(Path)} returns true reads the source.
 * Built-in readers ({@code "dicom"}, {@code "nifti"}) have priority 0, so a plug-in with the
 * default priority (100) replaces them for the sources it accepts.
 *
 * <p>Example: a reader backed by dcm4che for every DICOM file:
 *
 * <pre>{@code
 * public final class Dcm4cheReader implements VolumeReaderProvider {
 *   public String name() { return "dcm4che"; }
 *   public boolean canRead(Path source) throws IOException { ... "DICM" at offset 128 ... }
 *   public MedicalVolume read(Path source, ReadOptions options) throws IOException {
 *     try (DicomInputStream in = new DicomInputStream(source.toFile())) {
 *       Attributes a = in.readDataset();
 *       float[] slice = ...; // decode and rescale with dcm4che-imageio
 *       VolumeMetadata md = new VolumeMetadata("DICOM", source.toString(), ...);
 *       return MedicalVolume.of(List.of(slice), md);
 *     }
 *   }
 * }
 * }</pre>
 */
public interface VolumeReaderProvider {

  /**
   * Returns the reader's name, shown in errors and in {@code inspect}.
   *
   * @return a short explicit name
   */
  String name();

  /**
   * Returns the order in which providers are asked; higher first.
   *
   * @return the priority (default 100; built-ins are 0)
   */
  default int priority() {
    return 100;
  }

  /**
   * Returns whether this provider reads the source (a file or a folder), usually by looking at its
   * first bytes; must not throw for sources of other formats.
   *
   * @param source a file or folder
   * @return true if {@link #read} should be called
   * @throws IOException if the source cannot be read at all
   */
  boolean canRead(Path source) throws IOException;

  /**
   * Reads the source.
   *
   * @param source a file or folder accepted by {@link #canRead(Path)}
   * @param options read options; implementations honour {@link ReadOptions#maxDecodedBytes()}
   * @return the volume, values as modality values
   * @throws IOException if the source cannot be read
   * @throws MedicalFormatException if its content is malformed or unsupported
   */
  MedicalVolume read(Path source, ReadOptions options) throws IOException;
}
