package io.github.mediclip.formats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small DICOM (explicit VR little endian) and NIfTI files for the tests. */
final class TestFiles {

  private TestFiles() {}

  /** A DICOM Part 10 file built element by element (elements must be added in tag order). */
  static final class Dicom {
    private final ByteArrayOutputStream meta = new ByteArrayOutputStream();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Dicom(String transferSyntax) {
      if (transferSyntax != null) {
        metaString(0x00020010, "UI", transferSyntax);
      }
    }

    void metaString(int tag, String vr, String value) {
      write(meta, tag, vr, pad(value.getBytes(StandardCharsets.ISO_8859_1), vr));
    }

    Dicom str(int tag, String vr, String value) {
      write(body, tag, vr, pad(value.getBytes(StandardCharsets.ISO_8859_1), vr));
      return this;
    }

    Dicom us(int tag, int value) {
      write(
          body,
          tag,
          "US",
          ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array());
      return this;
    }

    Dicom raw(int tag, String vr, byte[] value) {
      write(body, tag, vr, value);
      return this;
    }

    /** Appends raw bytes (e.g. a truncated element). */
    Dicom bytes(byte[] b) {
      body.write(b, 0, b.length);
      return this;
    }

    /** The usual image pixel module for gray 16-bit pixels. */
    Dicom image(int rows, int cols, int bitsStored, boolean signed, String photometric) {
      us(0x00280002, 1);
      str(0x00280004, "CS", photometric);
      us(0x00280010, rows);
      us(0x00280011, cols);
      us(0x00280100, 16);
      us(0x00280101, bitsStored);
      us(0x00280102, bitsStored - 1);
      us(0x00280103, signed ? 1 : 0);
      return this;
    }

    byte[] toBytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(new byte[128], 0, 128);
      out.write('D');
      out.write('I');
      out.write('C');
      out.write('M');
      byte[] m = meta.toByteArray();
      out.write(m, 0, m.length);
      byte[] b = body.toByteArray();
      out.write(b, 0, b.length);
      return out.toByteArray();
    }

    Path write(Path file) throws IOException {
      Files.write(file, toBytes());
      return file;
    }

    private static byte[] pad(byte[] v, String vr) {
      if (v.length % 2 == 0) {
        return v;
      }
      byte[] p = java.util.Arrays.copyOf(v, v.length + 1);
      p[v.length] = (byte) ("UI".equals(vr) ? 0 : ' ');
      return p;
    }

    private static void write(ByteArrayOutputStream out, int tag, String vr, byte[] value) {
      ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      h.putShort((short) (tag >>> 16)).putShort((short) tag);
      h.put(vr.getBytes(StandardCharsets.ISO_8859_1));
      boolean longVr = "OB OW OF SQ UT UN".contains(vr);
      if (longVr) {
        h.putShort((short) 0).putInt(value.length);
      } else {
        h.putShort((short) value.length);
      }
      out.write(h.array(), 0, h.position());
      out.write(value, 0, value.length);
    }
  }

  /** 16-bit little-endian words. */
  static byte[] words(int... values) {
    ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putShort((short) v);
    }
    return b.array();
  }

  /**
   * A NIfTI-1 single file; data bytes little endian, already in file order (i fastest).
   *
   * @param dims dim[1..n]
   */
  static Path nifti1(
      Path file, int datatype, int bitpix, float slope, float inter, byte[] data, int... dims)
      throws IOException {
    ByteBuffer h = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0, 348);
    h.putShort(40, (short) dims.length);
    for (int d = 0; d < dims.length; d++) {
      h.putShort(42 + 2 * d, (short) dims[d]);
    }
    h.putShort(70, (short) datatype);
    h.putShort(72, (short) bitpix);
    for (int d = 0; d < 8; d++) {
      h.putFloat(76 + 4 * d, 1f);
    }
    h.putFloat(108, 352f);
    h.putFloat(112, slope);
    h.putFloat(116, inter);
    h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    return writeMaybeGz(file, h.array(), data);
  }

  /** A NIfTI-2 single file header with 64-bit dims (no data unless given). */
  static Path nifti2(Path file, int datatype, int bitpix, byte[] data, long... dims)
      throws IOException {
    ByteBuffer h = ByteBuffer.allocate(544).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0, 540);
    h.put(4, (byte) 'n')
        .put(5, (byte) '+')
        .put(6, (byte) '2')
        .put(8, (byte) '\r')
        .put(9, (byte) '\n')
        .put(10, (byte) 0x1A)
        .put(11, (byte) '\n');
    h.putShort(12, (short) datatype);
    h.putShort(14, (short) bitpix);
    h.putLong(16, dims.length);
    for (int d = 0; d < dims.length; d++) {
      h.putLong(24 + 8 * d, dims[d]);
    }
    for (int d = 0; d < 8; d++) {
      h.putDouble(104 + 8 * d, 1.0);
    }
    h.putLong(168, 544);
    h.putDouble(176, 1.0);
    return writeMaybeGz(file, h.array(), data);
  }

  private static Path writeMaybeGz(Path file, byte[] header, byte[] data) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
      out.write(header);
      out.write(data);
    }
    return file;
  }
}
