package io.github.mediclip.internal.train;

import io.github.mediclip.clip.ImagePreprocessor;
import io.github.mediclip.synth.GrayImage;

/**
 * The one preprocessing path shared by training and inference, so that both see identical inputs:
 * grayscale image (0..255) → bilinear resize to S×S → [0, 1] → replicated to 3 channels → OpenAI
 * CLIP mean/std normalisation → CHW float32.
 *
 * <p><b>Resize.</b> {@link #toSize} uses PIL's {@code Image.resize((S, S), BILINEAR)} algorithm,
 * which is what the MediCLIP reference applies to every image: the same code as {@link
 * ImagePreprocessor#resizeBilinear} (triangle filter on pixel centres, support widened by the
 * shrink factor, so large images such as 1920×1080 are antialiased rather than point-sampled by a
 * 2-tap filter). Masks are not images: {@link #maskToSize} keeps their 2-tap bilinear resize.
 *
 * <p>MediCLIP synthesizes anomalies on grayscale images, so color is not used: color inputs are
 * converted to luminance first ({@link GrayImage#fromBufferedImage}).
 */
public final class GrayTensors {

  // OpenAI CLIP normalisation per RGB channel (private copies: no caller can change them).
  private static final float[] MEAN = ImagePreprocessor.openAiMean();
  private static final float[] STD = ImagePreprocessor.openAiStd();

  private GrayTensors() {}

  /**
   * Resizes when needed, with PIL's bilinear algorithm ({@link ImagePreprocessor#resizeBilinear}).
   *
   * @param image any size
   * @param size S
   * @return the image at S×S (the same instance when already S×S)
   */
  public static GrayImage toSize(GrayImage image, int size) {
    if (image.width() == size && image.height() == size) {
      return image;
    }
    return GrayImage.of(
        size,
        size,
        ImagePreprocessor.resizeBilinear(
            image.toArray(), image.width(), image.height(), size, size));
  }

  /**
   * Resizes a label mask when needed, with 2-tap bilinear interpolation ({@link GrayImage#resize},
   * no antialiasing); callers threshold the result at 0.5.
   *
   * @param mask any size, values in [0, 1]
   * @param size S
   * @return the mask at S×S (the same instance when already S×S)
   */
  public static GrayImage maskToSize(GrayImage mask, int size) {
    return mask.resize(size, size);
  }

  /**
   * Writes the normalised (3, S, S) tensor of a S×S gray image into {@code dest} at {@code offset}.
   *
   * @param image S×S image on the 0..255 scale
   * @param dest destination, row-major (B, 3, S, S)
   * @param offset index of the first element of this image's (3, S, S) block
   */
  public static void writeChw(GrayImage image, float[] dest, int offset) {
    float[] px = image.toArray();
    int n = px.length;
    for (int c = 0; c < 3; c++) {
      float scale = 1f / (255f * STD[c]);
      float shift = MEAN[c] / STD[c];
      int base = offset + c * n;
      for (int i = 0; i < n; i++) {
        dest[base + i] = px[i] * scale - shift;
      }
    }
  }
}
