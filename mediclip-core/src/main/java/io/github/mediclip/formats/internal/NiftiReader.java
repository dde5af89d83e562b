package io.github.mediclip.formats.internal;

import io.github.mediclip.formats.MedicalFormatException;
import io.github.mediclip.formats.ReadOptions;
import io.github.mediclip.formats.VolumeMetadata;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

// Why this class is long (~720 lines): NIfTI-1 and NIfTI-2, single files and .hdr/.img pairs,
// each plain or gzipped (streamed, trailer checked), with per-datatype voxel conversion; the
// nested Header alone is ~180 lines of field decoding and checks.
/**
 * Reads NIfTI-1 and NIfTI-2 files ({@code .nii}, {@code .nii.gz}, and {@code .hdr}/{@code .img}
 * pairs, each optionally gzipped), written from the NIfTI-1 header definition (nifti1.h) and the
 * NIfTI-2 one (nifti2.h).
 *
 * <p>Orientation: slice k is the third voxel axis; within a slice, row r is the second axis (j) and
 * column c the first (i): {@code image[r][c] = voxel(i = c, j = r, k)} (nibabel's {@code data[:, :,
 * k].T}). As the file stores i fastest, each slice's bytes are already in row-major image order.
 */
public final class NiftiReader {

  private static final int GZIP_MAGIC = 0x8B1F;

  private NiftiReader() {}

  /**
   * Whether a file is NIfTI-1/-2 (a header size of 348 or 540 in either byte order, after gunzip).
   */
  public static boolean canRead(Path source) throws IOException {
    if (!Files.isRegularFile(source) || Files.size(source) < 4) {
      return false;
    }
    try (InputStream in = open(source)) {
      byte[] h = in.readNBytes(4);
      if (h.length < 4) {
        return false;
      }
      int le = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).getInt();
      int be = ByteBuffer.wrap(h).order(ByteOrder.BIG_ENDIAN).getInt();
      return le == 348 || le == 540 || be == 348 || be == 540;
    } catch (IOException e) {
      return false; // e.g. a truncated gzip header: not ours
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    if (b0 >= 0 && b1 >= 0 && (b0 | (b1 << 8)) == GZIP_MAGIC) {
      return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    }
    return raw;
  }

  /**
   * Reads one 3D volume of a NIfTI file.
   *
   * @param source the .nii(.gz) or .hdr(.gz) file
   * @param options volume index and memory bound
   * @return slices (modality values after scl_slope/scl_inter) and metadata
   */
  public static Decoded read(Path source, ReadOptions options) throws IOException {
    Header h;
    try (InputStream in = open(source)) {
      byte[] first = readHeader(source, in);
      h = Header.parse(source, first);
      long[] geom = geometry(source, h, options);
      if (h.singleFile
          && isGzip(source)
          && geom[0] <= Math.min(Integer.MAX_VALUE - 8, options.maxDecodedBytes())) {
        // .nii.gz: one inflate of exactly the bytes needed, no stream layers (2 copies fewer)
        return readGzipped(source, first.length, h, options);
      }
      Path dataFile = source;
      InputStream data = in;
      long consumed = first.length;
      InputStream pair = null;
      try {
        if (!h.singleFile) {
          dataFile = imageFileOf(source);
          pair = open(dataFile);
          data = pair;
          consumed = 0;
        }
        return readVoxels(source, dataFile, data, consumed, first, h, options);
      } finally {
        if (pair != null) {
          pair.close();
        }
      }
    }
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      int b0 = in.read();
      int b1 = in.read();
      return b0 >= 0 && b1 >= 0 && (b0 | (b1 << 8)) == GZIP_MAGIC;
    }
  }

  /**
   * Inflates a gzipped single-file NIfTI into one buffer holding the header and the requested
   * volume (the rest of a 4D file is not inflated), then converts it as {@link #readVoxels} does.
   * The member's CRC-32 and size are checked when the whole member was inflated.
   */
  private static Decoded readGzipped(Path source, int headerSize, Header h, ReadOptions options)
      throws IOException {
    long[] geom = geometry(source, h, options);
    long need = geom[0];
    long compressed = Files.size(source);
    if (compressed > options.maxDecodedBytes() || compressed > Integer.MAX_VALUE - 8) {
      throw new MedicalFormatException(
          source,
          "the compressed file is "
              + compressed
              + " bytes, more than the limit of "
              + options.maxDecodedBytes()
              + " bytes");
    }
    byte[] gz = Files.readAllBytes(source);
    int pos = gzipHeaderEnd(source, gz);
    byte[] out = new byte[(int) need];
    java.util.zip.Inflater inf = new java.util.zip.Inflater(true);
    int n = 0;
    try {
      inf.setInput(gz, pos, gz.length - pos);
      while (n < out.length && !inf.finished()) {
        int got = inf.inflate(out, n, out.length - n);
        if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        n += got;
      }
      if (n == out.length && !inf.finished()) {
        // all needed bytes are there; check the trailer only when the member ends right here
        byte[] probe = new byte[1];
        if (inf.inflate(probe) == 0 && inf.finished()) {
          checkTrailer(source, gz, pos + (int) inf.getBytesRead(), out, n);
        }
      } else if (inf.finished()) {
        checkTrailer(source, gz, pos + (int) inf.getBytesRead(), out, n);
      }
    } catch (java.util.zip.DataFormatException e) {
      throw new MedicalFormatException(source, "corrupt gzip data: " + e.getMessage());
    } finally {
      inf.end();
    }
    if (n < out.length) {
      throw new MedicalFormatException(
          source,
          "truncated voxel data: the volume needs "
              + out.length
              + " bytes (uncompressed, header included) but the gzip stream ends after "
              + n);
    }
    return convertAll(source, out, h, geom, options.volumeIndex());
  }

  private static void checkTrailer(Path source, byte[] gz, int end, byte[] out, int n) {
    if (end + 8 > gz.length) {
      throw new MedicalFormatException(source, "truncated gzip trailer (CRC-32 and size missing)");
    }
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(out, 0, n);
    long want = ByteBuffer.wrap(gz, end, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    if (crc.getValue() != want) {
      throw new MedicalFormatException(source, "gzip CRC-32 mismatch: the file is corrupt");
    }
  }

  /** Returns the offset of the deflate data after a gzip member header (RFC 1952). */
  private static int gzipHeaderEnd(Path source, byte[] gz) {
    if (gz.length < 10 || gz[2] != 8) {
      throw new MedicalFormatException(source, "not a deflate gzip stream");
    }
    int flags = gz[3] & 0xFF;
    int pos = 10;
    try {
      if ((flags & 4) != 0) { // FEXTRA
        pos += 2 + ((gz[pos] & 0xFF) | ((gz[pos + 1] & 0xFF) << 8));
      }
      for (int bit : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
        if ((flags & bit) != 0) {
          while (gz[pos] != 0) {
            pos++;
          }
          pos++;
        }
      }
      if ((flags & 2) != 0) { // FHCRC
        pos += 2;
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new MedicalFormatException(source, "truncated gzip header");
    }
    if (pos > gz.length) {
      throw new MedicalFormatException(source, "truncated gzip header");
    }
    return pos;
  }

  /**
   * Checks the volume index and memory bound; returns {bytes needed from file start, nx, ny, nz,
   * start of the volume's voxels}.
   */
  private static long[] geometry(Path source, Header h, ReadOptions options) {
    long nx = h.dim[1];
    long ny = h.dim[2];
    long nz = h.ndim >= 3 ? h.dim[3] : 1;
    long volumes = 1;
    for (int d = 4; d <= h.ndim; d++) {
      volumes = Math.multiplyExact(volumes, h.dim[d]);
    }
    int v = options.volumeIndex();
    if (v >= volumes) {
      throw new MedicalFormatException(
          source,
          "volume index "
              + v
              + " does not exist: the file holds "
              + volumes
              + " volume(s) (dim[4..7] = "
              + java.util.Arrays.toString(java.util.Arrays.copyOfRange(h.dim, 4, 8))
              + "); choose 0.."
              + (volumes - 1));
    }
    long plane = nx * ny;
    long floatBytes = plane * nz * 4;
    if (plane > Integer.MAX_VALUE - 8 || floatBytes > options.maxDecodedBytes()) {
      throw new MedicalFormatException(
          source,
          "the header declares a volume of "
              + nx
              + "x"
              + ny
              + "x"
              + nz
              + " voxels, "
              + floatBytes
              + " bytes as float, more than the limit of "
              + options.maxDecodedBytes()
              + " bytes; raise ReadOptions.maxDecodedBytes if it is genuine");
    }
    long start = h.voxOffset + (long) v * plane * h.bytesPerVoxel * nz;
    long end = start + plane * h.bytesPerVoxel * nz;
    return new long[] {end, nx, ny, nz, start};
  }

  private static Decoded convertAll(Path source, byte[] all, Header h, long[] geom, int v) {
    int nx = (int) geom[1];
    int ny = (int) geom[2];
    int nz = (int) geom[3];
    int plane = nx * ny;
    int planeBytes = plane * h.bytesPerVoxel;
    boolean scale = h.sclSlope != 0 && Double.isFinite(h.sclSlope);
    double slope = scale ? h.sclSlope : 1;
    double inter = scale && Double.isFinite(h.sclInter) ? h.sclInter : 0;
    float[][] slices = new float[nz][];
    for (int k = 0; k < nz; k++) {
      ByteBuffer bb =
          ByteBuffer.wrap(all, (int) geom[4] + k * planeBytes, planeBytes).slice().order(h.order);
      float[] out = new float[plane];
      convert(bb, h.datatype, out, slope, inter);
      if (h.isFloat) {
        checkFinite(source, out, nx, k, v);
      }
      slices[k] = out;
    }
    return new Decoded(slices, metadata(source, h, nx, ny, nz));
  }

  private static void checkFinite(Path source, float[] out, long nx, int k, int v) {
    for (int i = 0; i < out.length; i++) {
      if (!Float.isFinite(out[i])) {
        throw new MedicalFormatException(
            source,
            "voxel (i="
                + (i % nx)
                + ", j="
                + (i / nx)
                + ", k="
                + k
                + ") of volume "
                + v
                + " is "
                + out[i]
                + "; NaN and infinite values"
                + " cannot be normalised: replace them (e.g. with 0) before reading");
      }
    }
  }

  /** Reads exactly sizeof_hdr bytes (348 or 540, in either byte order). */
  private static byte[] readHeader(Path source, InputStream in) throws IOException {
    byte[] four = in.readNBytes(4);
    if (four.length < 4) {
      throw new MedicalFormatException(source, "truncated NIfTI header: " + four.length + " bytes");
    }
    int le = ByteBuffer.wrap(four).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int be = ByteBuffer.wrap(four).order(ByteOrder.BIG_ENDIAN).getInt();
    int size = le == 348 || le == 540 ? le : be == 348 || be == 540 ? be : -1;
    if (size < 0) {
      throw new MedicalFormatException(
          source, "not a NIfTI file: sizeof_hdr is neither 348 nor 540");
    }
    byte[] rest = in.readNBytes(size - 4);
    byte[] all = new byte[4 + rest.length];
    System.arraycopy(four, 0, all, 0, 4);
    System.arraycopy(rest, 0, all, 4, rest.length);
    return all;
  }

  private static Path imageFileOf(Path hdr) {
    String name = hdr.getFileName().toString();
    String base =
        name.endsWith(".hdr.gz")
            ? name.substring(0, name.length() - 7)
            : name.endsWith(".hdr") ? name.substring(0, name.length() - 4) : name;
    for (String ext : new String[] {".img", ".img.gz"}) {
      Path p = hdr.resolveSibling(base + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new MedicalFormatException(
        hdr,
        "this NIfTI header (magic 'ni1'/'ni2') keeps its voxels in"
            + " a separate file, but neither "
            + base
            + ".img nor "
            + base
            + ".img.gz exists next to it");
  }

  private static Decoded readVoxels(
      Path source,
      Path dataFile,
      InputStream in,
      long consumed,
      byte[] first,
      Header h,
      ReadOptions options)
      throws IOException {
    long[] geom = geometry(source, h, options);
    long nx = geom[1];
    long nz = geom[3];
    int v = options.volumeIndex();
    long plane = nx * geom[2];
    long planeBytes = plane * h.bytesPerVoxel;
    long start = geom[4];
    long skip = start - consumed;
    if (skip < 0) {
      throw new MedicalFormatException(
          source,
          "vox_offset "
              + h.voxOffset
              + " lies inside the header"
              + " ("
              + h.headerSize
              + " bytes)");
    }
    long skipped = in.skip(skip);
    while (skipped < skip) {
      if (in.read() < 0) {
        break;
      }
      skipped++;
    }
    if (skipped < skip) {
      throw new MedicalFormatException(
          dataFile,
          "truncated: the voxel data should start at byte "
              + start
              + " but the file ends at byte "
              + (consumed + skipped));
    }
    boolean scale = h.sclSlope != 0 && Double.isFinite(h.sclSlope);
    double slope = scale ? h.sclSlope : 1;
    double inter = scale && Double.isFinite(h.sclInter) ? h.sclInter : 0;
    float[][] slices = new float[(int) nz][];
    byte[] buf = new byte[(int) planeBytes];
    ByteBuffer bb = ByteBuffer.wrap(buf).order(h.order);
    for (int k = 0; k < nz; k++) {
      int n = in.readNBytes(buf, 0, buf.length);
      if (n < buf.length) {
        throw new MedicalFormatException(
            dataFile,
            "truncated voxel data: slice "
                + k
                + " of volume "
                + v
                + " needs "
                + planeBytes
                + " bytes at byte "
                + (start + k * planeBytes)
                + " (uncompressed), but only "
                + n
                + " remain");
      }
      float[] out = new float[(int) plane];
      convert(bb, h.datatype, out, slope, inter);
      if (h.isFloat) {
        checkFinite(source, out, nx, k, v);
      }
      slices[k] = out;
    }
    return new Decoded(slices, metadata(source, h, (int) nx, (int) geom[2], (int) nz));
  }

  private static void convert(
      ByteBuffer bb, int datatype, float[] out, double slope, double inter) {
    byte[] b = bb.array();
    int base = bb.arrayOffset(); // the buffer may be a slice of a larger array
    boolean le = bb.order() == ByteOrder.LITTLE_ENDIAN;
    int n = out.length;
    switch (datatype) {
      case 2: // uint8
        for (int i = 0; i < n; i++) {
          out[i] = (float) ((b[base + i] & 0xFF) * slope + inter);
        }
        break;
      case 256: // int8
        for (int i = 0; i < n; i++) {
          out[i] = (float) (b[base + i] * slope + inter);
        }
        break;
      case 4: // int16
        if (le) {
          for (int i = 0, o = base; i < n; i++, o += 2) {
            out[i] = (float) ((short) ((b[o] & 0xFF) | (b[o + 1] << 8)) * slope + inter);
          }
        } else {
          for (int i = 0, o = base; i < n; i++, o += 2) {
            out[i] = (float) ((short) ((b[o + 1] & 0xFF) | (b[o] << 8)) * slope + inter);
          }
        }
        break;
      case 512: // uint16
        for (int i = 0; i < n; i++) {
          out[i] = (float) ((bb.getShort(2 * i) & 0xFFFF) * slope + inter);
        }
        break;
      case 8: // int32
        for (int i = 0; i < n; i++) {
          out[i] = (float) (bb.getInt(4 * i) * slope + inter);
        }
        break;
      case 768: // uint32
        for (int i = 0; i < n; i++) {
          out[i] = (float) ((bb.getInt(4 * i) & 0xFFFFFFFFL) * slope + inter);
        }
        break;
      case 1024: // int64
        for (int i = 0; i < n; i++) {
          out[i] = (float) (bb.getLong(8 * i) * slope + inter);
        }
        break;
      case 1280: // uint64
        for (int i = 0; i < n; i++) {
          long x = bb.getLong(8 * i);
          double u = x >= 0 ? x : (double) (x >>> 1) * 2 + (x & 1);
          out[i] = (float) (u * slope + inter);
        }
        break;
      case 16: // float32
        for (int i = 0; i < n; i++) {
          float x = bb.getFloat(4 * i);
          out[i] = slope == 1 && inter == 0 ? x : (float) (x * slope + inter);
        }
        break;
      case 64: // float64
        for (int i = 0; i < n; i++) {
          out[i] = (float) (bb.getDouble(8 * i) * slope + inter);
        }
        break;
      case 128: // RGB24 -> BT.601 luma
        for (int i = 0, o = base; i < n; i++, o += 3) {
          double y = 0.299 * (b[o] & 0xFF) + 0.587 * (b[o + 1] & 0xFF) + 0.114 * (b[o + 2] & 0xFF);
          out[i] = (float) (y * slope + inter);
        }
        break;
      default:
        throw new IllegalStateException("datatype " + datatype);
    }
  }

  private static VolumeMetadata metadata(Path source, Header h, int nx, int ny, int nz) {
    double[] a = h.affine();
    double[] lps = null;
    if (a != null) {
      lps = a.clone();
      for (int c = 0; c < 4; c++) {
        lps[c] = 0.0 - a[c]; // x: R -> L (0.0 - x: no negative zeros)
        lps[4 + c] = 0.0 - a[4 + c]; // y: A -> P
      }
    }
    int bits = h.bytesPerVoxel * 8;
    boolean signed =
        h.datatype == 256 || h.datatype == 4 || h.datatype == 8 || h.datatype == 1024 || h.isFloat;
    boolean scale = h.sclSlope != 0 && Double.isFinite(h.sclSlope);
    return new VolumeMetadata(
        h.version == 2 ? "NIfTI-2" : "NIfTI-1",
        source.toString(),
        null,
        null,
        null,
        ny,
        nx,
        nz,
        1,
        bits,
        bits,
        signed,
        "MONOCHROME2",
        scale ? h.sclSlope : 1,
        scale && Double.isFinite(h.sclInter) ? h.sclInter : 0,
        Double.NaN,
        Double.NaN,
        h.pixdim[2],
        h.pixdim[1],
        h.ndim >= 3 ? h.pixdim[3] : Double.NaN,
        null,
        lps);
  }

  /** The header fields this reader uses, from either version. */
  private static final class Header {
    int version;
    int headerSize;
    ByteOrder order;
    boolean singleFile;
    int ndim;
    long[] dim = new long[8];
    double[] pixdim = new double[8];
    int datatype;
    int bytesPerVoxel;
    boolean isFloat;
    long voxOffset;
    double sclSlope;
    double sclInter;
    int qformCode;
    int sformCode;
    double qb;
    double qc;
    double qd;
    double[] qoffset = new double[3];
    double[][] srow = new double[3][4];

    static Header parse(Path file, byte[] b) {
      if (b.length < 4) {
        throw new MedicalFormatException(file, "truncated NIfTI header: " + b.length + " bytes");
      }
      Header h = new Header();
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      int size = bb.getInt(0);
      if (size != 348 && size != 540) {
        bb.order(ByteOrder.BIG_ENDIAN);
        size = bb.getInt(0);
      }
      if (size != 348 && size != 540) {
        throw new MedicalFormatException(
            file, "not a NIfTI file: sizeof_hdr is neither 348 nor 540");
      }
      if (b.length < size) {
        throw new MedicalFormatException(
            file, "truncated NIfTI header: " + b.length + " bytes, sizeof_hdr says " + size);
      }
      h.headerSize = size;
      h.order = bb.order();
      if (size == 348) {
        h.version = 1;
        String magic = new String(b, 344, 3, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!magic.equals("n+1") && !magic.equals("ni1")) {
          throw new MedicalFormatException(
              file,
              "sizeof_hdr is 348 but the magic at byte 344 is '"
                  + magic
                  + "', not 'n+1' or 'ni1' (an ANALYZE 7.5 file is not supported)");
        }
        h.singleFile = magic.equals("n+1");
        for (int d = 0; d < 8; d++) {
          h.dim[d] = bb.getShort(40 + 2 * d);
          h.pixdim[d] = bb.getFloat(76 + 4 * d);
        }
        h.datatype = bb.getShort(70);
        h.voxOffset = (long) bb.getFloat(108);
        h.sclSlope = bb.getFloat(112);
        h.sclInter = bb.getFloat(116);
        h.qformCode = bb.getShort(252);
        h.sformCode = bb.getShort(254);
        h.qb = bb.getFloat(256);
        h.qc = bb.getFloat(260);
        h.qd = bb.getFloat(264);
        for (int i = 0; i < 3; i++) {
          h.qoffset[i] = bb.getFloat(268 + 4 * i);
          for (int c = 0; c < 4; c++) {
            h.srow[i][c] = bb.getFloat(280 + 16 * i + 4 * c);
          }
        }
      } else {
        h.version = 2;
        String magic = new String(b, 4, 3, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!magic.equals("n+2") && !magic.equals("ni2")) {
          throw new MedicalFormatException(
              file,
              "sizeof_hdr is 540 but the magic at byte 4 is '" + magic + "', not 'n+2' or 'ni2'");
        }
        h.singleFile = magic.equals("n+2");
        h.datatype = bb.getShort(12);
        for (int d = 0; d < 8; d++) {
          h.dim[d] = bb.getLong(16 + 8 * d);
          h.pixdim[d] = bb.getDouble(104 + 8 * d);
        }
        h.voxOffset = bb.getLong(168);
        h.sclSlope = bb.getDouble(176);
        h.sclInter = bb.getDouble(184);
        h.qformCode = bb.getInt(344);
        h.sformCode = bb.getInt(348);
        h.qb = bb.getDouble(352);
        h.qc = bb.getDouble(360);
        h.qd = bb.getDouble(368);
        for (int i = 0; i < 3; i++) {
          h.qoffset[i] = bb.getDouble(376 + 8 * i);
          for (int c = 0; c < 4; c++) {
            h.srow[i][c] = bb.getDouble(400 + 32 * i + 8 * c);
          }
        }
      }
      h.ndim = (int) h.dim[0];
      if (h.ndim < 2 || h.ndim > 7) {
        throw new MedicalFormatException(
            file, "dim[0] is " + h.dim[0] + "; a NIfTI image needs 2 to 7 dimensions");
      }
      for (int d = 1; d <= h.ndim; d++) {
        if (h.dim[d] < 1) {
          throw new MedicalFormatException(
              file, "dim[" + d + "] is " + h.dim[d] + "; sizes must be" + " at least 1");
        }
      }
      for (int d = h.ndim + 1; d < 8; d++) {
        h.dim[d] = 1;
      }
      switch (h.datatype) {
        case 2, 256 -> h.bytesPerVoxel = 1;
        case 4, 512 -> h.bytesPerVoxel = 2;
        case 8, 768 -> h.bytesPerVoxel = 4;
        case 16 -> {
          h.bytesPerVoxel = 4;
          h.isFloat = true;
        }
        case 64 -> {
          h.bytesPerVoxel = 8;
          h.isFloat = true;
        }
        case 1024, 1280 -> h.bytesPerVoxel = 8;
        case 128 -> h.bytesPerVoxel = 3;
        default ->
            throw new MedicalFormatException(
                file,
                "NIfTI datatype "
                    + h.datatype
                    + " is not supported (supported: int8, uint8, int16, uint16, int32, uint32, int64,"
                    + " uint64, float32, float64, RGB24)");
      }
      if (h.singleFile && h.voxOffset < size) {
        throw new MedicalFormatException(
            file, "vox_offset " + h.voxOffset + " lies inside the " + size + "-byte header");
      }
      return h;
    }

    /** The voxel-to-RAS affine (sform, else qform, else pixdim), row-major 4x4, or null. */
    double[] affine() {
      double[] a = new double[16];
      a[15] = 1;
      if (sformCode > 0) {
        for (int i = 0; i < 3; i++) {
          System.arraycopy(srow[i], 0, a, 4 * i, 4);
        }
        return a;
      }
      double dx = pixdim[1];
      double dy = pixdim[2];
      double dz = pixdim[3];
      if (qformCode > 0) {
        double qfac = pixdim[0] < 0 ? -1 : 1;
        double b2 = qb * qb;
        double c2 = qc * qc;
        double d2 = qd * qd;
        double aa = Math.sqrt(Math.max(0, 1 - b2 - c2 - d2));
        double[][] r = {
          {aa * aa + b2 - c2 - d2, 2 * (qb * qc - aa * qd), 2 * (qb * qd + aa * qc)},
          {2 * (qb * qc + aa * qd), aa * aa + c2 - b2 - d2, 2 * (qc * qd - aa * qb)},
          {2 * (qb * qd - aa * qc), 2 * (qc * qd + aa * qb), aa * aa + d2 - c2 - b2}
        };
        for (int i = 0; i < 3; i++) {
          a[4 * i] = r[i][0] * dx;
          a[4 * i + 1] = r[i][1] * dy;
          a[4 * i + 2] = r[i][2] * dz * qfac;
          a[4 * i + 3] = qoffset[i];
        }
        return a;
      }
      // method 1 (ANALYZE compatibility): scaling only
      a[0] = dx;
      a[5] = dy;
      a[10] = dz;
      return a;
    }
  }
}
