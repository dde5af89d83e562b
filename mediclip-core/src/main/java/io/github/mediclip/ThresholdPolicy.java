package io.github.mediclip;

import java.util.Locale;

/**
 * How the detector's operating point (image and pixel thresholds) is chosen on the validation data.
 *
 * <ul>
 *   <li>{@link #auto()} (the default): F1-adaptive when the validation data holds anomalous images,
 *       otherwise the {@value #DEFAULT_NORMAL_QUANTILE} quantile of the normal images' scores.
 *   <li>{@link #f1Adaptive()}: the threshold that maximises F1 on the validation data (needs
 *       anomalous validation images; falls back to the normal quantile when there are none).
 *   <li>{@link #normalQuantile(double)}: the q-quantile of the scores of normal validation images
 *       (and of the pixels of normal images for the pixel threshold).
 *   <li>{@link #targetSensitivity(double)}: the highest threshold that still flags at least the
 *       given fraction of anomalous validation images (and anomalous pixels).
 * </ul>
 *
 * @param kind the policy kind
 * @param value the quantile or sensitivity in (0, 1]; ignored (NaN) for {@link Kind#AUTO} and
 *     {@link Kind#F1_ADAPTIVE}
 */
public record ThresholdPolicy(Kind kind, double value) {

  /**
   * The quantile of normal scores used by {@link #auto()} when no anomalous validation image
   * exists.
   */
  public static final double DEFAULT_NORMAL_QUANTILE = 0.99;

  /** Policy kinds. */
  public enum Kind {
    /**
     * F1-adaptive with anomalies, else normal quantile {@value
     * ThresholdPolicy#DEFAULT_NORMAL_QUANTILE}.
     */
    AUTO,
    /** Maximise F1 over all distinct thresholds. */
    F1_ADAPTIVE,
    /** A quantile of normal scores. */
    NORMAL_QUANTILE,
    /** Highest threshold with recall at least the target. */
    TARGET_SENSITIVITY
  }

  /**
   * Validates the policy.
   *
   * @param kind the policy kind
   * @param value the quantile or sensitivity in (0, 1]; ignored (NaN) for {@link Kind#AUTO} and
   *     {@link Kind#F1_ADAPTIVE}
   * @throws IllegalArgumentException if the value is outside (0, 1] for quantile/sensitivity kinds
   */
  public ThresholdPolicy {
    if (kind == null) {
      throw new NullPointerException("kind");
    }
    if ((kind == Kind.NORMAL_QUANTILE || kind == Kind.TARGET_SENSITIVITY)
        && !(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(
          "ThresholdPolicy."
              + kind.name().toLowerCase(Locale.ROOT)
              + ": value must be in (0, 1], got "
              + value);
    }
  }

  /**
   * The default policy.
   *
   * @return F1-adaptive when anomalous validation images exist, else the 0.99 normal quantile
   */
  public static ThresholdPolicy auto() {
    return new ThresholdPolicy(Kind.AUTO, Double.NaN);
  }

  /**
   * F1-adaptive thresholds.
   *
   * @return the policy
   */
  public static ThresholdPolicy f1Adaptive() {
    return new ThresholdPolicy(Kind.F1_ADAPTIVE, Double.NaN);
  }

  /**
   * Quantile of normal scores.
   *
   * @param quantile in (0, 1], e.g. 0.99
   * @return the policy
   */
  public static ThresholdPolicy normalQuantile(double quantile) {
    return new ThresholdPolicy(Kind.NORMAL_QUANTILE, quantile);
  }

  /**
   * Target sensitivity (recall) on anomalous validation images.
   *
   * @param sensitivity in (0, 1], e.g. 0.95
   * @return the policy
   */
  public static ThresholdPolicy targetSensitivity(double sensitivity) {
    return new ThresholdPolicy(Kind.TARGET_SENSITIVITY, sensitivity);
  }
}
