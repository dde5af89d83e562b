package io.github.mediclip.formats.internal;

import io.github.mediclip.formats.ReadOptions;
import java.io.IOException;
import java.nio.file.Path;

/** NIfTI-1 / NIfTI-2 reader (placeholder until the parser lands). */
public final class NiftiReader {
  private NiftiReader() {}

  public static boolean canRead(Path source) throws IOException {
    return false;
  }

  public static Decoded read(Path source, ReadOptions options) throws IOException {
    throw new UnsupportedOperationException("NIfTI reading is not implemented yet");
  }
}
