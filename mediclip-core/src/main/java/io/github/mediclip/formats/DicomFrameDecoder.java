package io.github.mediclip.formats;

import java.io.IOException;
import java.util.Set;

/**
 * Plug-in decoder for the compressed pixel data of one DICOM frame, found with {@link
 * java.util.ServiceLoader} (declare it in {@code
 * META-INF/services/io.github.mediclip.formats.DicomFrameDecoder} or with {@code provides} in
 * module-info). The built-in DICOM reader parses the file, splits the encapsulated pixel data into
 * frames and asks the first decoder that lists the file's transfer syntax; plug-ins are asked
 * before the built-in decoders, so a plug-in can also replace one.
 *
 * <p>Example: JPEG-LS through dcm4che's {@code dcm4che-imageio} (not on Maven Central, so not a
 * dependency of this library):
 *
 * <pre>{@code
 * public final class Dcm4cheJpegLsDecoder implements DicomFrameDecoder {
 *   public String name() { return "dcm4che-jpegls"; }
 *   public Set<String> transferSyntaxUids() { return Set.of("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"); }
 *   public int[] decode(byte[] encoded, Frame frame) throws IOException {
 *     ImageReader reader = new org.dcm4che3.imageio.codec.jpeg.PatchJPEGLSImageReaderSpi()...; // any ImageIO reader
 *     reader.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(encoded)));
 *     Raster r = reader.readRaster(0, null);
 *     return r.getPixels(0, 0, frame.columns(), frame.rows(), (int[]) null);
 *   }
 * }
 * }</pre>
 */
public interface DicomFrameDecoder {

  /**
   * What the reader knows about the frame to decode.
   *
   * @param rows Rows
   * @param columns Columns
   * @param samplesPerPixel SamplesPerPixel (1 gray, 3 color)
   * @param bitsAllocated BitsAllocated
   * @param bitsStored BitsStored
   * @param signed PixelRepresentation 1
   * @param photometricInterpretation PhotometricInterpretation as in the file
   * @param transferSyntaxUid the file's transfer syntax
   * @param maxBytes upper bound on the memory the decoder may allocate
   */
  record Frame(
      int rows,
      int columns,
      int samplesPerPixel,
      int bitsAllocated,
      int bitsStored,
      boolean signed,
      String photometricInterpretation,
      String transferSyntaxUid,
      long maxBytes) {

    /**
     * Returns the number of samples a decoded frame holds.
     *
     * @return rows · columns · samplesPerPixel
     */
    public long sampleCount() {
      return (long) rows * columns * samplesPerPixel;
    }
  }

  /**
   * Returns the decoder's name, shown in errors and in {@code inspect}.
   *
   * @return a short explicit name, e.g. {@code "dcm4che-jpegls"}
   */
  String name();

  /**
   * Returns the transfer syntaxes this decoder handles.
   *
   * @return transfer syntax UIDs
   */
  Set<String> transferSyntaxUids();

  /**
   * Decodes one frame.
   *
   * @param encoded the frame's encoded bytes (all fragments of the frame, concatenated)
   * @param frame what the header says about the frame
   * @return {@link Frame#sampleCount()} stored sample values, pixel-interleaved (R, G, B, R, ...
   *     for color), row-major; values may still carry bits above BitsStored and be unsigned, the
   *     reader masks and sign-extends them
   * @throws IOException if the data cannot be decoded; the reader adds the file name
   */
  int[] decode(byte[] encoded, Frame frame) throws IOException;
}
