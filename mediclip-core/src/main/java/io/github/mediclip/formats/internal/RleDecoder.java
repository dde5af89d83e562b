package io.github.mediclip.formats.internal;

import java.io.IOException;

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header with the segment count and offsets, then one
 * PackBits-coded byte plane per segment (most significant byte of each sample first, one segment
 * per byte per sample). Output is bounded by the frame size the header of the DICOM file declares.
 */
final class RleDecoder {

  private RleDecoder() {}

  /**
   * Decodes one frame to pixel-interleaved samples.
   *
   * @param data the file bytes
   * @param off the frame's first byte (its RLE header)
   * @param len the frame's encoded length
   * @param pixels rows · columns
   * @param spp samples per pixel
   * @param bytesPerSample BitsAllocated / 8
   * @return pixels · spp unsigned sample values
   * @throws IOException with the reason (the caller adds file and offset)
   */
  static int[] decode(byte[] data, int off, int len, int pixels, int spp, int bytesPerSample)
      throws IOException {
    if (len < 64) {
      throw new IOException("RLE frame of " + len + " bytes is shorter than its 64-byte header");
    }
    int segments = (int) DicomParser.u32(data, off, false);
    int expected = spp * bytesPerSample;
    if (segments != expected) {
      throw new IOException(
          "RLE header declares "
              + segments
              + " segments, but "
              + spp
              + " samples of "
              + bytesPerSample
              + " bytes need "
              + expected);
    }
    int[] out = new int[pixels * spp];
    byte[] plane = new byte[pixels];
    for (int s = 0; s < segments; s++) {
      long start = DicomParser.u32(data, off + 4 + 4 * s, false);
      long end = s + 1 < segments ? DicomParser.u32(data, off + 8 + 4 * s, false) : len;
      if (start < 64 || start > end || end > len) {
        throw new IOException(
            "RLE segment "
                + (s + 1)
                + " has offsets "
                + start
                + ".."
                + end
                + " outside the frame of "
                + len
                + " bytes");
      }
      int filled = unpack(data, off + (int) start, off + (int) end, plane);
      if (filled < pixels) {
        throw new IOException(
            "RLE segment "
                + (s + 1)
                + " decodes to "
                + filled
                + " bytes, but the"
                + " frame has "
                + pixels
                + " pixels: truncated pixel data");
      }
      int sample = s / bytesPerSample;
      int shift = 8 * (bytesPerSample - 1 - s % bytesPerSample);
      for (int p = 0, o = sample; p < pixels; p++, o += spp) {
        out[o] |= (plane[p] & 0xFF) << shift;
      }
    }
    return out;
  }

  /** PackBits: returns the number of bytes written to {@code out} (never more than its length). */
  private static int unpack(byte[] in, int pos, int end, byte[] out) {
    int n = 0;
    while (pos < end && n < out.length) {
      int h = in[pos++];
      if (h >= 0) {
        int count = Math.min(h + 1, Math.min(end - pos, out.length - n));
        System.arraycopy(in, pos, out, n, count);
        pos += h + 1;
        n += count;
      } else if (h != -128) {
        if (pos >= end) {
          break;
        }
        byte v = in[pos++];
        int count = Math.min(1 - h, out.length - n);
        for (int i = 0; i < count; i++) {
          out[n++] = v;
        }
      }
    }
    return n;
  }
}
