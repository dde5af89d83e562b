package io.github.mediclip.formats.internal;

import io.github.mediclip.formats.MedicalFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed DICOM data set: elements by tag, values kept as slices of the file's bytes. Only what
 * the pixel reader needs is interpreted (strings, integers, decimal strings, sequences).
 */
public final class DicomDataset {

  /**
   * One element.
   *
   * @param tag (group &lt;&lt; 16) | element
   * @param vr two-letter VR ("??" when implicit and not in the small dictionary)
   * @param buf the bytes holding the value
   * @param offset value offset in {@code buf} (also the offset reported in errors)
   * @param length value length (-1 for an undefined length)
   * @param bigEndian byte order of binary values
   * @param items items of a sequence, or null
   * @param fragments encapsulated pixel data fragments as {offset, length} pairs, or null
   */
  public record Element(
      int tag,
      String vr,
      byte[] buf,
      int offset,
      int length,
      boolean bigEndian,
      List<DicomDataset> items,
      List<int[]> fragments) {}

  private final Path file;
  private final Map<Integer, Element> elements = new HashMap<>();

  DicomDataset(Path file) {
    this.file = file;
  }

  void put(Element e) {
    elements.put(e.tag(), e);
  }

  /** Returns the file this data set came from. */
  public Path file() {
    return file;
  }

  /** Returns an element or null. */
  public Element get(int tag) {
    return elements.get(tag);
  }

  /** Returns whether the element is present with a non-empty value. */
  public boolean has(int tag) {
    Element e = elements.get(tag);
    return e != null && (e.length() != 0 || e.items() != null || e.fragments() != null);
  }

  /** Formats a tag as (gggg,eeee). */
  public static String tag(int tag) {
    return String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
  }

  /**
   * Returns the value as a trimmed string (first value of a multi-valued string kept whole), or
   * null.
   */
  public String string(int tag) {
    Element e = elements.get(tag);
    if (e == null || e.length() <= 0 || e.buf() == null) {
      return null;
    }
    String s = new String(e.buf(), e.offset(), e.length(), StandardCharsets.ISO_8859_1);
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
      end--;
    }
    int start = 0;
    while (start < end && s.charAt(start) == ' ') {
      start++;
    }
    return s.substring(start, end);
  }

  /** Returns the value split at backslashes (strings) or null. */
  public String[] strings(int tag) {
    String s = string(tag);
    if (s == null || s.isEmpty()) {
      return null;
    }
    String[] parts = s.split("\\\\", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].trim();
    }
    return parts;
  }

  /**
   * Returns an integer value (US, SS, UL, SL binary, or an IS string), or {@code dflt} when absent.
   */
  public int integer(int tag, int dflt) {
    Element e = elements.get(tag);
    if (e == null || e.length() <= 0) {
      return dflt;
    }
    String vr = e.vr();
    switch (vr) {
      case "US":
        return requireLength(e, 2) ? u16(e, 0) : dflt;
      case "SS":
        return requireLength(e, 2) ? (short) u16(e, 0) : dflt;
      case "UL":
      case "SL":
        return requireLength(e, 4) ? s32(e, 0) : dflt;
      case "IS":
        return (int) parseDecimal(e, string(tag).split("\\\\")[0]);
      default:
        // implicit VR element not in the dictionary: decide by length as the toolkits do
        if (e.length() == 2) {
          return u16(e, 0);
        }
        if (e.length() == 4) {
          return s32(e, 0);
        }
        return (int) parseDecimal(e, string(tag).split("\\\\")[0]);
    }
  }

  /** Returns the decimal values (DS/IS strings, FD/FL binary) or null when absent. */
  public double[] decimals(int tag) {
    Element e = elements.get(tag);
    if (e == null || e.length() <= 0) {
      return null;
    }
    if ("FD".equals(e.vr()) || "FL".equals(e.vr())) {
      int size = "FD".equals(e.vr()) ? 8 : 4;
      double[] out = new double[e.length() / size];
      for (int i = 0; i < out.length; i++) {
        long bits = 0;
        for (int b = 0; b < size; b++) {
          int v = e.buf()[e.offset() + i * size + (e.bigEndian() ? b : size - 1 - b)] & 0xFF;
          bits = (bits << 8) | v;
        }
        out[i] = size == 8 ? Double.longBitsToDouble(bits) : Float.intBitsToFloat((int) bits);
      }
      return out;
    }
    String[] parts = strings(tag);
    if (parts == null) {
      return null;
    }
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = parseDecimal(e, parts[i]);
    }
    return out;
  }

  /** Returns the first decimal value or {@code dflt}. */
  public double decimal(int tag, double dflt) {
    double[] v = decimals(tag);
    return v == null || v.length == 0 ? dflt : v[0];
  }

  /** Returns the first item of a sequence, or null. */
  public DicomDataset item(int tag) {
    Element e = elements.get(tag);
    return e == null || e.items() == null || e.items().isEmpty() ? null : e.items().get(0);
  }

  /** Returns the items of a sequence, or an empty list. */
  public List<DicomDataset> items(int tag) {
    Element e = elements.get(tag);
    return e == null || e.items() == null ? List.of() : e.items();
  }

  private double parseDecimal(Element e, String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException ex) {
      throw new MedicalFormatException(
          file,
          "element "
              + tag(e.tag())
              + " at byte offset "
              + e.offset()
              + " holds '"
              + s
              + "', which is not a number");
    }
  }

  private boolean requireLength(Element e, int n) {
    if (e.length() < n) {
      throw new MedicalFormatException(
          file,
          "element "
              + tag(e.tag())
              + " ("
              + e.vr()
              + ") at byte offset "
              + e.offset()
              + " is "
              + e.length()
              + " bytes long, expected "
              + n);
    }
    return true;
  }

  private static int u16(Element e, int at) {
    return DicomParser.u16(e.buf(), e.offset() + at, e.bigEndian());
  }

  private static int s32(Element e, int at) {
    return (int) DicomParser.u32(e.buf(), e.offset() + at, e.bigEndian());
  }
}
