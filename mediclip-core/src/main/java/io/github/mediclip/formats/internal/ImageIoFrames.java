package io.github.mediclip.formats.internal;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG and JPEG 2000 frames with the ImageIO readers on the class path: the JDK's JPEG
 * reader (baseline, 8-bit extended), TwelveMonkeys' JPEG reader (adds lossless process 14) and
 * jai-imageio's JPEG 2000 reader. The declared size is checked against the DICOM header before any
 * pixel is decoded, so a code stream cannot make the reader allocate more than the frame.
 */
final class ImageIoFrames {

  private ImageIoFrames() {}

  /**
   * Decodes one frame to pixel-interleaved raw samples (no color conversion).
   *
   * @param encoded the frame's code stream
   * @param format "jpeg" or "jpeg2000"
   * @param rows expected rows
   * @param columns expected columns
   * @param spp expected samples per pixel
   * @return rows · columns · spp samples
   * @throws IOException naming the readers tried and why each failed
   */
  static int[] decode(byte[] encoded, String format, int rows, int columns, int spp)
      throws IOException {
    List<String> failures = new ArrayList<>();
    Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
    if (!it.hasNext()) {
      throw new IOException(
          "no ImageIO reader for '"
              + format
              + "' on the class path"
              + ("jpeg2000".equals(format)
                  ? " (add com.github.jai-imageio:jai-imageio-jpeg2000)"
                  : ""));
    }
    while (it.hasNext()) {
      ImageReader reader = it.next();
      String name = reader.getClass().getName();
      try (ImageInputStream in =
          ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w != columns || h != rows) {
          throw new IOException(
              "the code stream is "
                  + w
                  + "x"
                  + h
                  + " but the DICOM header says "
                  + columns
                  + "x"
                  + rows);
        }
        Raster r = reader.canReadRaster() ? reader.readRaster(0, null) : reader.read(0).getRaster();
        if (r.getNumBands() != spp) {
          throw new IOException(
              "the code stream has "
                  + r.getNumBands()
                  + " components but"
                  + " SamplesPerPixel is "
                  + spp);
        }
        return r.getPixels(r.getMinX(), r.getMinY(), columns, rows, (int[]) null);
      } catch (IOException | RuntimeException e) {
        failures.add(name.substring(name.lastIndexOf('.') + 1) + ": " + e.getMessage());
      } finally {
        reader.dispose();
      }
    }
    throw new IOException(String.join("; ", failures));
  }
}
