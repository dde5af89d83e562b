package io.github.mediclip.bundle;

import io.github.mediclip.MediClipException;
import io.github.mediclip.bundle.internal.BundleWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * A bundle output checked and locked before training starts, so that a refused or unwritable
 * output, or a second training into the same output, fails in seconds instead of after all epochs:
 *
 * <pre>{@code
 * SaveOptions options = SaveOptions.builder().addProtectedPath(data).build();
 * try (BundleOutput out = BundleOutput.reserve(Path.of("brain-detector"), options);
 *     MediClipDetector detector = mediclip.fit(images)) {
 *   detector.save(out.target(), options);   // joins the reservation of this thread
 * }
 * }</pre>
 *
 * <p>{@link #reserve} applies the output rules of {@link SaveOptions}, restores or removes what an
 * interrupted save left next to the target ({@link #recovered()} says what), creates and removes
 * the temporary sibling the save will use (so a read-only folder, a file in the way or a name too
 * long fails now), and takes the lock file {@code .NAME.lock} next to the target. A save of the
 * same target from the same thread joins the reservation; any other writer fails with an error
 * naming the lock. {@link #close()} releases the lock and deletes the lock file.
 */
public final class BundleOutput implements AutoCloseable {

  private final BundleWriter.Reservation reservation;

  private BundleOutput(BundleWriter.Reservation r) {
    this.reservation = r;
  }

  /**
   * Checks and locks a bundle output.
   *
   * @param target the bundle folder or {@code .zip} that will be written
   * @param options overwrite and protected paths
   * @return the reservation (close it)
   * @throws MediClipException naming the target and the reason when it is refused, not writable, or
   *     being written by another training
   */
  public static BundleOutput reserve(Path target, SaveOptions options) {
    return new BundleOutput(BundleWriter.reserve(target, options, List.of()));
  }

  /**
   * The target, absolute and normalised.
   *
   * @return the path
   */
  public Path target() {
    return reservation.target();
  }

  /**
   * What was done about leftovers of an interrupted save (restored or removed), one sentence each.
   *
   * @return the notes; empty when there was nothing to do
   */
  public List<String> recovered() {
    return reservation.recovered();
  }

  /** Releases the lock (idempotent per reservation). */
  @Override
  public void close() {
    reservation.close();
  }
}
