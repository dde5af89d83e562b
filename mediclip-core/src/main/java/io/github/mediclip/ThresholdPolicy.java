package io.github.mediclip;

import io.github.mediclip.train.ValidationSource;
import java.util.Locale;
import java.util.Objects;

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

  /**
   * Chooses the operating point on validation outputs as this policy says: what training does with
   * the validation outputs of the best heads ({@link
   * io.github.mediclip.train.FitResult#operatingPoint()}). The image threshold comes from the image
   * scores; the pixel threshold from the anomalous vs the other pixels when masks are given, else
   * from the pixels of the normal images (their {@link #DEFAULT_NORMAL_QUANTILE} quantile, or this
   * policy's quantile for {@link Kind#NORMAL_QUANTILE}). A policy that needs a class that is absent
   * (F1 or sensitivity without anomalous images) falls back to the normal quantile, and the
   * returned {@link OperatingPoint#method()} says which rule was used, e.g. {@code "f1-adaptive on
   * synthesized-shots"}. The min/max statistics are those of all the scores and all the map values.
   *
   * @param imageScores raw image scores (N), N &gt;= 1
   * @param anomalous the image labels (N), {@code true} = anomalous
   * @param maps raw anomaly maps (N, S, S), row-major and flattened
   * @param masks ground-truth masks (N, S, S) flattened, {@code true} = anomalous pixel, or {@code
   *     null} when there are none
   * @param mapSize S, the side of the square maps
   * @param source where the validation data came from; recorded in {@link OperatingPoint#method()}
   * @return the operating point
   * @throws IllegalArgumentException when the lengths do not match N and S, or N is 0
   */
  public OperatingPoint calibrate(
      double[] imageScores,
      boolean[] anomalous,
      float[] maps,
      boolean[] masks,
      int mapSize,
      ValidationSource source) {
    Objects.requireNonNull(imageScores, "imageScores");
    Objects.requireNonNull(anomalous, "anomalous");
    Objects.requireNonNull(maps, "maps");
    Objects.requireNonNull(source, "source");
    int n = anomalous.length;
    if (n == 0 || imageScores.length != n) {
      throw new IllegalArgumentException(
          "calibrate: need one score per label and at least one image, got "
              + imageScores.length
              + " scores and "
              + n
              + " labels");
    }
    if (mapSize < 1 || (long) n * mapSize * mapSize != maps.length) {
      throw new IllegalArgumentException(
          "calibrate: maps must hold N x S x S = "
              + n
              + " x "
              + mapSize
              + " x "
              + mapSize
              + " values, got "
              + maps.length);
    }
    if (masks != null && masks.length != maps.length) {
      throw new IllegalArgumentException(
          "calibrate: masks must be as long as maps (" + maps.length + "), got " + masks.length);
    }
    return Calibration.operatingPoint(imageScores, anomalous, maps, masks, mapSize, this, source);
  }
}
