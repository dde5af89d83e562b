package io.github.mediclip.internal;

import io.github.mediclip.internal.clip.SafetensorsReader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the best checkpoint across restarts: a training restarted on the same checkpoint folder
 * must not replace a checkpoint whose recorded selection metric is better than the one it would
 * write (the metric is in the checkpoint's safetensors metadata, key {@code metric}).
 */
public final class CheckpointGuard {

  private CheckpointGuard() {}

  /**
   * Whether {@code file} already holds a checkpoint with a better metric than {@code metric}.
   *
   * @param file the checkpoint file
   * @param metric the selection metric of the state about to be written (higher is better)
   * @return true when the existing checkpoint must be kept
   */
  public static boolean keepsBetter(Path file, double metric) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      String m = r.metadata().get("metric");
      if (m == null) {
        return false;
      }
      double old = Double.parseDouble(m);
      return !Double.isNaN(old) && (Double.isNaN(metric) || old > metric);
    } catch (RuntimeException e) {
      return false; // not a readable checkpoint: replacing it loses nothing of value
    }
  }
}
