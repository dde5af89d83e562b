package io.github.mediclip.bundle;

import ai.djl.ndarray.NDArray;
import io.github.mediclip.MediClipException;
import io.github.mediclip.internal.clip.SafetensorsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The on-disk detector bundle: a folder (or a zip of that folder) holding
 *
 * <ul>
 *   <li>{@value #MANIFEST}: the {@link BundleManifest} (versions, config, CLIP config and SHA-256 of
 *       the backbone weights, prompts, seed, training summary, operating point);
 *   <li>{@value #HEADS}: the trained head parameters as safetensors, named as {@code
 *       MediClipHeads.parameters()} names them (e.g. {@code adapter.0_adapter.0.weight} (D, W, 1, 1),
 *       {@code prompt.ctx.normal_end} (P, n_ctx, W));
 *   <li>{@value #SERVING}: DJL's serving properties, so that {@code
 *       Criteria.builder().optModelPath(bundle)} loads it through {@code MediClipTranslatorFactory}.
 * </ul>
 *
 * <p>The backbone itself is not copied into the bundle (it is large and usually shared); its location
 * and hash are recorded. All writes are atomic: the bundle is assembled in a temporary sibling folder
 * and moved into place; a failure leaves no half-written bundle and keeps a previous one intact.
 */
public final class DetectorBundle {

  /** Manifest file name. */
  public static final String MANIFEST = "manifest.json";
  /** Head weights file name. */
  public static final String HEADS = "heads.safetensors";
  /** DJL serving properties file name. */
  public static final String SERVING = "serving.properties";

  private static final String SERVING_TEXT =
      "# Lets DJL load this MediCLIP detector bundle: Criteria.builder().optModelPath(<this folder>)\n"
          + "# .optTranslatorFactory(new io.github.mediclip.zoo.MediClipTranslatorFactory())\n"
          + "engine=PyTorch\n"
          + "blockFactory=io.github.mediclip.zoo.MediClipBlockFactory\n"
          + "translatorFactory=io.github.mediclip.zoo.MediClipTranslatorFactory\n"
          + "option.hasParameter=false\n";

  private DetectorBundle() {}

  /**
   * Writes a bundle folder atomically.
   *
   * @param dir the bundle folder to create or replace
   * @param manifest the manifest
   * @param heads head parameters by name
   * @throws UncheckedIOException naming the folder when writing fails (no partial bundle is left)
   */
  public static void write(Path dir, BundleManifest manifest, Map<String, NDArray> heads) {
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
      Files.writeString(tmp.resolve(MANIFEST), manifest.toJson(), StandardCharsets.UTF_8);
      Files.writeString(tmp.resolve(SERVING), SERVING_TEXT, StandardCharsets.UTF_8);
      SafetensorsWriter.write(tmp.resolve(HEADS), heads, Map.of("format", "pt"));
      replaceDirectory(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write detector bundle " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  /**
   * Reads the manifest of a bundle folder.
   *
   * @param dir the bundle folder
   * @return the manifest
   * @throws MediClipException naming the file when it is missing or malformed
   */
  public static BundleManifest readManifest(Path dir) {
    Path file = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(file)) {
      throw new MediClipException(
          "Not a detector bundle: " + dir.toAbsolutePath() + " has no " + MANIFEST
              + " (expected a folder written by MediClipDetector.save, or its zip)");
    }
    try {
      return BundleManifest.fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Zips a bundle folder into a single file (atomically: temporary file, then move).
   *
   * @param dir the bundle folder
   * @param zipFile the zip to create or replace
   * @throws UncheckedIOException naming the file on failure
   */
  public static void zip(Path dir, Path zipFile) {
    readManifest(dir); // fail early on a folder that is not a bundle
    Path target = zipFile.toAbsolutePath().normalize();
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try (OutputStream os = Files.newOutputStream(tmp);
          ZipOutputStream zos = new ZipOutputStream(os);
          Stream<Path> files = Files.list(dir)) {
        List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
        for (Path f : sorted) {
          ZipEntry entry = new ZipEntry(f.getFileName().toString());
          entry.setTime(0L);
          zos.putNextEntry(entry);
          Files.copy(f, zos);
          zos.closeEntry();
        }
      }
      moveAtomically(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write bundle zip " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  /**
   * Extracts a bundle zip into a folder (flat entries only; entries with paths are rejected).
   *
   * @param zipFile the zip
   * @param dir the folder to extract into (created)
   * @return {@code dir}
   * @throws MediClipException when the zip holds an entry with a path or no manifest
   */
  public static Path unzip(Path zipFile, Path dir) {
    try {
      Files.createDirectories(dir);
      try (InputStream is = Files.newInputStream(zipFile);
          ZipInputStream zis = new ZipInputStream(is)) {
        ZipEntry e;
        while ((e = zis.getNextEntry()) != null) {
          String name = e.getName();
          if (e.isDirectory() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new MediClipException(
                "Bundle zip " + zipFile + " holds an unexpected entry '" + name
                    + "' (a bundle zip holds flat files only)");
          }
          Files.copy(zis, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("Bundle zip not found: " + zipFile, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read bundle zip " + zipFile + ": " + e.getMessage(), e);
    }
    readManifest(dir);
    return dir;
  }

  /**
   * Whether a path names a zip file rather than a bundle folder.
   *
   * @param path a bundle folder or zip
   * @return true for a regular file ending in {@code .zip}
   */
  public static boolean isZip(Path path) {
    return Files.isRegularFile(path)
        && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
  }

  // Replaces target by source: move the old folder aside, move the new one in, delete the old one.
  private static void replaceDirectory(Path source, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      if (!Files.isDirectory(target)) {
        throw new IOException(target + " exists and is not a folder");
      }
      old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
      moveAtomically(target, old);
    }
    try {
      moveAtomically(source, target);
    } catch (IOException e) {
      if (old != null) {
        moveAtomically(old, target); // put the previous bundle back
      }
      throw e;
    }
    if (old != null) {
      deleteQuietly(old);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      if (Files.isDirectory(p)) {
        Files.walkFileTree(
            p,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                  throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
              }
            });
      } else {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // best effort cleanup of a temporary path
    }
  }

  /**
   * Lists leftover temporary folders of interrupted writes next to a bundle (for diagnostics).
   *
   * @param dir the bundle folder
   * @return temporary siblings ({@code .name.tmp-*}); empty when none
   */
  public static List<Path> leftovers(Path dir) {
    Path target = dir.toAbsolutePath().normalize();
    String prefix = "." + target.getFileName() + ".";
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(target.getParent(), prefix + "*")) {
      java.util.ArrayList<Path> out = new java.util.ArrayList<>();
      ds.forEach(out::add);
      out.sort(Comparator.naturalOrder());
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }
}
