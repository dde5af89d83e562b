package io.github.mediclip.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The library version, read from the resource that Maven filters at build time (never hard-coded).
 */
final class VersionInfo {
  private VersionInfo() {}

  /** Returns the library version, e.g. {@code 0.1.0-SNAPSHOT}. */
  static String libraryVersion() {
    String fromManifest = MediClipCli.class.getPackage().getImplementationVersion();
    if (fromManifest != null) {
      return fromManifest;
    }
    Properties p = new Properties();
    try (InputStream in = MediClipCli.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read version.properties", e);
    }
    return p.getProperty("version", "unknown");
  }
}
