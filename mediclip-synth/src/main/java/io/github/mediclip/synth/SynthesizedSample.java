package io.github.mediclip.synth;

import java.util.Locale;
import java.util.Objects;

/**
 * One synthesized training sample: the augmented image (0..255 scale) and its soft anomaly label
 * mask, values in [0, 1] per pixel (0 normal, 1 anomalous), of the same (H, W) size.
 *
 * @param image the augmented image
 * @param mask the label mask, same width and height as {@code image}
 */
public record SynthesizedSample(GrayImage image, GrayImage mask) {

  /**
   * Checks that both are present and of the same size.
   *
   * @param image the augmented image
   * @param mask the label mask, same width and height as {@code image}
   * @throws IllegalArgumentException if the sizes differ
   */
  public SynthesizedSample {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(mask, "mask");
    if (image.width() != mask.width() || image.height() != mask.height()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "mask size %dx%d differs from image size %dx%d",
              mask.width(),
              mask.height(),
              image.width(),
              image.height()));
    }
  }

  /**
   * The unchanged image with an all-zero mask.
   *
   * @param image the image
   * @return a normal sample
   */
  public static SynthesizedSample normal(GrayImage image) {
    return new SynthesizedSample(image, GrayImage.filled(image.width(), image.height(), 0f));
  }

  /**
   * @return the mask area fraction: the mean of the soft mask
   */
  public double maskArea() {
    return mask.mean();
  }
}
