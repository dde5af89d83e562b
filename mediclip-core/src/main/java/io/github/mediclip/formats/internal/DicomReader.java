package io.github.mediclip.formats.internal;

import io.github.mediclip.formats.DicomFrameDecoder;
import io.github.mediclip.formats.ReadOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** DICOM file and series reader (placeholder until the pixel decoding lands). */
public final class DicomReader {
  private DicomReader() {}

  public static boolean canRead(Path source) throws IOException {
    return DicomParser.isDicom(source);
  }

  public static Decoded read(Path source, ReadOptions options, List<DicomFrameDecoder> plugins)
      throws IOException {
    throw new UnsupportedOperationException("DICOM pixel decoding is not implemented yet");
  }
}
