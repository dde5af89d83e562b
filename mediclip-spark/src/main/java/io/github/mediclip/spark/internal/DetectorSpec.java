package io.github.mediclip.spark.internal;

import java.io.Serializable;
import java.util.Objects;

/**
 * What an executor needs to obtain its detector: shipped with every task (a few strings), never the
 * detector itself.
 *
 * @param bundle bundle folder or zip, as a local path or {@code file:} URI valid on every executor
 * @param bundleSha256 the bundle's SHA-256 as the driver computed it
 * @param backbone backbone folder, or {@code null} for the one the bundle records
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param torchThreads intra-op threads for libtorch in the executor JVM, 0 = libtorch's default
 */
public record DetectorSpec(
    String bundle, String bundleSha256, String backbone, String device, int torchThreads)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Checks the fields.
   *
   * @param bundle bundle location
   * @param bundleSha256 SHA-256 hex
   * @param backbone backbone folder or {@code null}
   * @param device device name
   * @param torchThreads threads, 0 or more
   */
  public DetectorSpec {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(bundleSha256, "bundleSha256");
    Objects.requireNonNull(device, "device");
    if (torchThreads < 0) {
      throw new IllegalArgumentException("torchThreads must be >= 0, got " + torchThreads);
    }
  }
}
