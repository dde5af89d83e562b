package io.github.mediclip.formats;

import io.github.mediclip.synth.GrayImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the modality values of a {@link MedicalVolume} (Hounsfield units, arbitrary MR units) become
 * the 0..255 gray images the model sees. One of:
 *
 * <ul>
 *   <li>{@link #fileWindow()}: the file's first Window Center/Width ({@code "file-window"});
 *   <li>{@link #window(double, double)}: a fixed window ({@code "window:40/80"}), or a named {@link
 *       #preset(String)} ({@code "preset:brain"}; see {@link #presetNames()});
 *   <li>{@link #percentile(double, double)}: the values between two percentiles of the whole volume
 *       map to 0..255 ({@code "percentile:0.5/99.5"}); percentiles interpolate linearly between
 *       order statistics (NumPy's default);
 *   <li>{@link #minMax()}: the volume's minimum and maximum map to 0 and 255 ({@code "minmax"}).
 * </ul>
 *
 * <p>A window (center C, width W) uses the DICOM linear VOI function (PS3.3 C.11.2.1.2.1): {@code y
 * = ((x − (C − 0.5)) / (W − 1) + 0.5) · 255}, clipped to [0, 255]. A range (lo, hi) uses {@code y =
 * (x − lo) / (hi − lo) · 255}, clipped (0 everywhere when hi = lo). For MONOCHROME1 files the
 * result is inverted ({@code 255 − y}) so that bright always means high signal on screen as it does
 * in the viewer.
 *
 * <p>The policy is a value: {@link #spec()} gives a string that {@link #parse(String)} reads back,
 * and a detector bundle records it so that training and inference use the same mapping. Defaults
 * per modality: {@link #forModality(String)}.
 */
public final class IntensityPolicy {

  /** The kind of mapping. */
  public enum Kind {
    /** The file's own window. */
    FILE_WINDOW,
    /** A fixed window (center, width). */
    WINDOW,
    /** Two percentiles of the volume. */
    PERCENTILE,
    /** The volume's minimum and maximum. */
    MIN_MAX
  }

  /** Named windows, center and width in Hounsfield units (see {@link #presetNames()}). */
  private static final Map<String, double[]> PRESETS;

  static {
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put("brain", new double[] {40, 80});
    m.put("subdural", new double[] {75, 215});
    m.put("stroke", new double[] {40, 40});
    m.put("lung", new double[] {-600, 1500});
    m.put("mediastinum", new double[] {50, 350});
    m.put("abdomen", new double[] {40, 400});
    m.put("liver", new double[] {60, 160});
    m.put("bone", new double[] {400, 1800});
    PRESETS = Collections.unmodifiableMap(m);
  }

  /**
   * Returns the names of the window presets: brain 40/80, subdural 75/215, stroke 40/40, lung
   * −600/1500, mediastinum 50/350, abdomen 40/400, liver 60/160, bone 400/1800 (center/width, HU).
   *
   * @return the names in that order
   */
  public static List<String> presetNames() {
    return List.copyOf(PRESETS.keySet());
  }

  private final Kind kind;
  private final String preset;
  private final double a;
  private final double b;

  private IntensityPolicy(Kind kind, String preset, double a, double b) {
    this.kind = kind;
    this.preset = preset;
    this.a = a;
    this.b = b;
  }

  /**
   * The file's own first Window Center/Width; reading a volume without one is an error.
   *
   * @return the policy {@code "file-window"}
   */
  public static IntensityPolicy fileWindow() {
    return new IntensityPolicy(Kind.FILE_WINDOW, null, Double.NaN, Double.NaN);
  }

  /**
   * A fixed window in modality units.
   *
   * @param center window center C
   * @param width window width W, at least 1
   * @return the policy {@code "window:C/W"}
   * @throws IllegalArgumentException if a value is not finite or W &lt; 1
   */
  public static IntensityPolicy window(double center, double width) {
    if (!Double.isFinite(center) || !Double.isFinite(width) || width < 1) {
      throw new IllegalArgumentException(
          "window center must be finite and width >= 1, but were " + center + "/" + width);
    }
    return new IntensityPolicy(Kind.WINDOW, null, center, width);
  }

  /**
   * A named window.
   *
   * @param name e.g. {@code "brain"} (40/80) or {@code "lung"} (−600/1500); see {@link
   *     #presetNames()}
   * @return the policy {@code "preset:NAME"}
   * @throws IllegalArgumentException if the name is unknown (the message lists the known ones)
   */
  public static IntensityPolicy preset(String name) {
    Objects.requireNonNull(name, "name");
    double[] cw = PRESETS.get(name.toLowerCase(Locale.ROOT));
    if (cw == null) {
      throw new IllegalArgumentException(
          "unknown window preset '" + name + "'; known presets: " + PRESETS.keySet());
    }
    return new IntensityPolicy(Kind.WINDOW, name.toLowerCase(Locale.ROOT), cw[0], cw[1]);
  }

  /**
   * Percentile normalisation over the whole volume.
   *
   * @param low lower percentile in [0, 100)
   * @param high upper percentile in (low, 100]
   * @return the policy {@code "percentile:LOW/HIGH"}
   * @throws IllegalArgumentException if the percentiles are out of range or not increasing
   */
  public static IntensityPolicy percentile(double low, double high) {
    if (!(low >= 0 && high <= 100 && low < high)) {
      throw new IllegalArgumentException(
          "percentiles must satisfy 0 <= low < high <= 100, but were " + low + "/" + high);
    }
    return new IntensityPolicy(Kind.PERCENTILE, null, low, high);
  }

  /**
   * The volume's minimum and maximum map to 0 and 255.
   *
   * @return the policy {@code "minmax"}
   */
  public static IntensityPolicy minMax() {
    return new IntensityPolicy(Kind.MIN_MAX, null, Double.NaN, Double.NaN);
  }

  /**
   * The default for a modality: CT uses the file's window (CT files carry one chosen for the
   * anatomy; pick a {@link #preset(String)} otherwise); every other modality, and NIfTI files whose
   * modality is unknown ({@code null}), use {@code percentile:0.5/99.5}.
   *
   * @param modality DICOM Modality such as {@code "CT"} or {@code "MR"}, or null
   * @return the default policy
   */
  public static IntensityPolicy forModality(String modality) {
    if (modality != null && modality.trim().equalsIgnoreCase("CT")) {
      return fileWindow();
    }
    return percentile(0.5, 99.5);
  }

  /**
   * Parses a {@link #spec()} string: {@code file-window}, {@code window:C/W}, {@code preset:NAME}
   * (or a bare preset name), {@code percentile:LOW/HIGH}, {@code minmax}.
   *
   * @param spec the string
   * @return the policy
   * @throws IllegalArgumentException if the string is not one of these forms (the message lists
   *     them)
   */
  public static IntensityPolicy parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String s = spec.trim();
    String lower = s.toLowerCase(Locale.ROOT);
    try {
      if (lower.equals("file-window")) {
        return fileWindow();
      }
      if (lower.equals("minmax")) {
        return minMax();
      }
      if (lower.startsWith("window:")) {
        double[] v = pair(s.substring(7));
        return window(v[0], v[1]);
      }
      if (lower.startsWith("percentile:")) {
        double[] v = pair(s.substring(11));
        return percentile(v[0], v[1]);
      }
      if (lower.startsWith("preset:")) {
        return preset(s.substring(7));
      }
      if (PRESETS.containsKey(lower)) {
        return preset(lower);
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "intensity policy '"
            + spec
            + "' not understood; use file-window, window:C/W, preset:NAME"
            + " ("
            + String.join(", ", PRESETS.keySet())
            + "), percentile:LOW/HIGH or minmax");
  }

  private static double[] pair(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new NumberFormatException(s);
    }
    return new double[] {
      Double.parseDouble(s.substring(0, slash).trim()),
      Double.parseDouble(s.substring(slash + 1).trim())
    };
  }

  /**
   * Returns the kind of mapping.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the canonical string form, which {@link #parse(String)} reads back to an equal policy.
   *
   * @return e.g. {@code "preset:brain"}, {@code "window:40/80"}, {@code "percentile:0.5/99.5"}
   */
  public String spec() {
    return switch (kind) {
      case FILE_WINDOW -> "file-window";
      case MIN_MAX -> "minmax";
      case WINDOW -> preset != null ? "preset:" + preset : "window:" + num(a) + "/" + num(b);
      case PERCENTILE -> "percentile:" + num(a) + "/" + num(b);
    };
  }

  private static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /**
   * Maps every slice of a volume to a 0..255 image.
   *
   * @param volume the volume
   * @return one (rows, columns) image per slice, values in [0, 255]
   * @throws MedicalFormatException for {@link #fileWindow()} when the file carries no window
   */
  public List<GrayImage> apply(MedicalVolume volume) {
    double[] lohi = resolve(volume);
    List<GrayImage> out = new ArrayList<>(volume.slices());
    for (int k = 0; k < volume.slices(); k++) {
      out.add(map(volume, k, lohi));
    }
    return out;
  }

  /**
   * Maps one slice of a volume to a 0..255 image. Percentile and min–max ranges are still taken
   * over the whole volume, so that slices of one volume stay comparable.
   *
   * @param volume the volume
   * @param slice slice index k
   * @return a (rows, columns) image, values in [0, 255]
   */
  public GrayImage apply(MedicalVolume volume, int slice) {
    Objects.checkIndex(slice, volume.slices());
    return map(volume, slice, resolve(volume));
  }

  /**
   * Returns the value range this policy maps to 0..255 for a volume.
   *
   * @param volume the volume
   * @return {lo, hi}: values at or below lo become 0, at or above hi become 255 (for a window:
   *     {@code C − 0.5 − (W − 1)/2} and {@code C − 0.5 + (W − 1)/2})
   */
  public double[] range(MedicalVolume volume) {
    return resolve(volume).clone();
  }

  private double[] resolve(MedicalVolume volume) {
    switch (kind) {
      case FILE_WINDOW:
        {
          VolumeMetadata md = volume.metadata();
          if (!md.hasWindow()) {
            throw new MedicalFormatException(
                Path.of(md.source()),
                "the intensity policy 'file-window' needs a Window Center/Width, but the file has"
                    + " none; choose a preset (e.g. preset:brain), window:C/W or percentile:0.5/99.5");
          }
          return windowRange(md.windowCenter(), Math.max(1, md.windowWidth()));
        }
      case WINDOW:
        return windowRange(a, b);
      case MIN_MAX:
        {
          double lo = Double.POSITIVE_INFINITY;
          double hi = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < volume.slices(); k++) {
            for (float v : volume.sliceView(k)) {
              lo = Math.min(lo, v);
              hi = Math.max(hi, v);
            }
          }
          return new double[] {lo, hi};
        }
      case PERCENTILE:
      default:
        return percentiles(volume, a, b);
    }
  }

  private static double[] windowRange(double c, double w) {
    return new double[] {c - 0.5 - (w - 1) / 2, c - 0.5 + (w - 1) / 2};
  }

  private static double[] percentiles(MedicalVolume volume, double pLow, double pHigh) {
    long n = (long) volume.slices() * volume.rows() * volume.columns();
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("volume too large for percentile normalisation: " + n);
    }
    float[] all = volume.toArray();
    Arrays.sort(all);
    return new double[] {quantile(all, pLow / 100), quantile(all, pHigh / 100)};
  }

  /** NumPy's default ("linear") quantile of sorted values. */
  private static double quantile(float[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int i = (int) Math.floor(pos);
    if (i >= sorted.length - 1) {
      return sorted[sorted.length - 1];
    }
    double f = pos - i;
    return sorted[i] + f * ((double) sorted[i + 1] - sorted[i]);
  }

  private GrayImage map(MedicalVolume volume, int k, double[] lohi) {
    float[] src = volume.sliceView(k);
    float[] dst = new float[src.length];
    boolean invert = "MONOCHROME1".equals(volume.metadata().photometricInterpretation());
    double lo = lohi[0];
    double hi = lohi[1];
    boolean isWindow = kind == Kind.WINDOW || kind == Kind.FILE_WINDOW;
    // For a window, y = ((x - (C - 0.5)) / (W - 1) + 0.5) * 255 = (x - lo) / (hi - lo) * 255 too.
    double span = hi - lo;
    for (int i = 0; i < src.length; i++) {
      double y;
      if (hi > lo) {
        y = (src[i] - lo) / span * 255;
        y = y < 0 ? 0 : (y > 255 ? 255 : y);
      } else {
        y = isWindow && src[i] > hi ? 255 : 0;
      }
      dst[i] = (float) (invert ? 255 - y : y);
    }
    return GrayImage.of(volume.columns(), volume.rows(), dst);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IntensityPolicy p && spec().equals(p.spec());
  }

  @Override
  public int hashCode() {
    return spec().hashCode();
  }

  @Override
  public String toString() {
    return spec();
  }
}
