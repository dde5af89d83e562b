package io.github.mediclip.formats.internal;

import io.github.mediclip.formats.DicomFrameDecoder;
import io.github.mediclip.formats.MedicalFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

// Why this class is long (~560 lines): it is the case analysis PS3.5 requires for Pixel Data
// (native and encapsulated frames, bit masking and sign extension, planar and interleaved colour,
// YBR, modality LUT), kept together so that each frame's byte-count checks are in one place.
/**
 * Turns the Pixel Data of one parsed DICOM file into gray modality values per frame: native or
 * encapsulated frames, BitsStored/HighBit masking, sign extension, planar configuration, color to
 * gray (BT.601 luma {@code 0.299 R + 0.587 G + 0.114 B}; for YBR the Y sample is that luma already)
 * and the modality LUT (Rescale Slope/Intercept, per frame).
 */
final class PixelData {

  private PixelData() {}

  /**
   * The image pixel module of a file (PS3.3 C.7.6.3).
   *
   * @param rows Rows
   * @param columns Columns
   * @param spp SamplesPerPixel
   * @param bitsAllocated BitsAllocated
   * @param bitsStored BitsStored
   * @param highBit HighBit
   * @param signed PixelRepresentation == 1
   * @param planar PlanarConfiguration == 1
   * @param photometric PhotometricInterpretation
   * @param frames NumberOfFrames (1 when absent)
   */
  record Info(
      int rows,
      int columns,
      int spp,
      int bitsAllocated,
      int bitsStored,
      int highBit,
      boolean signed,
      boolean planar,
      String photometric,
      int frames) {

    long pixels() {
      return (long) rows * columns;
    }
  }

  static Info info(DicomDataset ds) {
    Path f = ds.file();
    int rows = ds.integer(0x00280010, -1);
    int cols = ds.integer(0x00280011, -1);
    if (rows < 1 || cols < 1) {
      throw new MedicalFormatException(
          f,
          "Rows (0028,0010) / Columns (0028,0011) missing or not"
              + " positive ("
              + rows
              + " x "
              + cols
              + "); the file holds no image");
    }
    int spp = ds.integer(0x00280002, 1);
    int ba = ds.integer(0x00280100, -1);
    int bs = ds.integer(0x00280101, ba);
    int hb = ds.integer(0x00280102, bs - 1);
    int pr = ds.integer(0x00280103, 0);
    int planar = ds.integer(0x00280006, 0);
    String pi = ds.string(0x00280004);
    int frames = ds.integer(0x00280008, 1);
    if (spp != 1 && spp != 3) {
      throw new MedicalFormatException(
          f,
          "SamplesPerPixel (0028,0002) is " + spp + "; only 1 (gray) and 3 (color) are supported");
    }
    if (ba != 8 && ba != 16 && ba != 32) {
      throw new MedicalFormatException(
          f, "BitsAllocated (0028,0100) is " + ba + "; only 8, 16 and 32 are supported");
    }
    if (bs < 1 || bs > ba || hb < bs - 1 || hb >= ba) {
      throw new MedicalFormatException(
          f,
          "BitsStored (0028,0101) "
              + bs
              + " / HighBit (0028,0102) "
              + hb
              + " do not fit BitsAllocated "
              + ba);
    }
    if (frames < 1) {
      throw new MedicalFormatException(f, "NumberOfFrames (0028,0008) is " + frames);
    }
    if (pi == null) {
      pi = spp == 1 ? "MONOCHROME2" : "RGB";
    }
    if (pi.startsWith("PALETTE")) {
      throw new MedicalFormatException(
          f,
          "PhotometricInterpretation PALETTE COLOR is not supported;"
              + " convert the series to MONOCHROME2 or RGB");
    }
    return new Info(rows, cols, spp, ba, bs, hb, pr == 1, planar == 1, pi, frames);
  }

  /**
   * Decodes every frame of a file.
   *
   * @param parsed the parsed file
   * @param info its pixel module
   * @param slope per-frame Rescale Slope
   * @param intercept per-frame Rescale Intercept
   * @param plugins frame decoders from ServiceLoader, asked before the built-ins
   * @return one gray float array per frame
   */
  static float[][] decode(
      DicomParser.Parsed parsed,
      Info info,
      double[] slope,
      double[] intercept,
      List<DicomFrameDecoder> plugins,
      long maxBytes) {
    DicomDataset ds = parsed.dataset();
    Path f = ds.file();
    TransferSyntax ts = parsed.syntax();
    DicomDataset.Element px = ds.get(DicomParser.PIXEL_DATA);
    if (px == null) {
      throw new MedicalFormatException(f, "no Pixel Data (7FE0,0010): the file holds no image");
    }
    int pixels = (int) info.pixels();
    float[][] out = new float[info.frames()][];
    if (!ts.encapsulated()) {
      if (px.fragments() != null) {
        throw new MedicalFormatException(
            f,
            "Pixel Data (7FE0,0010) at byte offset "
                + px.offset()
                + " is encapsulated, but the transfer syntax "
                + ts.uid()
                + " ("
                + ts.displayName()
                + ") is native");
      }
      int bytesPerSample = info.bitsAllocated() / 8;
      long frameBytes = info.pixels() * info.spp() * bytesPerSample;
      if ("YBR_FULL_422".equals(info.photometric()) && info.spp() == 3) {
        frameBytes = info.pixels() * 2 * bytesPerSample;
      }
      long need = frameBytes * info.frames();
      if (px.length() < need) {
        throw new MedicalFormatException(
            f,
            "truncated pixel data: Pixel Data (7FE0,0010) at byte"
                + " offset "
                + px.offset()
                + " holds "
                + px.length()
                + " bytes, but "
                + info.frames()
                + " frame(s) of "
                + info.columns()
                + "x"
                + info.rows()
                + "x"
                + info.spp()
                + " samples of "
                + info.bitsAllocated()
                + " bits need "
                + need);
      }
      byte[] buf = px.buf();
      boolean be = px.bigEndian();
      if (be && bytesPerSample == 1 && "OW".equals(px.vr())) {
        // 8-bit samples in a big endian OW: the bytes are swapped in 16-bit words (PS3.5 A.3)
        buf = Arrays.copyOfRange(buf, px.offset(), px.offset() + (int) need + ((int) need & 1));
        for (int i = 0; i + 1 < buf.length; i += 2) {
          byte t = buf[i];
          buf[i] = buf[i + 1];
          buf[i + 1] = t;
        }
        for (int k = 0; k < info.frames(); k++) {
          out[k] = nativeFrame(buf, (int) (k * frameBytes), info, false, slope[k], intercept[k]);
        }
        return out;
      }
      for (int k = 0; k < info.frames(); k++) {
        out[k] =
            nativeFrame(
                buf, px.offset() + (int) (k * frameBytes), info, be, slope[k], intercept[k]);
      }
      return out;
    }
    if (px.fragments() == null) {
      throw new MedicalFormatException(
          f,
          "Pixel Data (7FE0,0010) at byte offset "
              + px.offset()
              + " is native, but the transfer syntax "
              + ts.uid()
              + " ("
              + ts.displayName()
              + ") requires encapsulated fragments");
    }
    List<byte[]> frames = splitFrames(px, info.frames(), ts, f);
    DicomFrameDecoder.Frame spec =
        new DicomFrameDecoder.Frame(
            info.rows(),
            info.columns(),
            info.spp(),
            info.bitsAllocated(),
            info.bitsStored(),
            info.signed(),
            info.photometric(),
            ts.uid(),
            maxBytes);
    DicomFrameDecoder plugin = null;
    for (DicomFrameDecoder d : plugins) {
      if (d.transferSyntaxUids().contains(ts.uid())) {
        plugin = d;
        break;
      }
    }
    for (int k = 0; k < frames.size(); k++) {
      int[] samples;
      byte[] enc = frames.get(k);
      try {
        if (plugin != null) {
          samples = plugin.decode(enc, spec);
          if (samples == null || samples.length != spec.sampleCount()) {
            throw new IOException(
                "decoder '"
                    + plugin.name()
                    + "' returned "
                    + (samples == null ? "null" : samples.length + " samples")
                    + ", expected "
                    + spec.sampleCount());
          }
        } else {
          switch (ts.codec()) {
            case RLE:
              samples =
                  RleDecoder.decode(
                      enc, 0, enc.length, pixels, info.spp(), info.bitsAllocated() / 8);
              break;
            case JPEG:
              samples = ImageIoFrames.decode(enc, "jpeg", info.rows(), info.columns(), info.spp());
              break;
            case JPEG2000:
              samples =
                  ImageIoFrames.decode(enc, "jpeg2000", info.rows(), info.columns(), info.spp());
              break;
            default:
              throw unsupported(f, ts);
          }
        }
      } catch (IOException e) {
        throw new MedicalFormatException(
            f,
            "frame "
                + (k + 1)
                + " of Pixel Data (7FE0,0010) in "
                + ts.displayName()
                + " ("
                + ts.uid()
                + ") cannot be decoded: "
                + e.getMessage()
                + jpegHint(ts),
            e);
      }
      // Color code streams decode to RGB (JPEG 2000 MCT, ImageIO JPEG color conversion is not
      // applied by readRaster: YBR stays YBR, so the Y sample is taken as luma below).
      out[k] = samplesToGray(samples, info, slope[k], intercept[k]);
    }
    return out;
  }

  private static String jpegHint(TransferSyntax ts) {
    if (ts == TransferSyntax.JPEG_LOSSLESS || ts == TransferSyntax.JPEG_LOSSLESS_SV1) {
      return " (JPEG Lossless needs TwelveMonkeys' ImageIO JPEG reader on the class path:"
          + " com.twelvemonkeys.imageio:imageio-jpeg:3.14.0; it is not bundled because it replaces"
          + " the JDK's JPEG reader application-wide. Or convert with dcmdjpeg)";
    }
    if (ts.codec() == TransferSyntax.Codec.JPEG) {
      return " (12-bit JPEG Extended has no maintained Java decoder on Maven Central; convert with"
          + " dcmdjpeg, or plug in a DicomFrameDecoder)";
    }
    return "";
  }

  static MedicalFormatException unsupported(Path f, TransferSyntax ts) {
    return new MedicalFormatException(
        f,
        "transfer syntax "
            + ts.uid()
            + " ("
            + ts.displayName()
            + ") is not supported: no maintained Java decoder resolves from Maven Central; convert the"
            + " file to an uncompressed or RLE syntax (e.g. dcmdjpls / gdcmconv --raw), or plug in a"
            + " DicomFrameDecoder (see docs/formats.md)");
  }

  /**
   * Groups fragments into frames (PS3.5 A.4): Basic Offset Table, one fragment per frame, or JPEG
   * SOI markers.
   */
  private static List<byte[]> splitFrames(
      DicomDataset.Element px, int frames, TransferSyntax ts, Path f) {
    List<int[]> frags = px.fragments();
    byte[] buf = px.buf();
    if (frags.isEmpty()) {
      throw new MedicalFormatException(
          f,
          "encapsulated Pixel Data (7FE0,0010) at byte offset "
              + px.offset()
              + " has no Basic Offset Table item: truncated pixel data");
    }
    int[] bot = frags.get(0);
    List<int[]> data = frags.subList(1, frags.size());
    if (data.isEmpty()) {
      throw new MedicalFormatException(
          f,
          "encapsulated Pixel Data (7FE0,0010) at byte offset "
              + px.offset()
              + " holds no fragment: truncated pixel data");
    }
    List<List<int[]>> groups = new ArrayList<>();
    if (frames == 1) {
      groups.add(data);
    } else if (data.size() == frames) {
      for (int[] d : data) {
        groups.add(List.of(d));
      }
    } else if (bot[1] == 4 * frames) {
      // Basic Offset Table: byte offsets of each frame's first fragment item, relative to the first
      // item
      int first = data.get(0)[0] - 8;
      long[] starts = new long[frames];
      for (int k = 0; k < frames; k++) {
        starts[k] = DicomParser.u32(buf, bot[0] + 4 * k, px.bigEndian());
      }
      for (int k = 0; k < frames; k++) {
        List<int[]> g = new ArrayList<>();
        long lo = starts[k];
        long hi = k + 1 < frames ? starts[k + 1] : Long.MAX_VALUE;
        for (int[] d : data) {
          long rel = d[0] - 8 - first;
          if (rel >= lo && rel < hi) {
            g.add(d);
          }
        }
        if (g.isEmpty()) {
          throw new MedicalFormatException(
              f,
              "the Basic Offset Table at byte offset "
                  + bot[0]
                  + " points frame "
                  + (k + 1)
                  + " at no fragment");
        }
        groups.add(g);
      }
    } else if (ts.codec() == TransferSyntax.Codec.JPEG
        || ts.codec() == TransferSyntax.Codec.JPEG2000) {
      // No offset table: a frame starts at each fragment that starts with a JPEG SOI / J2K SOC
      // marker.
      List<int[]> cur = null;
      for (int[] d : data) {
        boolean start =
            d[1] >= 2
                && (buf[d[0]] & 0xFF) == 0xFF
                && ((buf[d[0] + 1] & 0xFF) == 0xD8 || (buf[d[0] + 1] & 0xFF) == 0x4F);
        if (start || cur == null) {
          cur = new ArrayList<>();
          groups.add(cur);
        }
        cur.add(d);
      }
    }
    if (groups.size() != frames) {
      throw new MedicalFormatException(
          f,
          "encapsulated Pixel Data (7FE0,0010) at byte offset "
              + px.offset()
              + " holds "
              + data.size()
              + " fragments that cannot be split into the "
              + frames
              + " frames of NumberOfFrames (0028,0008): truncated pixel data or a missing"
              + " Basic Offset Table");
    }
    List<byte[]> out = new ArrayList<>(frames);
    for (List<int[]> g : groups) {
      long n = 0;
      for (int[] d : g) {
        n += d[1];
      }
      byte[] b = new byte[(int) n];
      int o = 0;
      for (int[] d : g) {
        System.arraycopy(buf, d[0], b, o, d[1]);
        o += d[1];
      }
      out.add(b);
    }
    return out;
  }

  /** Native frame: read, mask, sign-extend, color to gray, rescale. */
  private static float[] nativeFrame(
      byte[] b, int off, Info info, boolean be, double slope, double intercept) {
    int pixels = (int) info.pixels();
    if (info.spp() == 1) {
      float[] out = new float[pixels];
      int shift = info.highBit() + 1 - info.bitsStored();
      int bs = info.bitsStored();
      int mask = bs == 32 ? -1 : (1 << bs) - 1;
      boolean signed = info.signed();
      int signBit = bs == 32 ? 0 : 1 << (bs - 1);
      // modality value = stored * slope + intercept in double, rounded once to float
      switch (info.bitsAllocated()) {
        case 8:
          for (int i = 0; i < pixels; i++) {
            int v = ((b[off + i] & 0xFF) >>> shift) & mask;
            if (signed && (v & signBit) != 0) {
              v -= signBit << 1;
            }
            out[i] = (float) (v * slope + intercept);
          }
          break;
        case 16:
          if (!signed && shift == 0) {
            // the common case (unsigned, HighBit = BitsStored - 1): one tight loop
            if (be) {
              for (int i = 0, o = off; i < pixels; i++, o += 2) {
                out[i] =
                    (float)
                        (((((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF)) & mask) * slope + intercept);
              }
            } else {
              for (int i = 0, o = off; i < pixels; i++, o += 2) {
                out[i] =
                    (float)
                        ((((b[o] & 0xFF) | ((b[o + 1] & 0xFF) << 8)) & mask) * slope + intercept);
              }
            }
            break;
          }
          for (int i = 0, o = off; i < pixels; i++, o += 2) {
            int raw = DicomParser.u16(b, o, be);
            int v = (raw >>> shift) & mask;
            if (signed && (v & signBit) != 0) {
              v -= signBit << 1;
            }
            out[i] = (float) (v * slope + intercept);
          }
          break;
        default:
          for (int i = 0, o = off; i < pixels; i++, o += 4) {
            long raw = DicomParser.u32(b, o, be);
            long v = (raw >>> shift) & (bs == 32 ? 0xFFFFFFFFL : (1L << bs) - 1);
            if (signed && (v & (1L << (bs - 1))) != 0) {
              v -= 1L << bs;
            }
            out[i] = (float) (v * slope + intercept);
          }
      }
      return out;
    }
    // color: gather samples, then convert
    int bps = info.bitsAllocated() / 8;
    int[] samples = new int[pixels * 3];
    if ("YBR_FULL_422".equals(info.photometric())) {
      // Y0 Y1 Cb Cr per pair of pixels (PS3.3 C.7.6.3.1.2); keep Y, chroma is not needed for gray
      for (int p = 0; p < pixels; p++) {
        int pair = p / 2;
        samples[3 * p] = read(b, off + (pair * 4 + (p & 1)) * bps, bps, be);
      }
    } else if (info.planar()) {
      for (int ch = 0; ch < 3; ch++) {
        for (int p = 0; p < pixels; p++) {
          samples[3 * p + ch] = read(b, off + (ch * pixels + p) * bps, bps, be);
        }
      }
    } else {
      for (int i = 0; i < samples.length; i++) {
        samples[i] = read(b, off + i * bps, bps, be);
      }
    }
    return samplesToGray(samples, info, slope, intercept);
  }

  private static int read(byte[] b, int o, int bps, boolean be) {
    if (bps == 1) {
      return b[o] & 0xFF;
    }
    if (bps == 2) {
      return DicomParser.u16(b, o, be);
    }
    return (int) DicomParser.u32(b, o, be);
  }

  /** Pixel-interleaved decoded samples: mask, sign-extend, color to gray, rescale. */
  private static float[] samplesToGray(int[] samples, Info info, double slope, double intercept) {
    int pixels = (int) info.pixels();
    int bs = info.bitsStored();
    int shift = info.highBit() + 1 - bs;
    long mask = bs == 32 ? 0xFFFFFFFFL : (1L << bs) - 1;
    float[] out = new float[pixels];
    if (info.spp() == 1) {
      for (int i = 0; i < pixels; i++) {
        out[i] = (float) (stored(samples[i], shift, mask, bs, info.signed()) * slope + intercept);
      }
      return out;
    }
    boolean ybr =
        info.photometric().startsWith("YBR_FULL") || info.photometric().startsWith("YBR_PART");
    for (int p = 0; p < pixels; p++) {
      double gray;
      if (ybr) {
        gray = stored(samples[3 * p], shift, mask, bs, info.signed());
      } else {
        gray =
            0.299 * stored(samples[3 * p], shift, mask, bs, info.signed())
                + 0.587 * stored(samples[3 * p + 1], shift, mask, bs, info.signed())
                + 0.114 * stored(samples[3 * p + 2], shift, mask, bs, info.signed());
      }
      out[p] = (float) (gray * slope + intercept);
    }
    return out;
  }

  private static long stored(int raw, int shift, long mask, int bs, boolean signed) {
    long v = ((raw & 0xFFFFFFFFL) >>> shift) & mask;
    if (signed && bs < 64 && (v & (1L << (bs - 1))) != 0) {
      v -= 1L << bs;
    }
    return v;
  }
}
