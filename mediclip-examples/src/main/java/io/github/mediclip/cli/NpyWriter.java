package io.github.mediclip.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a (H, W) float32 grid as a NumPy {@code .npy} file (format 1.0, little-endian, C order).
 */
final class NpyWriter {
  private NpyWriter() {}

  static void write(Path file, int width, int height, float[] values) throws IOException {
    byte[] bytes = bytes(width, height, values);
    try (OutputStream os = Files.newOutputStream(file)) {
      os.write(bytes);
    }
  }

  /** The bytes of a .npy file holding a (H, W) float32 grid. */
  static byte[] bytes(int width, int height, float[] values) {
    if (values.length != width * height) {
      throw new IllegalArgumentException(
          "values.length " + values.length + " != " + width + "x" + height);
    }
    StringBuilder header =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }",
                height,
                width));
    // magic (6) + version (2) + header length (2) + header + '\n' must be a multiple of 64
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer bb =
        ByteBuffer.allocate(10 + h.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bb.put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.ISO_8859_1))
        .put((byte) 1)
        .put((byte) 0);
    bb.putShort((short) h.length).put(h);
    for (float v : values) {
      bb.putFloat(v);
    }
    return bb.array();
  }
}
