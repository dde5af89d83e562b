package io.github.mediclip.bundle;

import ai.djl.ndarray.NDArray;
import io.github.mediclip.MediClipException;
import io.github.mediclip.bundle.internal.BundleSource;
import io.github.mediclip.bundle.internal.BundleWriter;
import io.github.mediclip.bundle.internal.Leftovers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The on-disk detector bundle: a folder (or a zip of that folder) holding
 *
 * <ul>
 *   <li>{@value #MANIFEST}: the {@link BundleManifest} (versions, config, CLIP config and SHA-256
 *       of the backbone weights, prompts, seed, training summary, operating point, content hashes);
 *   <li>{@value #HEADS}: the trained head parameters as float32 safetensors, named as {@code
 *       MediClipHeads.parameters()} names them (e.g. {@code adapter.0_adapter.0.weight} (D, W, 1,
 *       1), {@code prompt.ctx.normal_end} (P, n_ctx, W));
 *   <li>{@value #SERVING}: DJL's serving properties, so that {@code
 *       Criteria.builder().optModelPath(bundle)} loads it through {@code
 *       MediClipTranslatorFactory}.
 * </ul>
 *
 * <p>The backbone itself is not copied into the bundle (it is large and usually shared); its
 * location and hash are recorded. Writes follow the output rules of {@link SaveOptions} (only an
 * empty folder or, with {@link SaveOptions.Builder#optOverwrite(boolean) optOverwrite(true)}, an
 * existing bundle is replaced), lock the target, and are atomic: the bundle is assembled in a
 * hidden sibling folder and moved into place, so a failure leaves no half-written bundle and keeps
 * a previous one intact. A zip is read in place, never extracted, within the limits listed in
 * docs/reliability.md.
 */
public final class DetectorBundle {

  /** Manifest file name. */
  public static final String MANIFEST = "manifest.json";

  /** Head weights file name. */
  public static final String HEADS = "heads.safetensors";

  /** DJL serving properties file name. */
  public static final String SERVING = "serving.properties";

  private DetectorBundle() {}

  /**
   * Writes a bundle folder (or zip, for a name ending in {@code .zip}) with the default options: a
   * missing target or an empty folder only.
   *
   * @param dir the bundle folder to create
   * @param manifest the manifest
   * @param heads head parameters by name
   * @throws MediClipException naming the folder when the output rules refuse it
   * @throws UncheckedIOException naming the folder when writing fails (no partial bundle is left)
   */
  public static void write(Path dir, BundleManifest manifest, Map<String, NDArray> heads) {
    write(dir, manifest, heads, SaveOptions.defaults());
  }

  /**
   * Writes a bundle folder (or zip, for a name ending in {@code .zip}).
   *
   * @param dir the bundle folder to create or replace
   * @param manifest the manifest (its content hashes are computed here)
   * @param heads head parameters by name
   * @param options overwrite and protected paths
   * @throws MediClipException naming the folder when the output rules refuse it
   * @throws UncheckedIOException naming the folder when writing fails (no partial bundle is left)
   */
  public static void write(
      Path dir, BundleManifest manifest, Map<String, NDArray> heads, SaveOptions options) {
    BundleWriter.write(dir, t -> manifest, heads, options, List.of());
  }

  /**
   * Reads the manifest of a bundle folder or zip (a zip is not extracted).
   *
   * @param bundle the bundle folder or zip
   * @return the manifest
   * @throws MediClipException naming the file and field when it is missing, malformed or out of
   *     range
   */
  public static BundleManifest readManifest(Path bundle) {
    try (BundleSource s = BundleSource.open(bundle)) {
      return s.manifest();
    }
  }

  /**
   * Zips a bundle folder into a single file (atomically: temporary file, then move), under the
   * default output rules (a missing target only).
   *
   * @param dir the bundle folder
   * @param zipFile the zip to create
   * @throws MediClipException when the folder is not a bundle or the target is refused
   */
  public static void zip(Path dir, Path zipFile) {
    if (!isZipName(zipFile)) {
      throw new IllegalArgumentException("zipFile must end in .zip: " + zipFile);
    }
    BundleWriter.copy(dir, zipFile, SaveOptions.defaults());
  }

  /**
   * Copies a bundle zip into a new bundle folder, checking it as a load does (flat entries, sizes,
   * ratios, content hashes); nothing is extracted outside {@code dir}.
   *
   * @param zipFile the zip
   * @param dir the folder to create (missing or empty)
   * @return {@code dir}
   * @throws MediClipException naming the zip when it is not a valid bundle
   */
  public static Path unzip(Path zipFile, Path dir) {
    if (isZipName(dir)) {
      throw new IllegalArgumentException("dir must be a folder name, not a .zip: " + dir);
    }
    BundleWriter.copy(zipFile, dir, SaveOptions.defaults());
    return dir;
  }

  /**
   * Whether a path names a zip file rather than a bundle folder.
   *
   * @param path a bundle folder or zip
   * @return true for a regular file that starts with the zip signature or ends in {@code .zip}
   */
  public static boolean isZip(Path path) {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    if (isZipName(path)) {
      return true;
    }
    try (InputStream is = Files.newInputStream(path)) {
      byte[] b = is.readNBytes(4);
      return b.length == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isZipName(Path p) {
    Path n = p.getFileName();
    return n != null && n.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
  }

  /**
   * Lists what an interrupted save left next to a bundle: {@code .NAME.tmp-*} (a new bundle being
   * assembled), {@code .NAME.old-*} (the previous bundle, moved aside between the two renames). The
   * next save to the same target restores or removes them (only files of a bundle are ever
   * deleted); a load of a missing bundle names them in its error.
   *
   * @param dir the bundle folder or zip
   * @return the leftovers, sorted; empty when none
   */
  public static List<Path> leftovers(Path dir) {
    return Leftovers.find(dir);
  }
}
