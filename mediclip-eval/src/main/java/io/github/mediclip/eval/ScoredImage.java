package io.github.mediclip.eval;

import io.github.mediclip.Prediction;
import java.util.Objects;

/**
 * What a scorer says about one image: an image-level score and, optionally, a pixel anomaly map.
 *
 * @param score image anomaly score, finite, higher = more anomalous
 * @param map (height * width) row-major anomaly map, or {@code null} for image-level-only scorers; any
 *     resolution (the evaluator resizes it bilinearly to its pixel-evaluation size)
 * @param width map width (0 when there is no map)
 * @param height map height (0 when there is no map)
 */
public record ScoredImage(double score, float[] map, int width, int height) {

  /**
   * Checks the score and the map shape.
   *
   * @param score image anomaly score, finite, higher = more anomalous
   * @param map (height * width) row-major anomaly map, or {@code null} for image-level-only scorers; any
   *     resolution (the evaluator resizes it bilinearly to its pixel-evaluation size)
   * @param width map width (0 when there is no map)
   * @param height map height (0 when there is no map)
   */
  public ScoredImage {
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("score is " + score + "; it must be finite");
    }
    if (map != null && (width <= 0 || height <= 0 || (long) width * height != map.length)) {
      throw new IllegalArgumentException("map has " + map.length + " values but width * height = " + width + " * "
          + height);
    }
  }

  /**
   * An image-level score without map.
   *
   * @param score the score
   * @return the scored image
   */
  public static ScoredImage of(double score) {
    return new ScoredImage(score, null, 0, 0);
  }

  /**
   * Adapts a detector prediction: the raw {@link Prediction#score()} and the anomaly map at input resolution.
   *
   * @param p the prediction
   * @return the scored image
   */
  public static ScoredImage of(Prediction p) {
    Objects.requireNonNull(p, "prediction");
    return new ScoredImage(p.score(), p.anomalyMap().toArray(), p.anomalyMap().width(), p.anomalyMap().height());
  }

  /**
   * Whether a pixel map is present.
   *
   * @return {@code true} if a pixel map is present
   */
  public boolean hasMap() {
    return map != null;
  }
}
