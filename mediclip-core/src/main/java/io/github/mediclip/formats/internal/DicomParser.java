package io.github.mediclip.formats.internal;

import io.github.mediclip.formats.MedicalFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

// Why this class is long (~500 lines): one bounded pass over a DICOM Part 10 byte stream (meta
// group, data set, nested sequences, encapsulated fragments, deflate); the element, sequence and
// fragment readers recurse into each other and share the position and byte limit they check.
/**
 * A defensive DICOM Part 10 parser: preamble, File Meta Information, then the data set in the
 * transfer syntax the meta group declares (implicit/explicit VR, little/big endian, deflated).
 * Every length is checked against the bytes that remain, every buffer is bounded by the caller's
 * limit, and every error names the file, the tag and the byte offset.
 *
 * <p>Written from PS3.5 (data structures and encoding) and PS3.10 (file format); no toolkit code.
 */
public final class DicomParser {

  static final int ITEM = 0xFFFEE000;
  static final int ITEM_DELIM = 0xFFFEE00D;
  static final int SEQ_DELIM = 0xFFFEE0DD;
  static final int PIXEL_DATA = 0x7FE00010;
  static final int TRANSFER_SYNTAX = 0x00020010;
  private static final int UNDEFINED = -1;
  private static final int MAX_DEPTH = 12;

  /** VRs whose explicit header has 2 reserved bytes and a 4-byte length (PS3.5 7.1.2). */
  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

  /** The few VRs that implicit VR files need to be read correctly. */
  private static final Map<Integer, String> IMPLICIT_VRS = new HashMap<>();

  static {
    for (int t :
        new int[] {
          0x00280002,
          0x00280006,
          0x00280010,
          0x00280011,
          0x00280100,
          0x00280101,
          0x00280102,
          0x00280103
        }) {
      IMPLICIT_VRS.put(t, "US");
    }
    for (int t : new int[] {0x00200013, 0x00280008}) {
      IMPLICIT_VRS.put(t, "IS");
    }
    for (int t :
        new int[] {
          0x00200032,
          0x00200037,
          0x00280030,
          0x00180050,
          0x00180088,
          0x00281050,
          0x00281051,
          0x00281052,
          0x00281053,
          0x00201041
        }) {
      IMPLICIT_VRS.put(t, "DS");
    }
    for (int t :
        new int[] {
          0x52009229,
          0x52009230,
          0x00209113,
          0x00209116,
          0x00289110,
          0x00289145,
          0x00289132,
          0x00283000,
          0x00283010
        }) {
      IMPLICIT_VRS.put(t, "SQ");
    }
    IMPLICIT_VRS.put(PIXEL_DATA, "OW");
  }

  /**
   * A parsed file.
   *
   * @param dataset the data set (File Meta elements included)
   * @param syntax the transfer syntax
   */
  public record Parsed(DicomDataset dataset, TransferSyntax syntax) {}

  private final Path file;
  private final long maxBytes;

  private DicomParser(Path file, long maxBytes) {
    this.file = file;
    this.maxBytes = maxBytes;
  }

  /** Whether the file starts with a 128-byte preamble and "DICM". */
  public static boolean isDicom(Path file) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) < 132) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(132);
      return head.length == 132
          && head[128] == 'D'
          && head[129] == 'I'
          && head[130] == 'C'
          && head[131] == 'M';
    }
  }

  /**
   * Reads and parses a whole file.
   *
   * @param file the file
   * @param maxBytes bound on the file size and on the inflated size of a deflated data set
   * @return the data set and transfer syntax
   */
  public static Parsed parse(Path file, long maxBytes) throws IOException {
    long size = Files.size(file);
    if (size > maxBytes || size > Integer.MAX_VALUE - 8) {
      throw new MedicalFormatException(
          file,
          "the file is "
              + size
              + " bytes, more than the limit of "
              + maxBytes
              + " bytes; raise ReadOptions.maxDecodedBytes if it is genuine");
    }
    return new DicomParser(file, maxBytes).parse(Files.readAllBytes(file));
  }

  private Parsed parse(byte[] buf) {
    if (buf.length < 132
        || buf[128] != 'D'
        || buf[129] != 'I'
        || buf[130] != 'C'
        || buf[131] != 'M') {
      throw new MedicalFormatException(file, "not a DICOM Part 10 file: no 'DICM' at byte 128");
    }
    DicomDataset ds = new DicomDataset(file);
    // File Meta Information: always explicit VR little endian, group 0002 only.
    int pos = 132;
    while (pos + 4 <= buf.length && u16(buf, pos, false) == 0x0002) {
      pos = element(buf, pos, buf.length, true, false, ds, 0);
    }
    String tsUid = ds.string(TRANSFER_SYNTAX);
    if (tsUid == null || tsUid.isEmpty()) {
      throw new MedicalFormatException(
          file,
          "the File Meta Information has no Transfer Syntax UID "
              + DicomDataset.tag(TRANSFER_SYNTAX)
              + " (byte offset 132..."
              + pos
              + "); the file is"
              + " damaged or not written as DICOM Part 10");
    }
    TransferSyntax ts = TransferSyntax.of(tsUid);
    if (ts == null) {
      throw new MedicalFormatException(
          file,
          "unknown transfer syntax UID '"
              + tsUid
              + "' in "
              + DicomDataset.tag(TRANSFER_SYNTAX)
              + "; supported: see docs/formats.md (convert the file,"
              + " e.g. with dcmconv +te, or plug in a DicomFrameDecoder)");
    }
    if (ts.deflated()) {
      byte[] inflated = inflate(buf, pos);
      parseDataset(inflated, 0, inflated.length, true, false, ds, 0, false);
    } else {
      parseDataset(buf, pos, buf.length, ts.explicitVr(), ts.bigEndian(), ds, 0, false);
    }
    return new Parsed(ds, ts);
  }

  private byte[] inflate(byte[] buf, int pos) {
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(buf, pos, buf.length - pos);
      byte[] out = new byte[Math.max(1024, Math.min(64 << 20, (buf.length - pos) * 4))];
      int n = 0;
      while (!inf.finished()) {
        if (n == out.length) {
          long bigger = Math.min((long) out.length * 2, maxBytes);
          if (bigger <= out.length || bigger > Integer.MAX_VALUE - 8) {
            throw new MedicalFormatException(
                file,
                "the deflated data set (from byte offset "
                    + pos
                    + ") inflates to more than the limit of "
                    + maxBytes
                    + " bytes");
          }
          out = java.util.Arrays.copyOf(out, (int) bigger);
        }
        int got = inf.inflate(out, n, out.length - n);
        if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
          throw new MedicalFormatException(
              file,
              "the deflated data set (from byte offset "
                  + pos
                  + ") is truncated: the deflate stream ends early after "
                  + n
                  + " bytes");
        }
        n += got;
      }
      return java.util.Arrays.copyOf(out, n);
    } catch (DataFormatException e) {
      throw new MedicalFormatException(
          file,
          "the deflated data set (from byte offset "
              + pos
              + ") is not valid deflate data: "
              + e.getMessage());
    } finally {
      inf.end();
    }
  }

  /**
   * Parses elements from {@code pos} to {@code end}; with {@code untilItemDelim}, stops after an
   * Item Delimitation Item. Returns the position after the last element read.
   */
  private int parseDataset(
      byte[] buf,
      int pos,
      int end,
      boolean explicit,
      boolean be,
      DicomDataset ds,
      int depth,
      boolean untilItemDelim) {
    while (pos < end) {
      if (end - pos < 8) {
        // Trailing padding shorter than an element header: tolerated only at top level.
        if (depth == 0 && allZero(buf, pos, end)) {
          return end;
        }
        throw truncated(pos, "an element header (8 bytes)", end - pos);
      }
      int tag = tag(buf, pos, be);
      if (tag == ITEM_DELIM) {
        if (!untilItemDelim) {
          throw new MedicalFormatException(
              file,
              "unexpected Item Delimitation Item "
                  + DicomDataset.tag(tag)
                  + " at byte offset "
                  + pos);
        }
        return pos + 8;
      }
      pos = element(buf, pos, end, explicit, be, ds, depth);
    }
    if (untilItemDelim) {
      throw truncated(pos, "an Item Delimitation Item (FFFE,E00D)", 0);
    }
    return pos;
  }

  /** Reads one element at {@code pos} into {@code ds}; returns the position after it. */
  private int element(
      byte[] buf, int pos, int end, boolean explicit, boolean be, DicomDataset ds, int depth) {
    if (end - pos < 8) {
      throw truncated(pos, "an element header (8 bytes)", end - pos);
    }
    int tag = tag(buf, pos, be);
    String vr;
    long len;
    int header;
    if (explicit && (tag >>> 16) != 0xFFFE) {
      vr = new String(buf, pos + 4, 2, StandardCharsets.ISO_8859_1);
      if (LONG_VRS.contains(vr)) {
        if (end - pos < 12) {
          throw truncated(pos, "a 12-byte element header of " + DicomDataset.tag(tag), end - pos);
        }
        len = u32(buf, pos + 8, be);
        header = 12;
      } else if (vr.charAt(0) >= 'A'
          && vr.charAt(0) <= 'Z'
          && vr.charAt(1) >= 'A'
          && vr.charAt(1) <= 'Z') {
        len = u16(buf, pos + 6, be);
        header = 8;
      } else {
        throw new MedicalFormatException(
            file,
            "element "
                + DicomDataset.tag(tag)
                + " at byte offset "
                + pos
                + " has no valid VR (bytes '"
                + vr
                + "'); the file says explicit VR but is not");
      }
    } else {
      vr = IMPLICIT_VRS.getOrDefault(tag, "??");
      len = u32(buf, pos + 4, be);
      header = 8;
    }
    int value = pos + header;
    if (len == 0xFFFFFFFFL) {
      if (tag == PIXEL_DATA) {
        return fragments(buf, value, end, be, ds, tag);
      }
      if (depth >= MAX_DEPTH) {
        throw new MedicalFormatException(
            file,
            "sequences nested deeper than "
                + MAX_DEPTH
                + " levels at "
                + DicomDataset.tag(tag)
                + ", byte offset "
                + pos);
      }
      // SQ, or UN / implicit with undefined length: a sequence; UN items are implicit VR LE.
      boolean itemsExplicit = explicit && !"UN".equals(vr);
      boolean itemsBe = be && !"UN".equals(vr);
      List<DicomDataset> items = new ArrayList<>();
      int after = sequence(buf, value, end, UNDEFINED, itemsExplicit, itemsBe, items, depth + 1);
      ds.put(new DicomDataset.Element(tag, "SQ", null, pos, -1, be, items, null));
      return after;
    }
    if (len > end - value) {
      throw new MedicalFormatException(
          file,
          "element "
              + DicomDataset.tag(tag)
              + " at byte offset "
              + pos
              + " declares "
              + len
              + " bytes of value but only "
              + (end - value)
              + " remain: the file is truncated");
    }
    int n = (int) len;
    if ("SQ".equals(vr) && depth < MAX_DEPTH) {
      List<DicomDataset> items = new ArrayList<>();
      sequence(buf, value, value + n, value + n, explicit, be, items, depth + 1);
      ds.put(new DicomDataset.Element(tag, "SQ", null, value, n, be, items, null));
    } else {
      ds.put(new DicomDataset.Element(tag, vr, buf, value, n, be, null, null));
    }
    return value + n;
  }

  private int sequence(
      byte[] buf,
      int pos,
      int end,
      int definedEnd,
      boolean explicit,
      boolean be,
      List<DicomDataset> items,
      int depth) {
    while (true) {
      if (definedEnd != UNDEFINED && pos >= definedEnd) {
        return pos;
      }
      if (end - pos < 8) {
        throw truncated(pos, "a sequence item header (8 bytes)", end - pos);
      }
      int tag = tag(buf, pos, be);
      long len = u32(buf, pos + 4, be);
      if (tag == SEQ_DELIM) {
        return pos + 8;
      }
      if (tag != ITEM) {
        throw new MedicalFormatException(
            file,
            "expected a sequence Item (FFFE,E000) at byte offset "
                + pos
                + " but found "
                + DicomDataset.tag(tag));
      }
      DicomDataset item = new DicomDataset(file);
      if (len == 0xFFFFFFFFL) {
        pos = parseDataset(buf, pos + 8, end, explicit, be, item, depth, true);
      } else {
        if (len > end - pos - 8) {
          throw new MedicalFormatException(
              file,
              "sequence item at byte offset "
                  + pos
                  + " declares "
                  + len
                  + " bytes but only "
                  + (end - pos - 8)
                  + " remain: the file is truncated");
        }
        parseDataset(buf, pos + 8, pos + 8 + (int) len, explicit, be, item, depth, false);
        pos += 8 + (int) len;
      }
      items.add(item);
    }
  }

  private int fragments(byte[] buf, int pos, int end, boolean be, DicomDataset ds, int tag) {
    List<int[]> frags = new ArrayList<>();
    int start = pos;
    while (true) {
      if (end - pos < 8) {
        throw new MedicalFormatException(
            file,
            "encapsulated Pixel Data "
                + DicomDataset.tag(tag)
                + " starting at byte offset "
                + start
                + " is truncated at byte offset "
                + pos
                + ": no Sequence Delimitation Item (FFFE,E0DD)");
      }
      int t = tag(buf, pos, be);
      long len = u32(buf, pos + 4, be);
      if (t == SEQ_DELIM) {
        pos += 8;
        break;
      }
      if (t != ITEM) {
        throw new MedicalFormatException(
            file,
            "expected a pixel data fragment Item (FFFE,E000) at"
                + " byte offset "
                + pos
                + " but found "
                + DicomDataset.tag(t));
      }
      if (len > end - pos - 8) {
        throw new MedicalFormatException(
            file,
            "Pixel Data fragment at byte offset "
                + pos
                + " declares "
                + len
                + " bytes but only "
                + (end - pos - 8)
                + " remain: truncated pixel data");
      }
      frags.add(new int[] {pos + 8, (int) len});
      pos += 8 + (int) len;
    }
    ds.put(new DicomDataset.Element(tag, "OB", buf, start, -1, be, null, frags));
    return pos;
  }

  private MedicalFormatException truncated(int pos, String what, int remaining) {
    return new MedicalFormatException(
        file,
        "truncated at byte offset "
            + pos
            + ": expected "
            + what
            + " but only "
            + remaining
            + " bytes remain");
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int tag(byte[] b, int pos, boolean be) {
    return (u16(b, pos, be) << 16) | u16(b, pos + 2, be);
  }

  static int u16(byte[] b, int o, boolean be) {
    return be ? ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF) : (b[o] & 0xFF) | ((b[o + 1] & 0xFF) << 8);
  }

  static long u32(byte[] b, int o, boolean be) {
    long v =
        be
            ? ((long) (b[o] & 0xFF) << 24)
                | ((b[o + 1] & 0xFF) << 16)
                | ((b[o + 2] & 0xFF) << 8)
                | (b[o + 3] & 0xFF)
            : (b[o] & 0xFF)
                | ((b[o + 1] & 0xFF) << 8)
                | ((b[o + 2] & 0xFF) << 16)
                | ((long) (b[o + 3] & 0xFF) << 24);
    return v;
  }
}
