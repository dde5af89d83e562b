package io.github.mediclip.cli;

import io.github.mediclip.synth.internal.ImageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal reader of NumPy {@code .npy} files holding a 2-D (H, W) or 3-D (1, H, W) array in C
 * order: float32, float64, uint8 or bool, little-endian.
 */
final class Npy {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** A (H, W) float grid. */
  record Grid(int width, int height, float[] values) {}

  private Npy() {}

  /**
   * Reads a (H, W) grid. Every size in the file is range-checked before anything is allocated: the
   * header length against the file, each dimension (non-negative, at most 2^31 - 1), H·W against
   * the pixel limit (system property {@code mediclip.image.maxPixels}) and the data length against
   * the file.
   */
  static Grid read(Path file) {
    long fileSize;
    try {
      if (!Files.isRegularFile(file)) {
        throw new CliException("cannot read " + file + ": " + ImageIo.notAFile(file));
      }
      fileSize = Files.size(file);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
    long maxPixels = ImageIo.maxPixels();
    // the largest file a map within the pixel limit can be: float64 data plus a header of at most
    // 64 KiB
    long maxFile = 65_536L + 8L * maxPixels;
    if (fileSize > maxFile) {
      throw new CliException(
          String.format(
              Locale.ROOT,
              "%s: %d bytes, more than a map within the pixel limit "
                  + "of %d pixels can take (-D%s=N raises it)",
              file,
              fileSize,
              maxPixels,
              ImageIo.MAX_PIXELS_PROPERTY));
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
    if (bytes.length < 10
        || bytes[0] != (byte) 0x93
        || bytes[1] != 'N'
        || bytes[2] != 'U'
        || bytes[3] != 'M'
        || bytes[4] != 'P'
        || bytes[5] != 'Y') {
      throw new CliException(file + " is not a .npy file (magic \\x93NUMPY missing)");
    }
    int major = bytes[6];
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen;
    int offset;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(bb.getShort(8));
      offset = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new CliException(file + ": .npy header is truncated");
      }
      headerLen = Integer.toUnsignedLong(bb.getInt(8));
      offset = 12;
    } else {
      throw new CliException(
          file + ": unsupported .npy format version " + major + " (1, 2 and 3 are read)");
    }
    if (offset + headerLen > bytes.length) {
      throw new CliException(
          String.format(
              Locale.ROOT,
              "%s: field header_len says %d bytes, but the file has "
                  + "only %d after the preamble",
              file,
              headerLen,
              bytes.length - offset));
    }
    String header = new String(bytes, offset, (int) headerLen, StandardCharsets.ISO_8859_1);
    int dataStart = offset + (int) headerLen;
    String descr = find(DESCR, header, file, "descr");
    if ("True".equals(find(FORTRAN, header, file, "fortran_order"))) {
      throw new CliException(file + ": fortran_order arrays are not supported; save with C order");
    }
    String[] dims = find(SHAPE, header, file, "shape").split(",");
    long[] shape;
    try {
      shape =
          java.util.Arrays.stream(dims)
              .map(String::strip)
              .filter(d -> !d.isEmpty())
              .mapToLong(Long::parseLong)
              .toArray();
    } catch (NumberFormatException e) {
      throw new CliException(
          file
              + ": field 'shape' holds a value that is not an integer in range: "
              + e.getMessage());
    }
    for (long d : shape) {
      if (d < 0 || d > Integer.MAX_VALUE) {
        throw new CliException(
            String.format(
                Locale.ROOT,
                "%s: field 'shape' %s holds %d; dimensions must be " + "in [0, %d]",
                file,
                java.util.Arrays.toString(shape),
                d,
                Integer.MAX_VALUE));
      }
    }
    long h;
    long w;
    if (shape.length == 2) {
      h = shape[0];
      w = shape[1];
    } else if (shape.length == 3 && shape[0] == 1) {
      h = shape[1];
      w = shape[2];
    } else {
      throw new CliException(
          String.format(
              Locale.ROOT,
              "%s: expected a (H, W) array, got shape %s",
              file,
              java.util.Arrays.toString(shape)));
    }
    if (h == 0 || w == 0) {
      throw new CliException(
          String.format(
              Locale.ROOT,
              "%s: field 'shape' %s is empty",
              file,
              java.util.Arrays.toString(shape)));
    }
    if (h * w > maxPixels) {
      throw new CliException(
          String.format(
              Locale.ROOT,
              "%s: field 'shape' %s is %d values, more than the limit "
                  + "of %d (-D%s=N raises it)",
              file,
              java.util.Arrays.toString(shape),
              h * w,
              maxPixels,
              ImageIo.MAX_PIXELS_PROPERTY));
    }
    int n = (int) (h * w);
    int itemSize;
    switch (descr) {
      case "<f4", "|f4" -> itemSize = 4;
      case "<f8", "|f8" -> itemSize = 8;
      case "|u1", "|b1", "<u1" -> itemSize = 1;
      default ->
          throw new CliException(
              file
                  + ": unsupported dtype '"
                  + descr
                  + "'; use float32, float64, uint8 or bool (little-endian)");
    }
    if ((long) dataStart + (long) n * itemSize > bytes.length) {
      throw new CliException(
          file
              + ": file is shorter than its shape "
              + java.util.Arrays.toString(shape)
              + " requires");
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      int p = dataStart + i * itemSize;
      v[i] =
          switch (itemSize) {
            case 4 -> bb.getFloat(p);
            case 8 -> (float) bb.getDouble(p);
            default -> bytes[p] & 0xFF;
          };
    }
    return new Grid((int) w, (int) h, v);
  }

  private static String find(Pattern p, String header, Path file, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new CliException(file + ": .npy header has no '" + key + "'");
    }
    return m.group(1);
  }
}
