package io.github.mediclip.train;

import io.github.mediclip.synth.GrayImage;
import java.util.Objects;

/**
 * An image with its label, used for normal training images and for validation data.
 *
 * @param id a name for provenance and error messages (e.g. the file name)
 * @param image the image, (H, W) on the 0..255 scale
 * @param anomalous {@code true} for an anomalous image
 * @param mask optional ground-truth mask (H, W) with values in [0, 1] (pixels &gt; 0.5 count as
 *     anomalous), or {@code null} when unknown
 */
public record LabeledImage(String id, GrayImage image, boolean anomalous, GrayImage mask) {

  /**
   * Validates the fields.
   *
   * @param id a name for provenance and error messages (e.g. the file name)
   * @param image the image, (H, W) on the 0..255 scale
   * @param anomalous {@code true} for an anomalous image
   * @param mask optional ground-truth mask (H, W) with values in [0, 1] (pixels &gt; 0.5 count as
   *     anomalous), or {@code null} when unknown
   * @throws IllegalArgumentException if the mask size differs from the image size
   */
  public LabeledImage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    if (mask != null && (mask.width() != image.width() || mask.height() != image.height())) {
      throw new IllegalArgumentException(
          "LabeledImage "
              + id
              + ": mask is "
              + mask.width()
              + "x"
              + mask.height()
              + " but image is "
              + image.width()
              + "x"
              + image.height());
    }
  }

  /**
   * A normal image without mask.
   *
   * @param id name for provenance
   * @param image the image
   * @return the labelled image
   */
  public static LabeledImage normal(String id, GrayImage image) {
    return new LabeledImage(id, image, false, null);
  }

  /**
   * An anomalous image.
   *
   * @param id name for provenance
   * @param image the image
   * @param mask ground-truth mask or {@code null}
   * @return the labelled image
   */
  public static LabeledImage anomalous(String id, GrayImage image, GrayImage mask) {
    return new LabeledImage(id, image, true, mask);
  }
}
