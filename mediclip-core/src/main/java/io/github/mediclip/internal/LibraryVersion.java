package io.github.mediclip.internal;

import io.github.mediclip.MediClip;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this library, as recorded in a detector's provenance. */
public final class LibraryVersion {

  private LibraryVersion() {}

  /**
   * The library version, read from the Maven metadata in the jar ({@code pom.properties}); {@code
   * "dev"} when running from classes (tests).
   *
   * @return the version string
   */
  public static String get() {
    try (InputStream is =
        MediClip.class.getResourceAsStream(
            "/META-INF/maven/io.github.mediclip/mediclip-core/pom.properties")) {
      if (is != null) {
        Properties p = new Properties();
        p.load(is);
        String v = p.getProperty("version");
        if (v != null) {
          return v;
        }
      }
    } catch (IOException ignored) {
      // fall through
    }
    String v = MediClip.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
