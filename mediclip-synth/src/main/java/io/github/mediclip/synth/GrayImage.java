package io.github.mediclip.synth;

import io.github.mediclip.synth.internal.ImageIo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * An immutable grayscale raster of {@code float} values, stored row-major as a (H, W) grid.
 *
 * <p>Images use the 0..255 scale (as 8-bit pixels do); label masks use the same type with values in
 * [0, 1]. Values are not clamped on construction, so a {@code GrayImage} can also hold intermediate
 * results; {@link #toBufferedImage()} clamps to 0..255 when converting back.
 *
 * <p>Instances are immutable and therefore thread-safe: every factory copies the array it is given
 * and {@link #toArray()} returns a copy.
 */
public final class GrayImage {

  private final int width;
  private final int height;
  private final float[] pixels;

  /**
   * Set once {@link Checks#requireFinite} has seen every pixel finite; the pixels never change, so
   * a stale {@code false} (another thread's check not yet visible) only costs a repeated scan.
   */
  private boolean checkedFinite;

  private GrayImage(int width, int height, float[] pixels) {
    this.width = width;
    this.height = height;
    this.pixels = pixels;
  }

  /**
   * Creates an image from row-major pixels (index {@code y * width + x}); the array is copied.
   *
   * @param width width W in pixels, at least 1
   * @param height height H in pixels, at least 1
   * @param pixels W·H values, row-major
   * @return the image
   * @throws IllegalArgumentException if a size is not positive or the array length is not W·H
   */
  public static GrayImage of(int width, int height, float[] pixels) {
    Objects.requireNonNull(pixels, "pixels");
    checkSize(width, height);
    if ((long) width * height != pixels.length) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "pixels.length must be width*height = %d*%d = %d, but was %d",
              width,
              height,
              (long) width * height,
              pixels.length));
    }
    return new GrayImage(width, height, pixels.clone());
  }

  /**
   * Wraps an array without copying; for use inside this package only, the caller gives up the
   * array.
   */
  static GrayImage wrap(int width, int height, float[] pixels) {
    return new GrayImage(width, height, pixels);
  }

  /**
   * Creates an image of constant value.
   *
   * @param width width W, at least 1
   * @param height height H, at least 1
   * @param value the value of every pixel
   * @return the image
   */
  public static GrayImage filled(int width, int height, float value) {
    checkSize(width, height);
    float[] p = new float[width * height];
    Arrays.fill(p, value);
    return new GrayImage(width, height, p);
  }

  private static void checkSize(int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "width and height must be at least 1, but were width=%d, height=%d",
              width,
              height));
    }
    if ((long) width * height > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "image too large: width=%d, height=%d", width, height));
    }
  }

  /**
   * @return the width W in pixels
   */
  public int width() {
    return width;
  }

  /**
   * @return the height H in pixels
   */
  public int height() {
    return height;
  }

  /**
   * @return the number of pixels W·H
   */
  public int size() {
    return pixels.length;
  }

  /**
   * Returns one pixel value.
   *
   * @param x column, 0..W-1
   * @param y row, 0..H-1
   * @return the value
   * @throws IndexOutOfBoundsException if the position is outside the image
   */
  public float get(int x, int y) {
    if (x < 0 || x >= width || y < 0 || y >= height) {
      throw new IndexOutOfBoundsException(
          String.format(
              Locale.ROOT,
              "pixel (x=%d, y=%d) outside image of width=%d, height=%d",
              x,
              y,
              width,
              height));
    }
    return pixels[y * width + x];
  }

  /**
   * @return a copy of the pixels, row-major (H, W)
   */
  public float[] toArray() {
    return pixels.clone();
  }

  /** The internal array, not copied; callers in this package must not modify it. */
  float[] data() {
    return pixels;
  }

  /**
   * @return whether a finiteness check of this image already passed
   */
  boolean checkedFinite() {
    return checkedFinite;
  }

  /** Records that every pixel is finite (called by {@link Checks#requireFinite} only). */
  void markFinite() {
    checkedFinite = true;
  }

  /**
   * @return the mean pixel value (computed in double precision)
   */
  public double mean() {
    double s = 0;
    for (float v : pixels) {
      s += v;
    }
    return s / pixels.length;
  }

  /**
   * @return the smallest pixel value
   */
  public float min() {
    float m = Float.POSITIVE_INFINITY;
    for (float v : pixels) {
      m = Math.min(m, v);
    }
    return m;
  }

  /**
   * @return the largest pixel value
   */
  public float max() {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : pixels) {
      m = Math.max(m, v);
    }
    return m;
  }

  /**
   * @return true if every pixel is finite (no NaN or infinity)
   */
  public boolean isFinite() {
    for (float v : pixels) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Resizes with bilinear interpolation (pixel centres aligned, as {@code align_corners = false} /
   * OpenCV {@code INTER_LINEAR}, without antialiasing).
   *
   * @param newWidth target width, at least 1
   * @param newHeight target height, at least 1
   * @return the resized image ({@code this} if the size is unchanged)
   */
  public GrayImage resize(int newWidth, int newHeight) {
    checkSize(newWidth, newHeight);
    if (newWidth == width && newHeight == height) {
      return this;
    }
    float[] out = ImageIo.resizeBilinear(pixels, width, height, newWidth, newHeight);
    return new GrayImage(newWidth, newHeight, out);
  }

  /**
   * Converts any {@link BufferedImage} to luminance on the 0..255 scale.
   *
   * <p>8-bit gray (also with alpha) is taken as is; 16-bit gray is scaled by 255/65535; colour
   * images (RGB, RGBA, BGR, palette, ...) are converted with the ITU-R BT.601 luma weights 0.299 R
   * + 0.587 G + 0.114 B (as PIL's {@code convert("L")} and OpenCV do); alpha is ignored.
   *
   * @param image the image
   * @return the grayscale image
   */
  public static GrayImage fromBufferedImage(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    int w = image.getWidth();
    int h = image.getHeight();
    checkSize(w, h);
    return new GrayImage(w, h, ImageIo.luminance(image));
  }

  /**
   * Converts to an 8-bit gray image; values are rounded and clamped to 0..255 (NaN becomes 0).
   *
   * @return a new {@link BufferedImage#TYPE_BYTE_GRAY} image
   */
  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i++) {
      float v = pixels[i];
      int b = v > 0 ? Math.min(255, Math.round(v)) : 0;
      data[i] = (byte) b;
    }
    return img;
  }

  /**
   * Reads an image file with ImageIO and converts it with {@link
   * #fromBufferedImage(BufferedImage)}.
   *
   * @param file the image file (PNG, JPEG, BMP, GIF, ...)
   * @return the grayscale image
   *     <p>Only regular files are opened, and images above the pixel limit (system property {@code
   *     mediclip.image.maxPixels}, default 50 million) are refused before decoding; see
   *     docs/reliability.md.
   * @throws UncheckedIOException if the file cannot be read, is not a supported image, is too large
   *     or is corrupt; the message names the file
   */
  public static GrayImage read(Path file) {
    Objects.requireNonNull(file, "file");
    return fromBufferedImage(ImageIo.read(file));
  }

  /**
   * Writes the image as an 8-bit gray PNG (see {@link #toBufferedImage()}).
   *
   * @param file the output file
   */
  public void writePng(Path file) {
    try {
      if (!ImageIO.write(toBufferedImage(), "png", file.toFile())) {
        throw new IOException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write image " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GrayImage g
        && g.width == width
        && g.height == height
        && Arrays.equals(g.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "GrayImage[" + width + "x" + height + "]";
  }
}
