package io.github.mediclip.eval.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One image of a dataset.
 *
 * @param image the image file
 * @param label 0 for normal, 1 for anomalous
 * @param mask the ground-truth mask file (non-zero = anomalous pixel), or {@code null} when there
 *     is none; a normal image without mask is entirely normal
 */
public record Sample(Path image, int label, Path mask) {

  /**
   * Checks the label and that the image path is given.
   *
   * @param image the image file
   * @param label 0 for normal, 1 for anomalous
   * @param mask the ground-truth mask file (non-zero = anomalous pixel), or {@code null} when there
   *     is none; a normal image without mask is entirely normal
   */
  public Sample {
    Objects.requireNonNull(image, "image");
    if (label != 0 && label != 1) {
      throw new IllegalArgumentException(
          "label of " + image + " is " + label + "; it must be 0 (normal) or 1" + " (anomalous)");
    }
  }

  /**
   * Whether this sample is anomalous.
   *
   * @return {@code true} if this sample is anomalous
   */
  public boolean anomalous() {
    return label == 1;
  }
}
