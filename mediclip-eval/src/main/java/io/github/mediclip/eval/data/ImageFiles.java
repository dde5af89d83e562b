package io.github.mediclip.eval.data;

import io.github.mediclip.synth.internal.ImageIo;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Image and mask decoding for evaluation, independent of file extensions (the content decides:
 * JPEG, PNG, BMP, GIF, TIFF through ImageIO), with errors that name the file.
 */
public final class ImageFiles {

  private ImageFiles() {}

  /**
   * Decodes an image file with the project's one reader (the same as {@code GrayImage.read}): only
   * regular files are opened, images above the pixel limit are refused before decoding (see
   * docs/reliability.md).
   *
   * @param file the file; its extension is ignored
   * @return the decoded image
   * @throws UncheckedIOException naming the file when it cannot be read or decoded
   */
  public static BufferedImage read(Path file) {
    return ImageIo.read(file);
  }

  /**
   * Checks that a file is a readable image within the decoding limits (see docs/reliability.md).
   * Only regular files are opened: named pipes, devices, sockets, folders and broken links are
   * reported without being read.
   *
   * @param file the file
   * @param decode whether to decode the pixels fully (slower) instead of reading the header only
   * @return {@code null} if readable, else the reason (never the file's content)
   */
  public static String problem(Path file, boolean decode) {
    return ImageIo.problem(file, decode);
  }

  /**
   * Luminance of an image in 0..255, as PIL's {@code convert("L")} (ITU-R 601-2: 0.299 R + 0.587 G
   * + 0.114 B, alpha ignored), row-major; gray images (8 or 16 bit) give their stored values scaled
   * to 0..255. The same conversion as {@code GrayImage.fromBufferedImage}.
   *
   * @param image any image type (gray, 16-bit gray, RGB, RGBA, palette)
   * @return (H * W) luminance
   */
  public static float[] luminance(BufferedImage image) {
    return ImageIo.luminance(image);
  }

  /**
   * Reads a mask and resizes it with nearest-neighbour sampling, as the MediCLIP reference does
   * ({@code convert("L").resize(size, NEAREST)}, then any non-zero value is anomalous).
   *
   * @param file the mask file
   * @param width output width
   * @param height output height
   * @return (height * width) bytes, 1 = anomalous, 0 = normal
   */
  public static byte[] readMask(Path file, int width, int height) {
    BufferedImage image = read(file);
    return maskFrom(image, width, height);
  }

  /**
   * Binarises (non-zero luminance = anomalous) and resizes a mask image with nearest-neighbour
   * sampling (PIL's pixel-centre convention).
   *
   * @param image the mask image
   * @param width output width
   * @param height output height
   * @return (height * width) bytes, 1 = anomalous, 0 = normal
   */
  public static byte[] maskFrom(BufferedImage image, int width, int height) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] lum = luminance(image);
    byte[] out = new byte[width * height];
    for (int y = 0; y < height; y++) {
      int sy = Math.min(h - 1, (int) Math.floor((y + 0.5) * h / height));
      for (int x = 0; x < width; x++) {
        int sx = Math.min(w - 1, (int) Math.floor((x + 0.5) * w / width));
        out[y * width + x] = (byte) (lum[sy * w + sx] > 0 ? 1 : 0);
      }
    }
    return out;
  }

  /**
   * Bilinear resize of a float map (pixel centres aligned, edges clamped), e.g. an anomaly map to
   * the evaluation resolution.
   *
   * @param map (h * w) values
   * @param w source width
   * @param h source height
   * @param width target width
   * @param height target height
   * @return (height * width) values
   */
  public static float[] resizeBilinear(float[] map, int w, int h, int width, int height) {
    return ImageIo.resizeBilinear(map, w, h, width, height);
  }
}
