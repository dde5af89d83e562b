package io.github.mediclip.spark.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * SHA-256 of a detector bundle: the file's bytes for a {@code .zip}, or every regular file of a
 * bundle folder in order of relative path (path, NUL, bytes). The driver computes it once per
 * transform; each executor recomputes it before loading, so a bundle that differs between the
 * driver and an executor (a stale copy on one node) fails loudly instead of scoring with other
 * weights.
 */
public final class BundleHash {

  private BundleHash() {}

  /**
   * Resolves a bundle location given as a local path or a {@code file:} URI.
   *
   * @param location path or {@code file:} URI
   * @return the local path
   * @throws IllegalArgumentException for another URI scheme (the bundle must be reachable as a file
   *     on every executor)
   */
  public static Path localPath(String location) {
    if (location.startsWith("file:")) {
      return Paths.get(URI.create(location));
    }
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
      throw new IllegalArgumentException(
          "bundle "
              + location
              + ": only local paths and file: URIs are supported; copy the bundle"
              + " to a path every executor can read (a shared file system or the same path on each"
              + " node)");
    }
    return Paths.get(location);
  }

  /**
   * Hashes a bundle folder or zip.
   *
   * @param bundle the bundle
   * @return lower-case hex SHA-256
   * @throws UncheckedIOException naming the bundle when it is missing or unreadable
   */
  public static String sha256(Path bundle) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
    try {
      if (Files.isRegularFile(bundle)) {
        update(md, bundle);
      } else if (Files.isDirectory(bundle)) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(bundle)) {
          files =
              s.filter(Files::isRegularFile)
                  .sorted((a, b) -> rel(bundle, a).compareTo(rel(bundle, b)))
                  .collect(Collectors.toList());
        }
        for (Path f : files) {
          md.update(rel(bundle, f).getBytes(StandardCharsets.UTF_8));
          md.update((byte) 0);
          update(md, f);
        }
      } else {
        throw new IOException("no such bundle folder or zip");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read detector bundle " + bundle + ": " + e.getMessage(), e);
    }
    StringBuilder hex = new StringBuilder(64);
    for (byte b : md.digest()) {
      hex.append(String.format(java.util.Locale.ROOT, "%02x", b));
    }
    return hex.toString();
  }

  private static String rel(Path root, Path f) {
    return root.relativize(f).toString().replace('\\', '/');
  }

  private static void update(MessageDigest md, Path f) throws IOException {
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(f)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
  }
}
