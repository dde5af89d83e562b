package io.github.mediclip.eval;

import io.github.mediclip.MediClipDetector;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Anything that scores images: a trained {@link MediClipDetector} (see {@link
 * #of(MediClipDetector)}) or a test fake. The {@link DetectorEvaluator} and {@link KShotSweep} work
 * against this interface, so they can be tested without an engine.
 */
@FunctionalInterface
public interface ImageScorer extends AutoCloseable {

  /**
   * Scores one image.
   *
   * @param image any size and type
   * @return the score and, if available, the anomaly map
   */
  ScoredImage score(BufferedImage image);

  /**
   * Scores a batch; the default calls {@link #score} per image.
   *
   * @param images the images
   * @return one result per image, in order
   */
  default List<ScoredImage> scoreBatch(List<BufferedImage> images) {
    List<ScoredImage> out = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      out.add(score(image));
    }
    return out;
  }

  /** Releases resources; the default does nothing. */
  @Override
  default void close() {}

  /**
   * Adapts a detector: batches go through {@link MediClipDetector#predictBatch}, and {@link
   * #close()} closes the detector.
   *
   * @param detector the detector
   * @return a scorer that owns the detector
   */
  static ImageScorer of(MediClipDetector detector) {
    Objects.requireNonNull(detector, "detector");
    return new TrainedScorer() {
      @Override
      public int normalsSeen() {
        return detector.manifest().training().summary().normalsSeen();
      }

      @Override
      public ScoredImage score(BufferedImage image) {
        return ScoredImage.of(detector.predict(image));
      }

      @Override
      public List<ScoredImage> scoreBatch(List<BufferedImage> images) {
        return detector.predictBatch(images).stream().map(ScoredImage::of).toList();
      }

      @Override
      public void close() {
        detector.close();
      }
    };
  }
}
