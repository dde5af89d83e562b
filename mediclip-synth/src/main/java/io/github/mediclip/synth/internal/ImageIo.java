package io.github.mediclip.synth.internal;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The one image reader of the project, and the pixel helpers every module shares: luminance and the
 * 2-tap bilinear resize. Core ({@code GrayImage.read}, {@code ImagePreprocessor.read}, the
 * detector) and eval ({@code ImageFiles}) all decode through {@link #read(Path)}, so the decoding
 * limits hold on every route.
 *
 * <p><b>Limits.</b> Before any pixel is allocated, the header's width and height are read and the
 * image is refused when W·H exceeds {@link #maxPixels()} (system property {@value
 * #MAX_PIXELS_PROPERTY}, default {@value #DEFAULT_MAX_PIXELS}). Only regular files are opened: a
 * named pipe, device or socket would block the reader, a folder or a broken link is reported. An
 * {@link OutOfMemoryError} while decoding becomes an {@link UncheckedIOException} naming the file,
 * so a caller can skip the image and go on.
 *
 * <p><b>Formats.</b> The file's content decides, never its extension. Today every file goes to
 * ImageIO (PNG, JPEG, BMP, GIF, TIFF, WBMP); {@link #read} is the single dispatch point where
 * further decoders (e.g. DICOM by its {@code DICM} magic at offset 128) can be selected from the
 * first bytes.
 *
 * <p>Not API: this package is exported only to the project's own modules.
 */
public final class ImageIo {

  /** System property that sets the largest accepted image, in pixels (W·H). */
  public static final String MAX_PIXELS_PROPERTY = "mediclip.image.maxPixels";

  /**
   * Default pixel limit: 50 million pixels (e.g. 7071 x 7071), which decodes in about 600 MB of
   * heap on the gray path (the decoded raster plus a float copy).
   */
  public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

  private static final System.Logger LOG = System.getLogger(ImageIo.class.getName());

  private ImageIo() {}

  /** A decoded image and the decoder's warnings (e.g. a truncated JPEG, which still decodes). */
  public record Decoded(BufferedImage image, List<String> warnings) {
    /**
     * Creates a decoded image.
     *
     * @param image the image
     * @param warnings warnings of the decoder, possibly empty
     */
    public Decoded {
      Objects.requireNonNull(image, "image");
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Returns the pixel limit in force: the system property {@value #MAX_PIXELS_PROPERTY} when set to
   * a positive integer, else {@value #DEFAULT_MAX_PIXELS}.
   *
   * @return the largest accepted W·H
   * @throws IllegalArgumentException when the property is set but is not a positive integer
   */
  public static long maxPixels() {
    String v = System.getProperty(MAX_PIXELS_PROPERTY);
    if (v == null || v.isBlank()) {
      return DEFAULT_MAX_PIXELS;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "system property "
            + MAX_PIXELS_PROPERTY
            + " must be a positive integer, but was '"
            + v
            + "'");
  }

  /**
   * Why a path cannot be opened as a file, or {@code null} when it is a regular, readable file.
   *
   * @param file the path
   * @return the reason, or null
   */
  public static String notAFile(Path file) {
    if (Files.isRegularFile(file)) {
      return Files.isReadable(file) ? null : "file is not readable (check its permissions)";
    }
    if (Files.isSymbolicLink(file) && !Files.exists(file)) {
      return "broken symbolic link (its target does not exist)";
    }
    if (Files.isDirectory(file)) {
      return "is a folder, not an image file";
    }
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return "no such file";
    }
    return "not a regular file (a named pipe, device or socket); it is not opened, so that reading"
        + " cannot block";
  }

  /**
   * Decodes an image file within the limits.
   *
   * @param file the file; its extension is ignored
   * @return the image and the decoder's warnings (for the caller to report; not logged)
   * @throws UncheckedIOException naming the file and the reason when it is not a regular file, has
   *     no decoder, is larger than {@link #maxPixels()}, is corrupt, or does not fit in memory
   */
  public static Decoded readWithWarnings(Path file) {
    Objects.requireNonNull(file, "file");
    String notFile = notAFile(file);
    if (notFile != null) {
      throw fail(file, notFile, null);
    }
    return decode(file, () -> ImageIO.createImageInputStream(file.toFile()));
  }

  /**
   * Decodes an image held in memory (a file's bytes, e.g. the {@code content} column of Spark's
   * {@code binaryFile} source) within the same limits, by the same decoders and with the same
   * messages as {@link #readWithWarnings(Path)}.
   *
   * @param content the encoded file content
   * @param name the file's name or URI, used in messages only
   * @return the image and the decoder's warnings (for the caller to report; not logged)
   * @throws UncheckedIOException naming {@code name} and the reason when the content is empty, has
   *     no decoder, is larger than {@link #maxPixels()}, is corrupt, or does not fit in memory
   */
  public static Decoded readWithWarnings(byte[] content, String name) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(name, "name");
    if (content.length == 0) {
      throw fail(name, "the file is empty", null);
    }
    return decode(name, () -> new MemoryCacheImageInputStream(new ByteArrayInputStream(content)));
  }

  /** Opens the stream to decode (a file, or bytes in memory). */
  private interface StreamOpener {
    ImageInputStream open() throws IOException;
  }

  /** The decoding of {@link #readWithWarnings(Path)}; {@code file} names the source in messages. */
  private static Decoded decode(Object file, StreamOpener opener) {
    List<String> warnings = new ArrayList<>();
    int[] size = {0, 0}; // known once the header is read, for the out-of-memory message
    try (ImageInputStream in = opener.open()) {
      if (in == null) {
        throw fail(file, "cannot open the file", null);
      }
      ImageReader reader = imageIoReader(in, file);
      try {
        // as ImageIO.read(File) does: seek forward only, ignore metadata, default read parameters
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        checkDimensions(file, w, h);
        size[0] = w;
        size[1] = h;
        reader.addIIOReadWarningListener(
            new IIOReadWarningListener() {
              @Override
              public void warningOccurred(ImageReader source, String warning) {
                warnings.add(warning);
              }
            });
        BufferedImage image;
        try {
          image = reader.read(0, reader.getDefaultReadParam());
        } catch (OutOfMemoryError e) {
          throw outOfMemory(file, w, h);
        }
        if (image == null) {
          throw fail(file, "the decoder returned no image", null);
        }
        return new Decoded(image, warnings);
      } finally {
        reader.dispose();
      }
    } catch (UncheckedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // some readers (PNG) catch the OutOfMemoryError themselves and wrap it
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof OutOfMemoryError) {
          throw outOfMemory(file, size[0], size[1]);
        }
      }
      String msg = String.valueOf(e.getMessage());
      if (msg.toLowerCase(Locale.ROOT).contains("unsupported image type")) {
        throw fail(
            file,
            "it is a CMYK or YCCK JPEG, which ImageIO cannot decode; convert it to RGB first (e.g."
                + " ImageMagick: convert in.jpg -colorspace sRGB out.png)",
            e);
      }
      throw fail(
          file,
          "corrupt or truncated image (" + e.getClass().getSimpleName() + ": " + msg + ")",
          e);
    }
  }

  /**
   * Decodes an image file within the limits ({@link #readWithWarnings}); the decoder's warnings
   * (e.g. a truncated JPEG) are logged, as callers of this method have no other way to see them.
   *
   * @param file the file
   * @return the image, in its own type
   * @throws UncheckedIOException naming the file, see {@link #readWithWarnings}
   */
  public static BufferedImage read(Path file) {
    Decoded d = readWithWarnings(file);
    for (String warning : d.warnings()) {
      LOG.log(System.Logger.Level.WARNING, "image " + file + ": " + warning);
    }
    return d.image();
  }

  /**
   * Checks that a file is a readable image within the limits, without keeping its pixels.
   *
   * @param file the file
   * @param decode whether to decode the pixels fully (finds truncated files) instead of checking
   *     the header only
   * @return {@code null} if readable, else the reason (never the file's content)
   */
  public static String problem(Path file, boolean decode) {
    String notFile = notAFile(file);
    if (notFile != null) {
      return notFile;
    }
    if (decode) {
      try {
        read(file);
        return null;
      } catch (UncheckedIOException e) {
        return reason(e, file);
      }
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        return "cannot open the file";
      }
      ImageReader reader = imageIoReader(in, file);
      try {
        reader.setInput(in, true, true);
        checkDimensions(file, reader.getWidth(0), reader.getHeight(0));
      } finally {
        reader.dispose();
      }
      return null;
    } catch (UncheckedIOException e) {
      return reason(e, file);
    } catch (IOException | RuntimeException e) {
      return "corrupt or truncated image header ("
          + e.getClass().getSimpleName()
          + ": "
          + e.getMessage()
          + ")";
    }
  }

  /** The reason part of one of our messages ("cannot read image FILE: reason"). */
  private static String reason(UncheckedIOException e, Path file) {
    String msg = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
    String prefix = "cannot read image " + file + ": ";
    return msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
  }

  private static ImageReader imageIoReader(ImageInputStream in, Object file) {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw fail(
          file,
          "not an image format that ImageIO can decode (PNG, JPEG, BMP, GIF, TIFF, WBMP); the file"
              + " extension is not used",
          null);
    }
    return readers.next();
  }

  private static void checkDimensions(Object file, int w, int h) {
    if (w <= 0 || h <= 0) {
      throw fail(file, "image header says " + w + " x " + h, null);
    }
    long max = maxPixels();
    if ((long) w * h > max) {
      throw fail(
          file,
          String.format(
              Locale.ROOT,
              "image is %d x %d = %d pixels, more than the limit of %d pixels; it was not decoded."
                  + " Downscale it, or raise the limit with -D%s=N (about 12 bytes of heap per pixel)",
              w,
              h,
              (long) w * h,
              max,
              MAX_PIXELS_PROPERTY),
          null);
    }
  }

  private static UncheckedIOException outOfMemory(Object file, int w, int h) {
    return fail(
        file,
        String.format(
            Locale.ROOT,
            "out of memory while decoding a %d x %d image; give Java more heap (-Xmx) or lower"
                + " the pixel limit (-D%s=...)",
            w,
            h,
            MAX_PIXELS_PROPERTY),
        null);
  }

  private static UncheckedIOException fail(Object file, String reason, Throwable cause) {
    return new UncheckedIOException(
        new IOException("cannot read image " + file + ": " + reason, cause));
  }

  // ------------------------------------------------------------------ pixels

  /**
   * Luminance of any image on the 0..255 scale, row-major (H·W).
   *
   * <p>Gray images (8 or 16 bit, with or without alpha) give their stored samples scaled to 0..255
   * (16 bit by 255/65535; Java2D's linear-gray colour space is not gamma-converted); every other
   * type uses the ITU-R BT.601 weights 0.299 R + 0.587 G + 0.114 B (PIL's {@code convert("L")}) on
   * its stored, un-premultiplied sRGB colour; alpha is ignored.
   *
   * @param image the image
   * @return H·W luminance values
   */
  public static float[] luminance(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    int w = image.getWidth();
    int h = image.getHeight();
    float[] out = new float[Math.multiplyExact(w, h)];
    Raster raster = image.getRaster();
    ColorModel cm = image.getColorModel();
    int type = image.getType();
    if (type == BufferedImage.TYPE_BYTE_GRAY
        || type == BufferedImage.TYPE_USHORT_GRAY
        || (!(cm instanceof IndexColorModel)
            && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY)) {
      int bits = cm.getComponentSize(0);
      int dataType = raster.getDataBuffer().getDataType();
      double scale;
      if (dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE) {
        scale = 255.0;
      } else {
        scale = 255.0 / ((1L << bits) - 1);
      }
      float[] row = new float[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = (float) (row[x] * scale);
        }
      }
      return out;
    }
    int bands = raster.getNumBands();
    if (cm instanceof ComponentColorModel
        && cm.getColorSpace().isCS_sRGB()
        && !cm.isAlphaPremultiplied()
        && bands >= 3
        && raster.getDataBuffer().getDataType() == DataBuffer.TYPE_BYTE
        && cm.getComponentSize(0) == 8
        && cm.getComponentSize(1) == 8
        && cm.getComponentSize(2) == 8) {
      // 8-bit sRGB samples are what getRGB returns, read without the per-pixel colour-model call
      int[] px = new int[w * bands];
      for (int y = 0; y < h; y++) {
        raster.getPixels(0, y, w, 1, px);
        for (int x = 0; x < w; x++) {
          int o = x * bands;
          out[y * w + x] = (float) (0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2]);
        }
      }
      return out;
    }
    int[] rgb = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, rgb, 0, w);
      for (int x = 0; x < w; x++) {
        int p = rgb[x];
        int r = (p >>> 16) & 0xff;
        int g = (p >>> 8) & 0xff;
        int b = p & 0xff;
        out[y * w + x] = (float) (0.299 * r + 0.587 * g + 0.114 * b);
      }
    }
    return out;
  }

  /**
   * 2-tap bilinear resize of a row-major float plane, pixel centres aligned ({@code align_corners =
   * false}, OpenCV {@code INTER_LINEAR}), edges clamped, no antialiasing; computed in float.
   *
   * @param plane (height·width) values
   * @param width source width
   * @param height source height
   * @param newWidth target width
   * @param newHeight target height
   * @return a new (newHeight·newWidth) array (a copy when the size is unchanged)
   * @throws IllegalArgumentException when a size is not positive or the plane's length is not W·H
   */
  public static float[] resizeBilinear(
      float[] plane, int width, int height, int newWidth, int newHeight) {
    Objects.requireNonNull(plane, "plane");
    if (width <= 0 || height <= 0 || newWidth <= 0 || newHeight <= 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "sizes must be positive, got %dx%d -> %dx%d",
              width,
              height,
              newWidth,
              newHeight));
    }
    if ((long) width * height != plane.length) {
      throw new IllegalArgumentException(
          "plane has " + plane.length + " values, expected " + width + "x" + height);
    }
    if (newWidth == width && newHeight == height) {
      return plane.clone();
    }
    float[] out = new float[Math.multiplyExact(newWidth, newHeight)];
    double sx = (double) width / newWidth;
    double sy = (double) height / newHeight;
    int[] x0 = new int[newWidth];
    int[] x1 = new int[newWidth];
    float[] wx = new float[newWidth];
    for (int x = 0; x < newWidth; x++) {
      double fx = Math.max(0, (x + 0.5) * sx - 0.5);
      int i0 = Math.min((int) fx, width - 1);
      x0[x] = i0;
      x1[x] = Math.min(i0 + 1, width - 1);
      wx[x] = (float) (fx - i0);
    }
    for (int y = 0; y < newHeight; y++) {
      double fy = Math.max(0, (y + 0.5) * sy - 0.5);
      int j0 = Math.min((int) fy, height - 1);
      int j1 = Math.min(j0 + 1, height - 1);
      float wy = (float) (fy - j0);
      int r0 = j0 * width;
      int r1 = j1 * width;
      int o = y * newWidth;
      for (int x = 0; x < newWidth; x++) {
        float a = plane[r0 + x0[x]] + (plane[r0 + x1[x]] - plane[r0 + x0[x]]) * wx[x];
        float b = plane[r1 + x0[x]] + (plane[r1 + x1[x]] - plane[r1 + x0[x]]) * wx[x];
        out[o + x] = a + (b - a) * wy;
      }
    }
    return out;
  }
}
