package io.github.mediclip.formats.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DICOM transfer syntaxes this library knows by name (PS3.6 Annex A), and how each is encoded.
 */
public enum TransferSyntax {
  IMPLICIT_VR_LE(
      "1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, Codec.NATIVE),
  EXPLICIT_VR_LE(
      "1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, Codec.NATIVE),
  DEFLATED_EXPLICIT_VR_LE(
      "1.2.840.10008.1.2.1.99",
      "Deflated Explicit VR Little Endian",
      true,
      false,
      true,
      Codec.NATIVE),
  EXPLICIT_VR_BE("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, Codec.NATIVE),
  RLE("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, Codec.RLE),
  JPEG_BASELINE(
      "1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false, Codec.JPEG),
  JPEG_EXTENDED(
      "1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, false, false, Codec.JPEG),
  JPEG_LOSSLESS(
      "1.2.840.10008.1.2.4.57",
      "JPEG Lossless, Non-Hierarchical (Process 14)",
      true,
      false,
      false,
      Codec.JPEG),
  JPEG_LOSSLESS_SV1(
      "1.2.840.10008.1.2.4.70",
      "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
      true,
      false,
      false,
      Codec.JPEG),
  JPEG_LS_LOSSLESS(
      "1.2.840.10008.1.2.4.80",
      "JPEG-LS Lossless Image Compression",
      true,
      false,
      false,
      Codec.NONE),
  JPEG_LS_NEAR_LOSSLESS(
      "1.2.840.10008.1.2.4.81",
      "JPEG-LS Lossy (Near-Lossless) Image Compression",
      true,
      false,
      false,
      Codec.NONE),
  JPEG_2000_LOSSLESS(
      "1.2.840.10008.1.2.4.90",
      "JPEG 2000 Image Compression (Lossless Only)",
      true,
      false,
      false,
      Codec.JPEG2000),
  JPEG_2000(
      "1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, false, false, Codec.JPEG2000),
  HTJ2K_LOSSLESS(
      "1.2.840.10008.1.2.4.201",
      "High-Throughput JPEG 2000 (Lossless Only)",
      true,
      false,
      false,
      Codec.NONE),
  HTJ2K_LOSSLESS_RPCL(
      "1.2.840.10008.1.2.4.202",
      "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)",
      true,
      false,
      false,
      Codec.NONE),
  HTJ2K("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", true, false, false, Codec.NONE),
  MPEG2_MPML(
      "1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", true, false, false, Codec.NONE),
  MPEG4_AVC(
      "1.2.840.10008.1.2.4.102",
      "MPEG-4 AVC/H.264 High Profile / Level 4.1",
      true,
      false,
      false,
      Codec.NONE),
  HEVC(
      "1.2.840.10008.1.2.4.107",
      "HEVC/H.265 Main Profile / Level 5.1",
      true,
      false,
      false,
      Codec.NONE);

  /** How the pixel data is encoded. */
  public enum Codec {
    /** Native (uncompressed) pixel data. */
    NATIVE,
    /** RLE Lossless, decoded by this library. */
    RLE,
    /** JPEG (ImageIO: the JDK reader, and TwelveMonkeys for lossless). */
    JPEG,
    /** JPEG 2000 (jai-imageio-jpeg2000). */
    JPEG2000,
    /** No built-in decoder; a {@code DicomFrameDecoder} plug-in may provide one. */
    NONE
  }

  private static final Map<String, TransferSyntax> BY_UID = new LinkedHashMap<>();

  static {
    for (TransferSyntax t : values()) {
      BY_UID.put(t.uid, t);
    }
  }

  private final String uid;
  private final String displayName;
  private final boolean explicitVr;
  private final boolean bigEndian;
  private final boolean deflated;
  private final Codec codec;

  TransferSyntax(
      String uid,
      String displayName,
      boolean explicitVr,
      boolean bigEndian,
      boolean deflated,
      Codec codec) {
    this.uid = uid;
    this.displayName = displayName;
    this.explicitVr = explicitVr;
    this.bigEndian = bigEndian;
    this.deflated = deflated;
    this.codec = codec;
  }

  /** Returns the syntax of a UID, or null when unknown. */
  public static TransferSyntax of(String uid) {
    return BY_UID.get(uid);
  }

  public String uid() {
    return uid;
  }

  public String displayName() {
    return displayName;
  }

  public boolean explicitVr() {
    return explicitVr;
  }

  public boolean bigEndian() {
    return bigEndian;
  }

  public boolean deflated() {
    return deflated;
  }

  public Codec codec() {
    return codec;
  }

  /** Whether pixel data is encapsulated (fragments) rather than native. */
  public boolean encapsulated() {
    return codec != Codec.NATIVE;
  }
}
