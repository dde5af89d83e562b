package io.github.mediclip.eval.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image and mask decoding for evaluation, independent of file extensions (the content decides: JPEG, PNG,
 * BMP, GIF, TIFF through ImageIO), with errors that name the file.
 */
public final class ImageFiles {

  private ImageFiles() {}

  /**
   * Decodes an image file.
   *
   * @param file the file; its extension is ignored
   * @return the decoded image
   * @throws UncheckedIOException naming the file when it cannot be read or decoded
   */
  public static BufferedImage read(Path file) {
    try {
      BufferedImage image = ImageIO.read(file.toFile());
      if (image == null) {
        throw new IOException("no ImageIO reader understands this content" + magic(file));
      }
      return image;
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(new IOException("cannot read image " + file + ": " + e.getMessage(), e));
    }
  }

  /**
   * Checks that a file is a readable image.
   *
   * @param file the file
   * @param decode whether to decode the pixels fully (slower) instead of reading the header only
   * @return {@code null} if readable, else the reason
   */
  public static String problem(Path file, boolean decode) {
    if (!Files.isReadable(file)) {
      return "file is missing or not readable";
    }
    try {
      if (decode) {
        BufferedImage image = ImageIO.read(file.toFile());
        return image == null ? "not an image that ImageIO can decode" + magic(file) : null;
      }
      try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
        if (in == null) {
          return "cannot open the file";
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
          return "not an image that ImageIO can decode" + magic(file);
        }
        ImageReader reader = readers.next();
        try {
          reader.setInput(in);
          int w = reader.getWidth(0);
          int h = reader.getHeight(0);
          if (w <= 0 || h <= 0) {
            return "image header says " + w + "x" + h;
          }
        } finally {
          reader.dispose();
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return "cannot decode: " + e;
    }
  }

  private static String magic(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(8);
      StringBuilder sb = new StringBuilder(" (first bytes:");
      for (byte b : head) {
        sb.append(String.format(java.util.Locale.ROOT, " %02x", b & 0xFF));
      }
      return sb.append(')').toString();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Luminance of an image in 0..255, as PIL's {@code convert("L")} (ITU-R 601-2: 0.299 R + 0.587 G + 0.114 B,
   * alpha ignored), row-major. Gray images (8 or 16 bit) give their stored values (16-bit scaled by 1/257), not
   * the gamma-converted values of {@link BufferedImage#getRGB}; 8-bit RGB(A) images are read from the raster
   * directly (fast for the TIFF and JPEG types ImageIO returns); anything else (palette, other colour spaces)
   * goes through {@code getRGB}.
   *
   * @param image any image type (gray, 16-bit gray, RGB, RGBA, palette)
   * @return (H * W) luminance
   */
  public static float[] luminance(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] out = new float[w * h];
    java.awt.image.ColorModel cm = image.getColorModel();
    java.awt.image.Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    boolean component = cm instanceof java.awt.image.ComponentColorModel;
    int csType = cm.getColorSpace().getType();
    if (component && csType == java.awt.color.ColorSpace.TYPE_GRAY && (bands == 1 || bands == 2)) {
      int bits = cm.getComponentSize(0);
      float scale = bits == 8 ? 1f : 255f / ((1 << bits) - 1);
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = row[x] * scale;
        }
      }
      return out;
    }
    if (component && cm.getColorSpace().isCS_sRGB() && bands >= 3 && cm.getComponentSize(0) == 8
        && cm.getComponentSize(1) == 8 && cm.getComponentSize(2) == 8) {
      int[] px = new int[w * bands];
      for (int y = 0; y < h; y++) {
        raster.getPixels(0, y, w, 1, px);
        for (int x = 0; x < w; x++) {
          int o = x * bands;
          out[y * w + x] = (px[o] * 299 + px[o + 1] * 587 + px[o + 2] * 114) / 1000f;
        }
      }
      return out;
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int r = (p >> 16) & 0xFF;
        int g = (p >> 8) & 0xFF;
        int b = p & 0xFF;
        out[y * w + x] = (r * 299 + g * 587 + b * 114) / 1000f;
      }
    }
    return out;
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
   * Binarises (non-zero luminance = anomalous) and resizes a mask image with nearest-neighbour sampling (PIL's
   * pixel-centre convention).
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
   * Bilinear resize of a float map (pixel centres aligned, edges clamped), e.g. an anomaly map to the evaluation
   * resolution.
   *
   * @param map (h * w) values
   * @param w source width
   * @param h source height
   * @param width target width
   * @param height target height
   * @return (height * width) values
   */
  public static float[] resizeBilinear(float[] map, int w, int h, int width, int height) {
    if (w == width && h == height) {
      return map.clone();
    }
    float[] out = new float[width * height];
    double sxScale = (double) w / width;
    double syScale = (double) h / height;
    for (int y = 0; y < height; y++) {
      double fy = Math.max(0, (y + 0.5) * syScale - 0.5);
      int y0 = Math.min(h - 1, (int) fy);
      int y1 = Math.min(h - 1, y0 + 1);
      double ty = fy - y0;
      for (int x = 0; x < width; x++) {
        double fx = Math.max(0, (x + 0.5) * sxScale - 0.5);
        int x0 = Math.min(w - 1, (int) fx);
        int x1 = Math.min(w - 1, x0 + 1);
        double tx = fx - x0;
        double top = map[y0 * w + x0] * (1 - tx) + map[y0 * w + x1] * tx;
        double bottom = map[y1 * w + x0] * (1 - tx) + map[y1 * w + x1] * tx;
        out[y * width + x] = (float) (top * (1 - ty) + bottom * ty);
      }
    }
    return out;
  }
}
