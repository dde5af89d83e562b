package io.github.mediclip.eval;

import io.github.mediclip.Prediction;
import io.github.mediclip.synth.GrayImage;
import java.util.Objects;

/**
 * What a scorer says about one image: an image-level score and, optionally, a pixel anomaly map. It
 * is the scorer-neutral part of a detector's {@link Prediction}, with the same component names and
 * types ({@link Prediction#score()}, {@link Prediction#anomalyMap()}); {@link #of(Prediction)}
 * shares the prediction's (immutable) map without copying it. A {@code Prediction} adds what only a
 * calibrated detector knows: the normalised score, the decision and the mask.
 *
 * @param score image anomaly score, finite, higher = more anomalous
 * @param anomalyMap the anomaly map, or {@code null} for image-level-only scorers; any resolution
 *     (the evaluator resizes it bilinearly to its pixel-evaluation size)
 */
public record ScoredImage(double score, GrayImage anomalyMap) {

  /**
   * Checks the score.
   *
   * @param score image anomaly score, finite, higher = more anomalous
   * @param anomalyMap the anomaly map, or {@code null} for image-level-only scorers
   */
  public ScoredImage {
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("score is " + score + "; it must be finite");
    }
  }

  /**
   * A score with a map given as a row-major array.
   *
   * @param score image anomaly score, finite
   * @param map (height * width) row-major anomaly map (copied)
   * @param width map width
   * @param height map height
   * @return the scored image
   * @throws IllegalArgumentException when the map does not have width * height values
   */
  public static ScoredImage of(double score, float[] map, int width, int height) {
    Objects.requireNonNull(map, "map");
    if (width <= 0 || height <= 0 || (long) width * height != map.length) {
      throw new IllegalArgumentException(
          "map has " + map.length + " values but width * height = " + width + " * " + height);
    }
    return new ScoredImage(score, GrayImage.of(width, height, map));
  }

  /**
   * An image-level score without map.
   *
   * @param score the score
   * @return the scored image
   */
  public static ScoredImage of(double score) {
    return new ScoredImage(score, null);
  }

  /**
   * Adapts a detector prediction: the raw {@link Prediction#score()} and the anomaly map at input
   * resolution (shared, not copied: {@link GrayImage} is immutable).
   *
   * @param p the prediction
   * @return the scored image
   */
  public static ScoredImage of(Prediction p) {
    Objects.requireNonNull(p, "prediction");
    return new ScoredImage(p.score(), p.anomalyMap());
  }

  /**
   * Whether a pixel map is present.
   *
   * @return {@code true} if a pixel map is present
   */
  public boolean hasMap() {
    return anomalyMap != null;
  }
}
