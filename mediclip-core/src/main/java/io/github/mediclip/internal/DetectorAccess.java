package io.github.mediclip.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import java.util.Objects;

/**
 * Gives the DJL zoo integration (package {@code zoo}) the tensor-level entry points of {@link
 * MediClipDetector} without making them public API. {@code MediClipDetector} installs the hooks in
 * its static initializer (the "shared secrets" pattern of the JDK).
 */
public final class DetectorAccess {

  /** The non-public operations of a detector. */
  public interface Hooks {
    /**
     * The tensor-level forward pass.
     *
     * @param detector the detector
     * @param images normalised images (B, 3, S, S)
     * @return [maps (B, S, S), scores (B)] attached to the manager of {@code images}
     */
    NDList forward(MediClipDetector detector, NDArray images);

    /**
     * Builds a prediction from a model-resolution map.
     *
     * @param detector the detector
     * @param mapS anomaly map (S, S), row-major
     * @param score raw image score
     * @param width input width
     * @param height input height
     * @return the prediction at the input's resolution
     */
    Prediction toPrediction(
        MediClipDetector detector, float[] mapS, double score, int width, int height);
  }

  private static volatile Hooks hooks;

  private DetectorAccess() {}

  /**
   * Installs the hooks; called once by {@link MediClipDetector}.
   *
   * @param h the hooks
   * @throws IllegalStateException when called a second time
   */
  public static synchronized void install(Hooks h) {
    if (hooks != null) {
      throw new IllegalStateException("DetectorAccess hooks are already installed");
    }
    hooks = Objects.requireNonNull(h, "hooks");
  }

  /**
   * Returns the hooks, initializing {@link MediClipDetector} first when needed.
   *
   * @return the hooks
   */
  public static Hooks get() {
    Hooks h = hooks;
    if (h == null) {
      try {
        Class.forName(
            MediClipDetector.class.getName(), true, MediClipDetector.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      h = hooks;
    }
    return h;
  }
}
