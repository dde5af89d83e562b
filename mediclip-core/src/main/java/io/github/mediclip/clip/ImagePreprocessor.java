package io.github.mediclip.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.synth.internal.ImageIo;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * CLIP image preprocessing as MediCLIP does it: any image → RGB → resize to S×S (bilinear) → scale
 * to [0, 1] → normalize per channel with mean and std (OpenAI CLIP's by default) → float32 CHW,
 * batched into (B, 3, S, S).
 *
 * <p><b>Colour conversion.</b> Gray images (8 or 16 bit) are replicated to three channels, their
 * samples scaled linearly ({@code v / 255} resp. {@code v / 65535}; no gamma is applied, unlike
 * Java2D's linear-gray colour space, and 16-bit samples are not clipped at 255 as PIL's {@code
 * convert("RGB")} does). Palette, RGB and every other sRGB-based type are read through their colour
 * model. <b>Alpha is dropped</b> (the stored colour is kept, not composited on any background),
 * which is what PIL's {@code convert("RGB")} in the reference pipeline does. CMYK JPEGs, which JDK
 * 17's reader decodes as Adobe-style (inverted) CMYK, are converted by their colour model without
 * colour management (tested with JDK-written files only); a JPEG that the reader cannot decode
 * (e.g. YCCK on some JDKs) gives an error naming the file.
 *
 * <p><b>Resize.</b> PIL's {@code Image.resize(..., BILINEAR)} algorithm (what torchvision's {@code
 * Resize} runs on PIL images): a separable triangle filter on pixel centres ({@code align_corners =
 * false}) whose support is widened by the scale factor when shrinking (antialiasing), with weights
 * renormalized at the borders. It is computed in float from the 8-bit (or 16-bit) samples; PIL
 * rounds to 8 bits after each of its two passes, so results may differ from PIL by up to about
 * 1/255 before normalization. Non-square images are stretched to S×S (no crop), as in MediCLIP.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ImagePreprocessor {

  private static final float[] OPENAI_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  private static final float[] OPENAI_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  /**
   * Returns OpenAI CLIP's per-channel mean (RGB), on the [0, 1] scale.
   *
   * @return a new array {0.48145466, 0.4578275, 0.40821073}
   */
  public static float[] openAiMean() {
    return OPENAI_MEAN.clone();
  }

  /**
   * Returns OpenAI CLIP's per-channel standard deviation (RGB), on the [0, 1] scale.
   *
   * @return a new array {0.26862954, 0.26130258, 0.27577711}
   */
  public static float[] openAiStd() {
    return OPENAI_STD.clone();
  }

  private final int size;
  private final float[] mean;
  private final float[] std;

  private ImagePreprocessor(int size, float[] mean, float[] std) {
    this.size = size;
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /**
   * Returns the OpenAI CLIP preprocessing at a given size.
   *
   * @param size output side S in pixels (e.g. 224)
   * @return the preprocessor
   * @throws IllegalArgumentException when size is not positive
   */
  public static ImagePreprocessor openAi(int size) {
    return builder().setImageSize(size).build();
  }

  /**
   * Returns a builder; defaults: OpenAI mean and std, no default size (required).
   *
   * @return a builder; defaults: OpenAI mean and std, no default size (required)
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the output side S.
   *
   * @return the output side S
   */
  public int imageSize() {
    return size;
  }

  /**
   * Returns a copy of the per-channel mean (RGB, [0, 1] scale).
   *
   * @return a copy of the per-channel mean (RGB, [0, 1] scale)
   */
  public float[] mean() {
    return mean.clone();
  }

  /**
   * Returns a copy of the per-channel standard deviation (RGB, [0, 1] scale).
   *
   * @return a copy of the per-channel standard deviation (RGB, [0, 1] scale)
   */
  public float[] std() {
    return std.clone();
  }

  /**
   * Preprocesses a batch of images.
   *
   * @param manager owner of the returned array
   * @param images the images (any size and type, see the class documentation); at least one
   * @return float32 (B, 3, S, S), normalized, on the manager's device
   * @throws IllegalArgumentException for an empty list (null elements: NullPointerException naming
   *     the index)
   */
  public NDArray toTensor(NDManager manager, List<BufferedImage> images) {
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(images, "images");
    if (images.isEmpty()) {
      throw new IllegalArgumentException("images must not be empty");
    }
    int per = 3 * size * size;
    float[] all = new float[images.size() * per];
    for (int i = 0; i < images.size(); i++) {
      BufferedImage img = Objects.requireNonNull(images.get(i), "images[" + i + "]");
      System.arraycopy(toChw(img), 0, all, i * per, per);
    }
    return manager.create(FloatBuffer.wrap(all), new Shape(images.size(), 3, size, size));
  }

  /**
   * Preprocesses images read from files ({@link #read(Path)}).
   *
   * @param manager owner of the returned array
   * @param files the image files
   * @return float32 (B, 3, S, S), normalized
   * @throws UncheckedIOException naming the file that cannot be read
   */
  public NDArray toTensorFromFiles(NDManager manager, List<Path> files) {
    Objects.requireNonNull(files, "files");
    return toTensor(manager, files.stream().map(ImagePreprocessor::read).toList());
  }

  /**
   * Preprocesses one image.
   *
   * @param image any BufferedImage
   * @return float[3·S·S] in CHW order (RGB planes), normalized
   */
  public float[] toChw(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    float[][] planes = rgbPlanes(image); // 3 planes, 0..1
    int w = image.getWidth();
    int h = image.getHeight();
    int n = size * size;
    float[] out = new float[3 * n];
    for (int c = 0; c < 3; c++) {
      float[] r = resizeBilinear(planes[c], w, h, size, size);
      float m = mean[c];
      float s = std[c];
      for (int i = 0; i < n; i++) {
        out[c * n + i] = (r[i] - m) / s;
      }
    }
    return out;
  }

  /**
   * Resizes one float plane with PIL's {@code Image.resize(..., BILINEAR)} algorithm (see the class
   * documentation): separable triangle filter on pixel centres, support widened by the shrink
   * factor, weights renormalized at the borders. This is what MediCLIP's reference applies to every
   * image (PIL, before the synthesis and at test time); the grayscale training and detection path
   * ({@code internal.train.GrayTensors#toSize}) resizes with it too.
   *
   * @param plane row-major (height, width) values, any scale
   * @param width input width
   * @param height input height
   * @param outWidth output width
   * @param outHeight output height
   * @return row-major (outHeight, outWidth) values (a copy even when the size does not change)
   * @throws IllegalArgumentException when a size is not positive or the plane's length is not
   *     width·height
   */
  public static float[] resizeBilinear(
      float[] plane, int width, int height, int outWidth, int outHeight) {
    Objects.requireNonNull(plane, "plane");
    if (width <= 0 || height <= 0 || outWidth <= 0 || outHeight <= 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "sizes must be positive, got %dx%d -> %dx%d",
              width,
              height,
              outWidth,
              outHeight));
    }
    if (plane.length != width * height) {
      throw new IllegalArgumentException(
          "plane has "
              + plane.length
              + " values, expected "
              + width
              + "x"
              + height
              + " = "
              + (width * height));
    }
    Coefficients cx = coefficients(width, outWidth);
    Coefficients cy = coefficients(height, outHeight);
    // horizontal pass: (h, w) -> (h, outWidth)
    float[] tmp = new float[height * outWidth];
    for (int y = 0; y < height; y++) {
      int row = y * width;
      for (int x = 0; x < outWidth; x++) {
        int lo = cx.lo[x];
        int n = cx.n[x];
        int k0 = x * cx.stride;
        float acc = 0;
        for (int k = 0; k < n; k++) {
          acc += cx.w[k0 + k] * plane[row + lo + k];
        }
        tmp[y * outWidth + x] = acc;
      }
    }
    // vertical pass: (h, outWidth) -> (outHeight, outWidth)
    float[] out = new float[outHeight * outWidth];
    for (int y = 0; y < outHeight; y++) {
      int lo = cy.lo[y];
      int n = cy.n[y];
      int k0 = y * cy.stride;
      for (int x = 0; x < outWidth; x++) {
        float acc = 0;
        for (int k = 0; k < n; k++) {
          acc += cy.w[k0 + k] * tmp[(lo + k) * outWidth + x];
        }
        out[y * outWidth + x] = acc;
      }
    }
    return out;
  }

  /**
   * Reads an image file with ImageIO (PNG, JPEG, BMP, GIF, TIFF, WBMP, ...; 8/16-bit gray, palette,
   * RGB(A)).
   *
   * @param file the image
   * @return the decoded image, in its own type (conversion happens in {@link #toChw})
   *     <p>This is the project's one image reader (the same as {@code GrayImage.read}): only
   *     regular files are opened, and images above the pixel limit (system property {@code
   *     mediclip.image.maxPixels}) are refused before decoding; see docs/reliability.md.
   * @throws UncheckedIOException naming the file when it does not exist or is not a regular file,
   *     has no ImageIO reader, is above the pixel limit, is corrupt, or is a CMYK / YCCK JPEG
   *     (which ImageIO cannot decode: convert it to RGB first)
   */
  public static BufferedImage read(Path file) {
    return ImageIo.read(Objects.requireNonNull(file, "file"));
  }

  /** Converts any image to three float planes (R, G, B) on the 0..1 scale; alpha is dropped. */
  static float[][] rgbPlanes(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int n = w * h;
    float[][] p = new float[3][n];
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    boolean gray =
        cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel);
    if (gray) {
      // Raw samples: Java2D's gray colour space is linear, and getRGB() would gamma-encode it.
      int bits = cm.getComponentSize(0);
      float max = (float) ((1L << bits) - 1);
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          float v = row[x] / max;
          p[0][y * w + x] = v;
        }
      }
      System.arraycopy(p[0], 0, p[1], 0, n);
      System.arraycopy(p[0], 0, p[2], 0, n);
      return p;
    }
    int[] argb = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, argb, 0, w);
      for (int x = 0; x < w; x++) {
        int v = argb[x];
        int i = y * w + x;
        p[0][i] = ((v >> 16) & 0xff) / 255f;
        p[1][i] = ((v >> 8) & 0xff) / 255f;
        p[2][i] = (v & 0xff) / 255f;
      }
    }
    // getRGB returns the stored (un-premultiplied) colour; its alpha byte is ignored above, so
    // alpha is
    // dropped as PIL's convert("RGB") drops it.
    return p;
  }

  /** PIL-style resampling coefficients for one axis. */
  private static final class Coefficients {
    final int[] lo;
    final int[] n;
    final float[] w;
    final int stride;

    Coefficients(int[] lo, int[] n, float[] w, int stride) {
      this.lo = lo;
      this.n = n;
      this.w = w;
      this.stride = stride;
    }
  }

  /** Triangle-filter coefficients as PIL's precompute_coeffs computes them (bilinear support 1). */
  private static Coefficients coefficients(int in, int out) {
    double scale = (double) in / out;
    double filterScale = Math.max(scale, 1.0);
    double support = filterScale; // bilinear filter support 1.0, widened when shrinking
    int stride = (int) Math.ceil(support) * 2 + 1;
    int[] lo = new int[out];
    int[] n = new int[out];
    float[] w = new float[out * stride];
    double ss = 1.0 / filterScale;
    double[] k = new double[stride];
    for (int xx = 0; xx < out; xx++) {
      double center = (xx + 0.5) * scale;
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xmax = Math.min((int) (center + support + 0.5), in) - xmin;
      xmax = Math.min(xmax, stride);
      double ww = 0;
      Arrays.fill(k, 0);
      for (int x = 0; x < xmax; x++) {
        double t = Math.abs((x + xmin - center + 0.5) * ss);
        double v = t < 1.0 ? 1.0 - t : 0.0;
        k[x] = v;
        ww += v;
      }
      for (int x = 0; x < xmax; x++) {
        w[xx * stride + x] = (float) (ww == 0 ? 0 : k[x] / ww);
      }
      lo[xx] = xmin;
      n[xx] = Math.max(xmax, 0);
    }
    return new Coefficients(lo, n, w, stride);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "ImagePreprocessor[size=%d, mean=%s, std=%s]",
        size,
        Arrays.toString(mean),
        Arrays.toString(std));
  }

  /** Builder; {@code set*} is required, {@code opt*} optional. */
  public static final class Builder {
    private int size = -1;
    private float[] mean = OPENAI_MEAN;
    private float[] std = OPENAI_STD;

    private Builder() {}

    /**
     * Sets the output side S (required).
     *
     * @param size pixels, positive
     * @return this builder
     */
    public Builder setImageSize(int size) {
      if (size <= 0) {
        throw new IllegalArgumentException("imageSize must be positive, got " + size);
      }
      this.size = size;
      return this;
    }

    /**
     * Sets the per-channel mean (RGB, on the [0, 1] scale); default {@link #openAiMean()}.
     *
     * @param mean three finite values
     * @return this builder
     */
    public Builder optMean(float... mean) {
      this.mean = checked("mean", mean, false);
      return this;
    }

    /**
     * Sets the per-channel standard deviation (RGB, on the [0, 1] scale); default {@link
     * #openAiStd()}.
     *
     * @param std three finite positive values
     * @return this builder
     */
    public Builder optStd(float... std) {
      this.std = checked("std", std, true);
      return this;
    }

    private static float[] checked(String name, float[] v, boolean positive) {
      Objects.requireNonNull(v, name);
      if (v.length != 3) {
        throw new IllegalArgumentException(
            name + " must have 3 values (R, G, B), got " + Arrays.toString(v));
      }
      for (float f : v) {
        if (!Float.isFinite(f) || (positive && f <= 0)) {
          throw new IllegalArgumentException(
              name
                  + " must hold finite"
                  + (positive ? " positive" : "")
                  + " values, got "
                  + Arrays.toString(v));
        }
      }
      return v.clone();
    }

    /**
     * Builds the preprocessor.
     *
     * @return the preprocessor
     * @throws IllegalStateException when the image size was not set
     */
    public ImagePreprocessor build() {
      if (size <= 0) {
        throw new IllegalStateException("imageSize is required: call setImageSize(int)");
      }
      return new ImagePreprocessor(size, mean, std);
    }
  }
}
