package io.github.mediclip.formats.internal;

import io.github.mediclip.formats.DicomFrameDecoder;
import io.github.mediclip.formats.MedicalFormatException;
import io.github.mediclip.formats.ReadOptions;
import io.github.mediclip.formats.VolumeMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

// Why this class is long (~520 lines): series selection, slice ordering along the normal, frame
// decoding under a memory budget and the volume metadata are the steps of one read over the same
// per-file entries; parsing is in DicomParser and pixel decoding in PixelData.
/**
 * Reads a DICOM file (single- or multi-frame) or a folder holding one series. Frames are ordered
 * along the slice normal (ImageOrientationPatient row × column direction) by ImagePositionPatient;
 * when a frame lacks a position, by InstanceNumber (then frame number); file names are ignored.
 */
public final class DicomReader {

  static final int SOP_CLASS = 0x00080016;
  static final int MODALITY = 0x00080060;
  static final int SERIES_UID = 0x0020000E;
  static final int INSTANCE_NUMBER = 0x00200013;
  static final int IPP = 0x00200032;
  static final int IOP = 0x00200037;
  static final int PIXEL_SPACING = 0x00280030;
  static final int SLICE_THICKNESS = 0x00180050;
  static final int SPACING_BETWEEN = 0x00180088;
  static final int WINDOW_CENTER = 0x00281050;
  static final int WINDOW_WIDTH = 0x00281051;
  static final int RESCALE_INTERCEPT = 0x00281052;
  static final int RESCALE_SLOPE = 0x00281053;
  static final int MODALITY_LUT_SEQ = 0x00283000;
  static final int SHARED_FG = 0x52009229;
  static final int PER_FRAME_FG = 0x52009230;
  static final int PLANE_POSITION_SEQ = 0x00209113;
  static final int PLANE_ORIENTATION_SEQ = 0x00209116;
  static final int PIXEL_MEASURES_SEQ = 0x00289110;
  static final int PIXEL_VALUE_TRANSFORM_SEQ = 0x00289145;
  static final int FRAME_VOI_LUT_SEQ = 0x00289132;

  /** Two positions closer than this along the normal (mm) are duplicates. */
  private static final double SAME_POSITION_MM = 1e-3;

  private DicomReader() {}

  /** Whether a file is DICOM Part 10, or a folder holds at least one such file. */
  public static boolean canRead(Path source) throws IOException {
    if (Files.isDirectory(source)) {
      for (Path p : listFiles(source)) {
        if (DicomParser.isDicom(p)) {
          return true;
        }
      }
      return false;
    }
    return DicomParser.isDicom(source);
  }

  private static List<Path> listFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> !p.getFileName().toString().equalsIgnoreCase("DICOMDIR"))
          .sorted()
          .toList();
    }
  }

  /** One frame before ordering. */
  private record FrameRef(FileEntry file, int frame, double[] position, int instance) {}

  /** One parsed file of the series. */
  private static final class FileEntry {
    final Path path;
    DicomParser.Parsed parsed;
    final PixelData.Info info;
    final String seriesUid;
    final double[] iop;
    final TransferSyntax syntax;
    final String modality;
    final double[] window;
    final double[] rescale;
    final double[] pixelSpacing;
    final double spacingBetween;
    final double thickness;

    FileEntry(Path path, DicomParser.Parsed parsed) {
      this.path = path;
      this.parsed = parsed;
      DicomDataset ds = parsed.dataset();
      this.info = PixelData.info(ds);
      this.syntax = parsed.syntax();
      this.seriesUid = ds.string(SERIES_UID);
      this.modality = ds.string(MODALITY);
      double[] o = frameAttr(ds, 0, PLANE_ORIENTATION_SEQ, IOP);
      this.iop = o != null && o.length == 6 ? o : null;
      double[] wc = frameAttr(ds, 0, FRAME_VOI_LUT_SEQ, WINDOW_CENTER);
      double[] ww = frameAttr(ds, 0, FRAME_VOI_LUT_SEQ, WINDOW_WIDTH);
      this.window =
          new double[] {
            wc == null || wc.length == 0 ? Double.NaN : wc[0],
            ww == null || ww.length == 0 ? Double.NaN : ww[0]
          };
      double[] rs = frameAttr(ds, 0, PIXEL_VALUE_TRANSFORM_SEQ, RESCALE_SLOPE);
      double[] ri = frameAttr(ds, 0, PIXEL_VALUE_TRANSFORM_SEQ, RESCALE_INTERCEPT);
      this.rescale =
          new double[] {
            rs == null || rs.length == 0 ? 1 : rs[0], ri == null || ri.length == 0 ? 0 : ri[0]
          };
      double[] ps = frameAttr(ds, 0, PIXEL_MEASURES_SEQ, PIXEL_SPACING);
      this.pixelSpacing = ps != null && ps.length == 2 ? ps : null;
      double[] sb = frameAttr(ds, 0, PIXEL_MEASURES_SEQ, SPACING_BETWEEN);
      this.spacingBetween = sb == null || sb.length == 0 ? Double.NaN : sb[0];
      double[] st = frameAttr(ds, 0, PIXEL_MEASURES_SEQ, SLICE_THICKNESS);
      this.thickness = st == null || st.length == 0 ? Double.NaN : st[0];
    }
  }

  /**
   * Reads a file or series folder.
   *
   * @param source file or folder
   * @param options limits and choices
   * @param plugins frame decoder plug-ins
   * @return slices and metadata
   */
  public static Decoded read(Path source, ReadOptions options, List<DicomFrameDecoder> plugins)
      throws IOException {
    long budget = options.maxDecodedBytes();
    List<FileEntry> files = new ArrayList<>();
    boolean folder = Files.isDirectory(source);
    if (folder) {
      long fileBytes = 0;
      for (Path p : listFiles(source)) {
        if (!DicomParser.isDicom(p)) {
          throw new MedicalFormatException(
              p,
              "not a DICOM Part 10 file (no 'DICM' at byte 128), in"
                  + " the series folder "
                  + source
                  + "; move it out of the folder");
        }
        fileBytes += Files.size(p);
        if (fileBytes > budget) {
          throw new MedicalFormatException(
              source,
              "the series files hold more than the limit of "
                  + budget
                  + " bytes; raise ReadOptions.maxDecodedBytes if the series is genuine");
        }
        files.add(new FileEntry(p, DicomParser.parse(p, budget)));
      }
      if (files.isEmpty()) {
        throw new MedicalFormatException(source, "the folder holds no DICOM file");
      }
    } else {
      files.add(new FileEntry(source, DicomParser.parse(source, budget)));
    }
    files = selectSeries(source, files, options.seriesInstanceUid());

    // consistency of the image size across files
    FileEntry first = files.get(0);
    long slices = 0;
    for (FileEntry e : files) {
      if (e.info.rows() != first.info.rows()
          || e.info.columns() != first.info.columns()
          || e.info.spp() != first.info.spp()) {
        throw new MedicalFormatException(
            e.path,
            "inconsistent series: this file is "
                + e.info.columns()
                + "x"
                + e.info.rows()
                + "x"
                + e.info.spp()
                + " (columns x rows x"
                + " samples) but "
                + first.path.getFileName()
                + " is "
                + first.info.columns()
                + "x"
                + first.info.rows()
                + "x"
                + first.info.spp()
                + "; a series folder must hold one series"
                + " of equal-size images");
      }
      slices += e.info.frames();
    }
    long decodedBytes = slices * first.info.pixels() * 4;
    if (decodedBytes > budget) {
      throw new MedicalFormatException(
          source,
          "the image declares "
              + slices
              + " frame(s) of "
              + first.info.columns()
              + "x"
              + first.info.rows()
              + " pixels, "
              + decodedBytes
              + " bytes as float, more than the limit of "
              + budget
              + " bytes; raise"
              + " ReadOptions.maxDecodedBytes if it is genuine");
    }

    List<FrameRef> frames = new ArrayList<>();
    for (FileEntry e : files) {
      DicomDataset ds = e.parsed.dataset();
      for (int k = 0; k < e.info.frames(); k++) {
        double[] pos = frameAttr(ds, k, PLANE_POSITION_SEQ, IPP);
        frames.add(
            new FrameRef(
                e,
                k,
                pos != null && pos.length == 3 ? pos : null,
                ds.integer(INSTANCE_NUMBER, Integer.MIN_VALUE)));
      }
    }
    double[] normal = order(source, files, frames, folder);

    // decode file by file in the order of their first frame, releasing each file's bytes after
    Map<FileEntry, float[][]> decoded = new LinkedHashMap<>();
    float[][] out = new float[frames.size()][];
    for (int i = 0; i < frames.size(); i++) {
      FrameRef r = frames.get(i);
      float[][] all = decoded.get(r.file());
      if (all == null) {
        all = decodeFile(r.file(), plugins, budget);
        decoded.put(r.file(), all);
        r.file().parsed = null;
      }
      out[i] = all[r.frame()];
    }
    return new Decoded(out, metadata(source, files, frames, normal, folder));
  }

  private static List<FileEntry> selectSeries(Path source, List<FileEntry> files, String wanted) {
    Map<String, List<FileEntry>> bySeries = new LinkedHashMap<>();
    for (FileEntry e : files) {
      bySeries.computeIfAbsent(String.valueOf(e.seriesUid), k -> new ArrayList<>()).add(e);
    }
    if (wanted != null) {
      List<FileEntry> l = bySeries.get(wanted);
      if (l == null) {
        throw new MedicalFormatException(
            source,
            "no file of series " + wanted + "; the source holds" + " series " + bySeries.keySet());
      }
      return l;
    }
    if (bySeries.size() > 1) {
      StringBuilder sb = new StringBuilder();
      bySeries.forEach(
          (k, v) ->
              sb.append(sb.length() == 0 ? "" : ", ")
                  .append(k)
                  .append(" (")
                  .append(v.size())
                  .append(" files)"));
      throw new MedicalFormatException(
          source,
          "the folder holds "
              + bySeries.size()
              + " series (SeriesInstanceUID "
              + sb
              + "); put each series in its own folder or choose"
              + " one with ReadOptions.withSeriesInstanceUid");
    }
    return files;
  }

  /**
   * Sorts the frames in place along the slice normal, or by InstanceNumber; returns the unit normal
   * used, or null when InstanceNumber decided.
   */
  private static double[] order(
      Path source, List<FileEntry> files, List<FrameRef> frames, boolean folder) {
    double[] iop = files.get(0).iop;
    boolean positions = iop != null;
    for (FrameRef r : frames) {
      positions &= r.position() != null;
    }
    for (FileEntry e : files) {
      if (positions && (e.iop == null || !near(e.iop, iop, 1e-4))) {
        throw new MedicalFormatException(
            e.path,
            "inconsistent series: ImageOrientationPatient "
                + java.util.Arrays.toString(e.iop)
                + " differs from "
                + java.util.Arrays.toString(iop)
                + " of "
                + files.get(0).path.getFileName());
      }
    }
    if (positions) {
      double[] n = cross(iop);
      double norm = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
      if (norm < 1e-6) {
        throw new MedicalFormatException(
            files.get(0).path,
            "ImageOrientationPatient "
                + java.util.Arrays.toString(iop)
                + " has parallel row and column directions");
      }
      for (int i = 0; i < 3; i++) {
        n[i] /= norm;
      }
      List<FrameRef> sorted = new ArrayList<>(frames);
      sorted.sort(Comparator.comparingDouble(r -> dot(r.position(), n)));
      boolean duplicate = false;
      for (int i = 1; i < sorted.size(); i++) {
        FrameRef a = sorted.get(i - 1);
        FrameRef b = sorted.get(i);
        if (Math.abs(dot(a.position(), n) - dot(b.position(), n)) < SAME_POSITION_MM) {
          if (files.size() > 1) {
            throw new MedicalFormatException(
                b.file().path,
                "duplicate slice position: frame "
                    + (b.frame() + 1)
                    + " has the same ImagePositionPatient "
                    + java.util.Arrays.toString(b.position())
                    + " along the slice normal as frame "
                    + (a.frame() + 1)
                    + " of "
                    + a.file().path
                    + "; remove the duplicate file or"
                    + " split the series");
          }
          duplicate = true;
        }
      }
      if (!duplicate) {
        frames.clear();
        frames.addAll(sorted);
        return n;
      }
      // one multi-frame file with repeated positions (e.g. cine): keep the file's frame order
      return null;
    }
    if (files.size() == 1) {
      return null; // a single file: frame order of the file
    }
    for (FrameRef r : frames) {
      if (r.instance() == Integer.MIN_VALUE) {
        throw new MedicalFormatException(
            r.file().path,
            "cannot order the series: this file has"
                + " neither ImagePositionPatient/ImageOrientationPatient nor InstanceNumber (0020,0013)");
      }
    }
    List<FrameRef> sorted = new ArrayList<>(frames);
    sorted.sort(Comparator.comparingInt(FrameRef::instance).thenComparingInt(FrameRef::frame));
    for (int i = 1; i < sorted.size(); i++) {
      FrameRef a = sorted.get(i - 1);
      FrameRef b = sorted.get(i);
      if (a.instance() == b.instance() && a.file() != b.file()) {
        throw new MedicalFormatException(
            b.file().path,
            "duplicate InstanceNumber "
                + b.instance()
                + " (also in "
                + a.file().path
                + ") and no ImagePositionPatient to order by");
      }
    }
    frames.clear();
    frames.addAll(sorted);
    return null;
  }

  private static float[][] decodeFile(FileEntry e, List<DicomFrameDecoder> plugins, long budget) {
    DicomDataset ds = e.parsed.dataset();
    if (ds.has(MODALITY_LUT_SEQ)) {
      throw new MedicalFormatException(
          e.path,
          "a Modality LUT Sequence (0028,3000) is not supported"
              + " (only Rescale Slope/Intercept); convert the file to rescaled values");
    }
    int n = e.info.frames();
    double[] slope = new double[n];
    double[] intercept = new double[n];
    for (int k = 0; k < n; k++) {
      double[] s = frameAttr(ds, k, PIXEL_VALUE_TRANSFORM_SEQ, RESCALE_SLOPE);
      double[] c = frameAttr(ds, k, PIXEL_VALUE_TRANSFORM_SEQ, RESCALE_INTERCEPT);
      slope[k] = s == null || s.length == 0 ? 1 : s[0];
      intercept[k] = c == null || c.length == 0 ? 0 : c[0];
      if (!Double.isFinite(slope[k]) || !Double.isFinite(intercept[k])) {
        throw new MedicalFormatException(
            e.path,
            "Rescale Slope/Intercept of frame "
                + (k + 1)
                + " is not finite ("
                + slope[k]
                + "/"
                + intercept[k]
                + ")");
      }
    }
    return PixelData.decode(e.parsed, e.info, slope, intercept, plugins, budget);
  }

  /**
   * A decimal attribute of a frame: per-frame functional group, shared functional group, then the
   * top-level data set (where simple writers duplicate it).
   */
  static double[] frameAttr(DicomDataset ds, int frame, int macroSeq, int attr) {
    List<DicomDataset> perFrame = ds.items(PER_FRAME_FG);
    if (frame < perFrame.size()) {
      DicomDataset m = perFrame.get(frame).item(macroSeq);
      if (m != null && m.has(attr)) {
        return m.decimals(attr);
      }
    }
    DicomDataset shared = ds.item(SHARED_FG);
    if (shared != null) {
      DicomDataset m = shared.item(macroSeq);
      if (m != null && m.has(attr)) {
        return m.decimals(attr);
      }
    }
    // ImagePositionPatient at top level of a multi-frame file is frame 1's only
    if (attr == IPP && ds.integer(0x00280008, 1) > 1 && frame > 0) {
      return null;
    }
    return ds.has(attr) ? ds.decimals(attr) : null;
  }

  private static VolumeMetadata metadata(
      Path source, List<FileEntry> files, List<FrameRef> frames, double[] normal, boolean folder) {
    FileEntry f = frames.get(0).file();
    PixelData.Info info = f.info;
    int n = frames.size();
    double rowSpacing = f.pixelSpacing == null ? Double.NaN : f.pixelSpacing[0];
    double colSpacing = f.pixelSpacing == null ? Double.NaN : f.pixelSpacing[1];
    double sliceSpacing = Double.NaN;
    double[] affine = null;
    if (normal != null) {
      double[] p0 = frames.get(0).position();
      double[] pn = frames.get(n - 1).position();
      double[] step = new double[3];
      if (n > 1) {
        for (int i = 0; i < 3; i++) {
          step[i] = (pn[i] - p0[i]) / (n - 1);
        }
        sliceSpacing = (dot(pn, normal) - dot(p0, normal)) / (n - 1);
      } else {
        sliceSpacing = !Double.isNaN(f.spacingBetween) ? f.spacingBetween : f.thickness;
        for (int i = 0; i < 3; i++) {
          step[i] = normal[i] * (Double.isNaN(sliceSpacing) ? 1 : sliceSpacing);
        }
      }
      if (f.pixelSpacing != null) {
        double[] iop = f.iop;
        affine = new double[16];
        for (int i = 0; i < 3; i++) {
          affine[4 * i] = iop[i] * colSpacing;
          affine[4 * i + 1] = iop[3 + i] * rowSpacing;
          affine[4 * i + 2] = step[i];
          affine[4 * i + 3] = p0[i];
        }
        affine[15] = 1;
      }
    } else {
      sliceSpacing = !Double.isNaN(f.spacingBetween) ? f.spacingBetween : f.thickness;
    }
    return new VolumeMetadata(
        "DICOM",
        source.toString(),
        f.syntax.uid(),
        f.syntax.displayName(),
        f.modality,
        info.rows(),
        info.columns(),
        n,
        files.size(),
        info.bitsAllocated(),
        info.bitsStored(),
        info.signed(),
        info.photometric(),
        f.rescale[0],
        f.rescale[1],
        f.window[0],
        f.window[1],
        rowSpacing,
        colSpacing,
        sliceSpacing,
        f.seriesUid,
        affine);
  }

  private static boolean near(double[] a, double[] b, double tol) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > tol) {
        return false;
      }
    }
    return true;
  }

  private static double[] cross(double[] iop) {
    return new double[] {
      iop[1] * iop[5] - iop[2] * iop[4],
      iop[2] * iop[3] - iop[0] * iop[5],
      iop[0] * iop[4] - iop[1] * iop[3]
    };
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
