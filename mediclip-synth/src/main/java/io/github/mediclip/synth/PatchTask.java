package io.github.mediclip.synth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The common loop of the reference tasks ({@code BaseTask.apply}): place one anomaly, then with
 * probability 0.5 a second one; each patch's side per axis lies between {@code rint(minProp · S)}
 * and {@code rint(maxProp · S)}; the corner is uniform so that the patch fits; the shape is a
 * Perlin blob unless the task overrides {@link #shape}, and the label is the union of the patch
 * shapes unless it overrides {@link #label}.
 */
abstract class PatchTask implements AnomalySynthesizer {

  /** Smallest patch side a task accepts (smaller images are rejected with a clear message). */
  static final int MIN_PATCH_SIDE = 4;

  private final String name;
  private final double minProp;
  private final double maxProp;

  PatchTask(String name, double minProp, double maxProp) {
    this.name = name;
    this.minProp = minProp;
    this.maxProp = maxProp;
  }

  /**
   * @return the registry name of this task
   */
  public final String name() {
    return name;
  }

  /** Per-call state shared by the hooks. */
  static final class Work {
    final int h;
    final int w;
    final float[] orig;
    final float[] img;
    final List<GrayImage> pool;
    final SplittableRandom random;

    Work(int h, int w, float[] orig, float[] img, List<GrayImage> pool, SplittableRandom random) {
      this.h = h;
      this.w = w;
      this.orig = orig;
      this.img = img;
      this.pool = pool;
      this.random = random;
    }
  }

  /** Smallest image side this task accepts. */
  final int minimumSide() {
    int s = 1;
    while (Math.rint(minProp * s) < MIN_PATCH_SIDE
        || Math.rint(maxProp * s) <= Math.rint(minProp * s)) {
      s++;
    }
    return s;
  }

  @Override
  public final SynthesizedSample synthesize(
      GrayImage normal, SplittableRandom random, List<GrayImage> support) {
    Checks.requireArguments(normal, random, support);
    int h = normal.height();
    int w = normal.width();
    int lbH = (int) Math.rint(minProp * h);
    int ubH = (int) Math.rint(maxProp * h);
    int lbW = (int) Math.rint(minProp * w);
    int ubW = (int) Math.rint(maxProp * w);
    if (lbH < MIN_PATCH_SIDE || lbW < MIN_PATCH_SIDE || ubH <= lbH || ubW <= lbW) {
      int min = minimumSide();
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "normal image of %dx%d is too small for %s: its anomalies span %.0f-%.0f %% of each side, "
                  + "which needs at least %dx%d pixels",
              w,
              h,
              name,
              minProp * 100,
              maxProp * 100,
              min,
              min));
    }
    Checks.requireFinite(normal, "normal");
    List<GrayImage> pool = pool(normal, support);
    float[] orig = normal.data();
    float[] img = normal.toArray();
    Work work = new Work(h, w, orig, img, pool, random);
    float[] union = new float[h * w];
    for (int i = 0; i < 2; i++) {
      Patch p = shape(random, lbH, ubH, lbW, ubW, h, w);
      if (p.h > h || p.w > w) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "%s made a patch of %dx%d for an image of %dx%d",
                name,
                p.w,
                p.h,
                w,
                h));
      }
      int r0 = Rng.randintInclusive(random, 0, h - p.h);
      int c0 = Rng.randintInclusive(random, 0, w - p.w);
      augment(work, p, r0, c0);
      boolean[] pm = p.mask;
      for (int y = 0; y < p.h; y++) {
        int src = y * p.w;
        int dst = (r0 + y) * w + c0;
        if (p.rowStart != null) {
          Arrays.fill(union, dst + p.rowStart[y], dst + p.rowEnd[y], 1f);
          continue;
        }
        for (int x = 0; x < p.w; x++) {
          // select rather than branch: no misprediction at every shape edge
          union[dst + x] = pm[src + x] ? 1f : union[dst + x];
        }
      }
      if (random.nextDouble() > 0.5) {
        break;
      }
    }
    float[] mask = label(work, union);
    return new SynthesizedSample(GrayImage.wrap(w, h, img), GrayImage.wrap(w, h, mask));
  }

  /** The images a task may draw from (CutPaste); others return an empty list. */
  List<GrayImage> pool(GrayImage normal, List<GrayImage> support) {
    return List.of();
  }

  /**
   * Makes one anomaly shape. Bounds: lb inclusive, ub exclusive (numpy randint semantics). Default:
   * a Perlin blob ({@link PerlinShape}, the reference's {@code PerlinPatchMaker}); the radial
   * deformation tasks override it with deformed hypershapes.
   */
  Patch shape(SplittableRandom r, int lbH, int ubH, int lbW, int ubW, int h, int w) {
    return PerlinShape.make(r, lbH, ubH, lbW, ubW, name);
  }

  /** Applies the anomaly in place to {@code work.img} at corner (r0, c0). */
  abstract void augment(Work work, Patch p, int r0, int c0);

  /**
   * The label mask from the union of the shapes (1 inside, 0 outside); default: the union itself.
   * May modify and return {@code union}.
   */
  float[] label(Work work, float[] union) {
    return union;
  }

  @Override
  public String toString() {
    return name;
  }
}
