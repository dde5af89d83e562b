package io.github.mediclip.eval.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Streaming accumulator for exact pixel-level metrics over many anomaly maps: AUROC, average
 * precision, F1-max and AUPRO.
 *
 * <p>Each {@link #add} call appends one map and its ground-truth mask to primitive arrays: an int
 * key per normal pixel, and a long (key, region) per anomalous pixel; the maps themselves are not
 * kept. The metrics are computed exactly (no binning) with one radix sort of the keys,
 * single-threaded; 5 M pixels take well under a second. Results are cached until the next {@code
 * add}.
 *
 * <p>Semantics: pixel AUROC and AP are those of scikit-learn over all pixels of all maps flattened
 * together (as anomalib's pixel AUROC). AUPRO follows the MVTec AD evaluation script ({@code
 * compute_pro} + {@code trapezoid}): ground-truth regions are the connected components of each mask
 * (8-connectivity by default), the false positive rate is the fraction of all normal pixels above
 * the threshold, the PRO is the mean over all regions of all images of the fraction of the region
 * above the threshold, tied scores form one point, the curve starts at (0, 0), is integrated by the
 * trapezoidal rule up to {@code fprLimit} with linear interpolation at the limit, and divided by
 * {@code fprLimit}.
 *
 * <p>Mask convention: a mask byte of 0 is a normal pixel, any other value (1, or 255 stored as -1)
 * an anomalous one. Not thread-safe.
 */
public final class PixelMetrics {

  /** The integration limit used by MVTec AD and anomalib (0.3). */
  public static final double DEFAULT_FPR_LIMIT = 0.3;

  private final int connectivity;

  private int[] neg = new int[1024];
  private int negSize;
  private long[] pos = new long[1024];
  private int posSize;
  private int[] regionSizes = new int[64];
  private int regionCount;
  private int images;
  private int firstImageWithoutShape = -1;
  private boolean sorted = true;
  private BinaryMetrics cached;

  /** An empty accumulator with 8-connected ground-truth regions (MVTec AD semantics). */
  public PixelMetrics() {
    this(8);
  }

  /**
   * An empty accumulator.
   *
   * @param connectivity 8 (MVTec AD evaluation script, default) or 4 (scipy's default structuring
   *     element)
   */
  public PixelMetrics(int connectivity) {
    if (connectivity != 4 && connectivity != 8) {
      throw new IllegalArgumentException("connectivity is " + connectivity + "; it must be 4 or 8");
    }
    this.connectivity = connectivity;
  }

  /**
   * Adds one anomaly map without its shape; AUROC, AP and F1-max are available, AUPRO is not.
   *
   * @param map (H * W) finite scores, higher = more anomalous
   * @param mask (H * W) ground truth, 0 normal, non-zero anomalous
   */
  public void add(float[] map, byte[] mask) {
    check(map, mask);
    if (firstImageWithoutShape < 0) {
      firstImageWithoutShape = images;
    }
    append(map, mask, null);
  }

  /**
   * Adds one anomaly map with its shape, which AUPRO needs to find the ground-truth regions.
   *
   * @param map (H * W) row-major finite scores
   * @param mask (H * W) row-major ground truth, 0 normal, non-zero anomalous
   * @param width W
   * @param height H
   */
  public void add(float[] map, byte[] mask, int width, int height) {
    check(map, mask);
    if (width <= 0 || height <= 0 || (long) width * height != map.length) {
      throw new IllegalArgumentException(
          "map "
              + images
              + " has "
              + map.length
              + " pixels but width * height = "
              + width
              + " * "
              + height);
    }
    int[] labels = new int[map.length];
    int n = ConnectedComponents.label(mask, width, height, connectivity, labels);
    int base = regionCount;
    if (regionCount + n > regionSizes.length) {
      regionSizes = Arrays.copyOf(regionSizes, Math.max(regionSizes.length * 2, regionCount + n));
    }
    for (int l : labels) {
      if (l != 0) {
        regionSizes[base + l - 1]++;
      }
    }
    regionCount += n;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0) {
        labels[i] += base; // global region id + 1
      }
    }
    append(map, mask, labels);
  }

  private void check(float[] map, byte[] mask) {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(mask, "mask");
    if (map.length != mask.length) {
      throw new IllegalArgumentException(
          "map " + images + " has " + map.length + " pixels but its mask has " + mask.length);
    }
    for (int i = 0; i < map.length; i++) {
      float v = map[i];
      if (Float.isNaN(v) || Float.isInfinite(v)) {
        throw new IllegalArgumentException(
            "map " + images + " pixel " + i + " is " + v + "; anomaly maps must be finite");
      }
    }
  }

  private void append(float[] map, byte[] mask, int[] regionIds) {
    int p = 0;
    for (byte b : mask) {
      if (b != 0) {
        p++;
      }
    }
    int q = map.length - p;
    if ((long) negSize + q > Integer.MAX_VALUE - 16
        || (long) posSize + p > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException(
          "more than 2^31 pixels accumulated; evaluate at a smaller map size");
    }
    if (negSize + q > neg.length) {
      neg = Arrays.copyOf(neg, grow(neg.length, negSize + q));
    }
    if (posSize + p > pos.length) {
      pos = Arrays.copyOf(pos, grow(pos.length, posSize + p));
    }
    for (int i = 0; i < map.length; i++) {
      int key = FloatKeys.key(map[i]);
      if (mask[i] == 0) {
        neg[negSize++] = key;
      } else {
        long region = regionIds == null ? 0L : regionIds[i];
        pos[posSize++] = ((long) key << 32) | region;
      }
    }
    images++;
    sorted = false;
    cached = null;
  }

  private static int grow(int current, int needed) {
    long cap = Math.max((long) current + (current >> 1), needed);
    return (int) Math.min(cap, Integer.MAX_VALUE - 16);
  }

  /**
   * Number of maps added.
   *
   * @return the number of maps added
   */
  public int imageCount() {
    return images;
  }

  /**
   * Number of pixels added.
   *
   * @return the number of pixels added
   */
  public long pixelCount() {
    return (long) negSize + posSize;
  }

  /**
   * Number of anomalous pixels added.
   *
   * @return the number of anomalous pixels added
   */
  public long anomalousPixelCount() {
    return posSize;
  }

  /**
   * Number of ground-truth regions found so far (only maps added with their shape count).
   *
   * @return the number of ground-truth regions
   */
  public int regionCount() {
    return regionCount;
  }

  private void ensureSorted() {
    if (!sorted) {
      FloatKeys.sort(neg, negSize, new int[negSize]);
      FloatKeys.sortHigh(pos, posSize, new long[posSize]);
      sorted = true;
    }
  }

  private Sweep sweep(boolean record) {
    return sweep(record, 0);
  }

  private Sweep sweep(boolean record, long step) {
    if (images == 0) {
      throw new IllegalStateException("no anomaly maps were added");
    }
    Metrics.requireBothClasses(posSize, negSize, "the pixel masks");
    ensureSorted();
    int[] posKeys = new int[posSize];
    for (int i = 0; i < posSize; i++) {
      posKeys[i] = (int) (pos[i] >> 32);
    }
    Sweep sweep = new Sweep(posSize, negSize, record, step);
    Sweep.walk(posKeys, posSize, neg, negSize, sweep);
    return sweep;
  }

  /**
   * AUROC, AP and F1-max over all pixels added so far, from one sort (cached).
   *
   * @return the metrics and the pixel counts
   */
  public BinaryMetrics summary() {
    if (cached == null) {
      cached = sweep(false).summary();
    }
    return cached;
  }

  /**
   * Pixel AUROC, exactly {@code roc_auc_score(mask.ravel(), map.ravel())} over all maps.
   *
   * @return the pixel AUROC in [0, 1]
   */
  public double auroc() {
    return summary().auroc();
  }

  /**
   * Pixel average precision, exactly {@code average_precision_score} over all maps.
   *
   * @return the pixel average precision in [0, 1]
   */
  public double averagePrecision() {
    return summary().averagePrecision();
  }

  /**
   * The best pixel F1 over all distinct thresholds.
   *
   * @return the maximum pixel F1 in [0, 1]
   */
  public double f1Max() {
    return summary().f1Max();
  }

  /**
   * The pixel ROC curve (scikit-learn's {@code roc_curve} with {@code drop_intermediate=True}).
   *
   * @return the curve; it may have as many points as there are distinct scores
   */
  public RocCurve rocCurve() {
    return sweep(true).rocCurve(true);
  }

  /**
   * A subsample of the pixel ROC curve for plotting: a point is kept only after at least {@code
   * pixelCount() / maxPoints} pixels have passed the threshold since the previous one (the last
   * point is always kept). Every kept point lies exactly on the full curve.
   *
   * @param maxPoints about how many points to keep, at least 2
   * @return the curve (at most about {@code maxPoints + 2} points)
   */
  public RocCurve rocCurve(int maxPoints) {
    return sweep(true, step(maxPoints)).rocCurve(false);
  }

  /**
   * A subsample of the pixel precision-recall curve for plotting, chosen as in {@link
   * #rocCurve(int)}.
   *
   * @param maxPoints about how many points to keep, at least 2
   * @return the curve
   */
  public PrCurve prCurve(int maxPoints) {
    return sweep(true, step(maxPoints)).prCurve();
  }

  private long step(int maxPoints) {
    if (maxPoints < 2) {
      throw new IllegalArgumentException("maxPoints is " + maxPoints + "; it must be at least 2");
    }
    return Math.max(1, pixelCount() / maxPoints);
  }

  /**
   * The pixel precision-recall curve (scikit-learn's {@code precision_recall_curve}).
   *
   * @return the curve
   */
  public PrCurve prCurve() {
    return sweep(true).prCurve();
  }

  /**
   * AUPRO integrated up to FPR {@value #DEFAULT_FPR_LIMIT} and normalised, as MVTec AD and
   * anomalib.
   *
   * @return the normalised AUPRO in [0, 1]
   */
  public double aupro() {
    return aupro(DEFAULT_FPR_LIMIT);
  }

  /**
   * The normalised area under the per-region-overlap curve up to a false positive rate.
   *
   * @param fprLimit integration limit in (0, 1]
   * @return the area divided by {@code fprLimit}, in [0, 1]
   * @throws IllegalStateException if a map was added without its shape, or no mask has a region
   */
  public double aupro(double fprLimit) {
    if (!(fprLimit > 0 && fprLimit <= 1)) {
      throw new IllegalArgumentException("fprLimit is " + fprLimit + "; it must be in (0, 1]");
    }
    if (images == 0) {
      throw new IllegalStateException("no anomaly maps were added");
    }
    if (firstImageWithoutShape >= 0) {
      throw new IllegalStateException(
          "map "
              + firstImageWithoutShape
              + " was added without width and height;"
              + " AUPRO needs add(map, mask, width, height) for every map");
    }
    if (regionCount == 0) {
      throw new IllegalStateException(
          "no ground-truth region in any mask; AUPRO needs anomalous pixels");
    }
    if (negSize == 0) {
      throw new IllegalStateException("no normal pixel in any mask; AUPRO needs normal pixels");
    }
    ensureSorted();
    double[] inverseSize = new double[regionCount];
    for (int r = 0; r < regionCount; r++) {
      inverseSize[r] = 1.0 / regionSizes[r];
    }
    int i = posSize - 1;
    int j = negSize - 1;
    long fp = 0;
    double proSum = 0;
    double x0 = 0;
    double y0 = 0;
    double area = 0;
    while (i >= 0 || j >= 0) {
      int t;
      if (i < 0) {
        t = neg[j];
      } else if (j < 0) {
        t = (int) (pos[i] >> 32);
      } else {
        t = Math.max((int) (pos[i] >> 32), neg[j]);
      }
      while (i >= 0 && (int) (pos[i] >> 32) == t) {
        proSum += inverseSize[(int) pos[i] - 1];
        i--;
      }
      while (j >= 0 && neg[j] == t) {
        fp++;
        j--;
      }
      double x1 = (double) fp / negSize;
      double y1 = Math.min(1.0, proSum / regionCount);
      if (x1 > fprLimit) {
        double yLimit = y0 + (y1 - y0) * (fprLimit - x0) / (x1 - x0);
        area += 0.5 * (y0 + yLimit) * (fprLimit - x0);
        return area / fprLimit;
      }
      area += 0.5 * (y0 + y1) * (x1 - x0);
      x0 = x1;
      y0 = y1;
    }
    return area / fprLimit; // fprLimit == 1 and the curve ended exactly there
  }
}
