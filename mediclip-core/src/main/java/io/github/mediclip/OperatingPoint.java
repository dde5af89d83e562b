package io.github.mediclip;

/**
 * The operating point of a detector: the image and pixel thresholds chosen on validation data and
 * the min/max statistics that normalise raw scores so that the threshold maps to 0.5 (anomalib's
 * convention).
 *
 * <p>Normalisation (anomalib's min-max normalisation): {@code n(x) = clamp((x - threshold) / (max -
 * min) + 0.5, 0, 1)}. A raw score at the threshold becomes 0.5; a score is labelled anomalous when
 * it is {@code >=} the threshold (equivalently, when its normalised score is {@code >= 0.5}). When
 * {@code max == min} the spread is taken as 1 to avoid a division by zero.
 *
 * @param imageThreshold raw image-score threshold (image score = max of the anomaly map, in [0, 1])
 * @param pixelThreshold raw anomaly-map threshold for the binary mask, in [0, 1]
 * @param min smallest raw image score seen on the validation data
 * @param max largest raw image score seen on the validation data
 * @param pixelMin smallest raw anomaly-map value seen on the validation data
 * @param pixelMax largest raw anomaly-map value seen on the validation data
 * @param method how the thresholds were chosen (see {@link ThresholdPolicy})
 */
public record OperatingPoint(
    double imageThreshold,
    double pixelThreshold,
    double min,
    double max,
    double pixelMin,
    double pixelMax,
    String method) {

  /**
   * Validates the values.
   *
   * @param imageThreshold raw image-score threshold (image score = max of the anomaly map, in [0,
   *     1])
   * @param pixelThreshold raw anomaly-map threshold for the binary mask, in [0, 1]
   * @param min smallest raw image score seen on the validation data
   * @param max largest raw image score seen on the validation data
   * @param pixelMin smallest raw anomaly-map value seen on the validation data
   * @param pixelMax largest raw anomaly-map value seen on the validation data
   * @param method how the thresholds were chosen (see {@link ThresholdPolicy})
   * @throws IllegalArgumentException if a value is not finite or min &gt; max
   */
  public OperatingPoint {
    check("imageThreshold", imageThreshold);
    check("pixelThreshold", pixelThreshold);
    check("min", min);
    check("max", max);
    check("pixelMin", pixelMin);
    check("pixelMax", pixelMax);
    if (min > max) {
      throw new IllegalArgumentException("OperatingPoint: min (" + min + ") > max (" + max + ")");
    }
    if (pixelMin > pixelMax) {
      throw new IllegalArgumentException(
          "OperatingPoint: pixelMin (" + pixelMin + ") > pixelMax (" + pixelMax + ")");
    }
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("OperatingPoint: method must not be blank");
    }
  }

  private static void check(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "OperatingPoint: " + field + " must be finite, got " + value);
    }
  }

  /**
   * Normalises a raw image score: {@code clamp((x - imageThreshold) / (max - min) + 0.5, 0, 1)}.
   *
   * @param rawScore raw image score
   * @return normalised score in [0, 1]; 0.5 at the threshold
   */
  public double normalizeImageScore(double rawScore) {
    return normalize(rawScore, imageThreshold, min, max);
  }

  /**
   * Normalises a raw anomaly-map value: {@code clamp((x - pixelThreshold) / (pixelMax - pixelMin) +
   * 0.5, 0, 1)}.
   *
   * @param rawValue raw anomaly-map value
   * @return normalised value in [0, 1]; 0.5 at the pixel threshold
   */
  public double normalizePixel(double rawValue) {
    return normalize(rawValue, pixelThreshold, pixelMin, pixelMax);
  }

  /**
   * Returns whether a raw image score is labelled anomalous.
   *
   * @param rawScore raw image score
   * @return {@code rawScore >= imageThreshold}
   */
  public boolean isAnomalous(double rawScore) {
    return rawScore >= imageThreshold;
  }

  private static double normalize(double x, double threshold, double lo, double hi) {
    double spread = hi - lo;
    if (!(spread > 0)) {
      spread = 1.0;
    }
    double v = (x - threshold) / spread + 0.5;
    return Math.min(1.0, Math.max(0.0, v));
  }
}
