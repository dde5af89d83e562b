package io.github.mediclip.bundle.internal;

import java.util.Locale;

/**
 * Limits applied when a bundle (folder or zip) is read, each overridable with a system property
 * (documented in docs/reliability.md). They are read on every use, so a test or an application may
 * change them at run time.
 */
public final class BundleLimits {

  /** System property: the largest {@code manifest.json} accepted, in bytes (default 1 MiB). */
  public static final String MAX_MANIFEST_BYTES = "mediclip.bundle.maxManifestBytes";

  /**
   * System property: the largest safetensors header of {@code heads.safetensors} (default 1 MiB).
   */
  public static final String MAX_HEADS_HEADER_BYTES = "mediclip.bundle.maxHeadsHeaderBytes";

  /** System property: the most entries a bundle zip may list (default 16). */
  public static final String MAX_ZIP_ENTRIES = "mediclip.bundle.maxZipEntries";

  /** System property: the highest uncompressed/compressed ratio of a zip entry (default 100). */
  public static final String MAX_COMPRESSION_RATIO = "mediclip.bundle.maxCompressionRatio";

  /** Largest {@code serving.properties} accepted (it is a few hundred bytes). */
  public static final long MAX_SERVING_BYTES = 64L * 1024;

  /**
   * Largest model input size S a manifest may declare (as {@code MediClip.Builder.optImageSize}).
   */
  public static final int MAX_IMAGE_SIZE = 4096;

  /** Most prompt phrases per class a manifest may declare. */
  public static final int MAX_PROMPTS = 1024;

  /** Longest prompt phrase, in characters. */
  public static final int MAX_PROMPT_CHARS = 1024;

  /** Most adapter layers a manifest may declare. */
  public static final int MAX_LAYERS = 256;

  /** Most context vectors per prompt (as {@code MediClip.Builder.optNCtx}). */
  public static final int MAX_N_CTX = 32;

  private BundleLimits() {}

  /**
   * The manifest size limit.
   *
   * @return bytes
   */
  public static long maxManifestBytes() {
    return get(MAX_MANIFEST_BYTES, 1L << 20);
  }

  /**
   * The heads header size limit.
   *
   * @return bytes
   */
  public static long maxHeadsHeaderBytes() {
    return get(MAX_HEADS_HEADER_BYTES, 1L << 20);
  }

  /**
   * The zip entry-count limit.
   *
   * @return entries
   */
  public static long maxZipEntries() {
    return get(MAX_ZIP_ENTRIES, 16);
  }

  /**
   * The compression-ratio limit.
   *
   * @return ratio
   */
  public static long maxCompressionRatio() {
    return get(MAX_COMPRESSION_RATIO, 100);
  }

  private static long get(String key, long def) {
    String v = System.getProperty(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "system property %s must be a positive integer, got '%s'", key, v));
    }
  }
}
