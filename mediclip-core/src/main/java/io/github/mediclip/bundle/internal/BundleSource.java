package io.github.mediclip.bundle.internal;

import io.github.mediclip.MediClipException;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.DetectorBundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A bundle being read: a folder or a zip, read in place (a zip is never extracted: its entries are
 * read into memory through bounded streams). Every error names the user's folder or zip, with the
 * entry, e.g. {@code brain.zip!/manifest.json}.
 */
public final class BundleSource implements AutoCloseable {

  static final List<String> FILES =
      List.of(DetectorBundle.MANIFEST, DetectorBundle.HEADS, DetectorBundle.SERVING);

  private final Path path;
  private final ZipFile zip;
  private final BundleManifest manifest;

  private BundleSource(Path path, ZipFile zip) {
    this.path = path;
    this.zip = zip;
    boolean ok = false;
    try {
      byte[] bytes = read(DetectorBundle.MANIFEST, BundleLimits.maxManifestBytes(), "the limit");
      this.manifest =
          ManifestParser.parse(
              new String(bytes, StandardCharsets.UTF_8), where(DetectorBundle.MANIFEST));
      ok = true;
    } finally {
      if (!ok) {
        close();
      }
    }
  }

  /**
   * Opens a bundle folder or zip and reads its manifest (bounded).
   *
   * @param bundle the folder or zip
   * @return the source (close it)
   * @throws MediClipException naming the folder or zip when it is not a readable bundle
   */
  public static BundleSource open(Path bundle) {
    if (Files.isDirectory(bundle)) {
      Path m = bundle.resolve(DetectorBundle.MANIFEST);
      if (!Files.isRegularFile(m)) {
        throw new MediClipException(
            "Not a detector bundle: "
                + bundle.toAbsolutePath()
                + " has no "
                + DetectorBundle.MANIFEST
                + " (expected a folder written by MediClipDetector.save, or its zip)"
                + leftoverHint(bundle));
      }
      return new BundleSource(bundle, null);
    }
    if (!Files.exists(bundle, LinkOption.NOFOLLOW_LINKS) || !Files.exists(bundle)) {
      throw new MediClipException(
          "Detector bundle not found: " + bundle.toAbsolutePath() + leftoverHint(bundle));
    }
    if (!Files.isRegularFile(bundle)) {
      throw new MediClipException(
          "Not a detector bundle: " + bundle + " is neither a folder nor a zip file");
    }
    return new BundleSource(bundle, openZip(bundle));
  }

  private static String leftoverHint(Path bundle) {
    List<Path> left = Leftovers.find(bundle);
    if (left.isEmpty()) {
      return "";
    }
    return "; an interrupted save left "
        + left
        + " next to it: saving to "
        + bundle.getFileName()
        + " again recovers or removes them, or rename the complete one (it holds "
        + DetectorBundle.MANIFEST
        + ") to "
        + bundle.getFileName();
  }

  private static ZipFile openZip(Path file) {
    ZipFile zf;
    try {
      zf = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new MediClipException(
          "Not a detector bundle: " + file + " is not a zip file (" + e.getMessage() + ")", e);
    } catch (NoSuchFileException e) {
      throw new MediClipException("Detector bundle not found: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read bundle zip " + file + ": " + e.getMessage(), e);
    }
    try {
      checkEntries(file, zf);
      return zf;
    } catch (RuntimeException e) {
      try {
        zf.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw e;
    }
  }

  /** Entry count, names, declared sizes and compression ratios, before any entry is read. */
  private static void checkEntries(Path file, ZipFile zf) {
    long maxEntries = BundleLimits.maxZipEntries();
    if (zf.size() > maxEntries) {
      throw new MediClipException(
          "Bundle zip "
              + file
              + " lists "
              + zf.size()
              + " entries; a bundle zip holds "
              + FILES.size()
              + " (limit "
              + maxEntries
              + ", system property "
              + BundleLimits.MAX_ZIP_ENTRIES
              + ")");
    }
    Set<String> seen = new HashSet<>();
    Enumeration<? extends ZipEntry> en = zf.entries();
    while (en.hasMoreElements()) {
      ZipEntry e = en.nextElement();
      String name = e.getName();
      if (name.isEmpty()) {
        throw new MediClipException(
            "Bundle zip "
                + file
                + " holds an entry with an empty name; a bundle zip holds only "
                + FILES);
      }
      if (e.isDirectory()
          || name.contains("/")
          || name.contains("\\")
          || name.startsWith(".")
          || name.contains(":")
          || name.indexOf('\0') >= 0
          || !FILES.contains(name)) {
        throw new MediClipException(
            "Bundle zip "
                + file
                + " holds an unexpected entry '"
                + printable(name)
                + "' (a bundle zip holds the flat files "
                + FILES
                + " only)");
      }
      if (!seen.add(name)) {
        throw new MediClipException("Bundle zip " + file + " lists '" + name + "' twice");
      }
      long size = e.getSize();
      long limit = entryLimit(name);
      if (size > limit) {
        throw tooLarge(file + "!/" + name, size, limit);
      }
      checkRatio(file + "!/" + name, size, e.getCompressedSize());
    }
  }

  private static long entryLimit(String name) {
    if (DetectorBundle.MANIFEST.equals(name)) {
      return BundleLimits.maxManifestBytes();
    }
    if (DetectorBundle.SERVING.equals(name)) {
      return BundleLimits.MAX_SERVING_BYTES;
    }
    return Long
        .MAX_VALUE; // heads: checked against the size the configuration implies, see readHeads
  }

  private static void checkRatio(String where, long size, long compressed) {
    long max = BundleLimits.maxCompressionRatio();
    if (size > 4096 && compressed >= 0 && (compressed == 0 || size / compressed > max)) {
      throw new MediClipException(
          where
              + " expands "
              + (compressed == 0 ? "from 0 bytes" : size / compressed + " times")
              + " ("
              + size
              + " bytes); refusing a likely zip bomb (limit "
              + max
              + ", system property "
              + BundleLimits.MAX_COMPRESSION_RATIO
              + ")");
    }
  }

  private static MediClipException tooLarge(String where, long size, long limit) {
    return new MediClipException(
        where
            + " is "
            + size
            + " bytes, more than the "
            + limit
            + " bytes a detector bundle can need (limits: docs/reliability.md)");
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return s.length() > 80 ? sb + "..." : sb.toString();
  }

  /**
   * The user's folder or zip.
   *
   * @return the path as given
   */
  public Path path() {
    return path;
  }

  /**
   * Whether this is a zip.
   *
   * @return true for a zip
   */
  public boolean isZip() {
    return zip != null;
  }

  /**
   * The validated manifest.
   *
   * @return the manifest
   */
  public BundleManifest manifest() {
    return manifest;
  }

  /**
   * How an entry is named in messages.
   *
   * @param entry a file of the bundle
   * @return {@code folder/entry} or {@code zip!/entry}
   */
  public String where(String entry) {
    return zip != null ? path + "!/" + entry : path.resolve(entry).toString();
  }

  /**
   * Reads the heads file, refusing more than {@code limit} bytes (the size the configuration
   * implies plus the header allowance).
   *
   * @param limit the most bytes accepted
   * @return the bytes
   */
  public byte[] readHeads(long limit) {
    return read(DetectorBundle.HEADS, limit, "the size its configuration implies");
  }

  private byte[] read(String entry, long limit, String limitName) {
    String where = where(entry);
    try {
      if (zip == null) {
        Path f = path.resolve(entry);
        if (!Files.isRegularFile(f)) {
          throw new MediClipException("Detector bundle " + path + " has no " + entry);
        }
        long size = Files.size(f);
        if (size > limit) {
          throw tooLarge(where, size, limit);
        }
        try (InputStream is = Files.newInputStream(f)) {
          return bounded(is, limit, where, limitName);
        }
      }
      ZipEntry e = zip.getEntry(entry);
      if (e == null) {
        throw new MediClipException("Bundle zip " + path + " has no " + entry);
      }
      if (e.getSize() > limit) {
        throw tooLarge(where, e.getSize(), limit);
      }
      byte[] b;
      try (InputStream is = zip.getInputStream(e)) {
        b = bounded(is, Math.min(limit, e.getSize() < 0 ? limit : e.getSize()), where, limitName);
      }
      checkRatio(where, b.length, e.getCompressedSize());
      return b;
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "Cannot read " + where + ": " + ex.getMessage() + " (damaged bundle?)", ex);
    }
  }

  private static byte[] bounded(InputStream is, long limit, String where, String limitName)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, 1 << 16));
    byte[] buf = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = is.read(buf)) > 0) {
      total += n;
      if (total > limit) {
        throw new MediClipException(
            where
                + " holds more than "
                + limit
                + " bytes ("
                + limitName
                + "); the bundle is damaged or not ours");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    if (zip != null) {
      try {
        zip.close();
      } catch (IOException ignored) {
        // read-only
      }
    }
  }

  @Override
  public String toString() {
    return (zip != null ? "bundle zip " : "bundle folder ") + path;
  }
}
