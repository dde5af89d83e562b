package io.github.mediclip.synth;

import java.util.SplittableRandom;

/**
 * Radial remap inside a deformed hypershape (patch sides 20–60 % of the image), the common part of
 * {@link SourceDeformationTask} and {@link SinkDeformationTask} (reference
 * {@code RadialDeformationTask}): a centre c is drawn uniformly among the shape's pixels, a factor
 * f = 2^U(0.5, 2) per anomaly; each shape pixel p (not on the patch border) at distance r from c is
 * resampled from the point at distance r' along the same ray, where R is the distance from c to the
 * shape edge along the ray. Sampling is bilinear with coordinates clamped to the patch (mode
 * 'nearest'); the reference uses scipy's cubic spline, which can overshoot the image range. The label
 * is the binary union of the shapes.
 */
abstract class RadialDeformationTask extends PatchTask {

  /** true: sink (pull in), false: source (push out). A field rather than an overridden method keeps
   * the per-pixel code monomorphic when both tasks run in one JVM (a mixture). */
  private final boolean sink;

  RadialDeformationTask(String name, boolean sink) {
    super(name, 0.2, 0.6);
    this.sink = sink;
  }

  /**
   * r'/r as a function of s = R / r (s &gt;= 1) and the factor f. Source: r' = r^f / R^(f−1), so
   * r'/r = s^(1−f). Sink: r' = R − (R − r)^f / R^(f−1), so with R = s·r, r'/r = s·(1 − (1 − 1/s)^f).
   */
  final double ratio(double s, double f) {
    return sink ? s * (1 - Math.pow(1 - 1 / s, f)) : Math.pow(s, 1 - f);
  }

  @Override
  final Patch shape(SplittableRandom r, int lbH, int ubH, int lbW, int ubW, int h, int w) {
    return Hypershape.make(r, lbH, ubH, lbW, ubW, h, w);
  }

  @Override
  final void augment(Work work, Patch p, int r0, int c0) {
    SplittableRandom r = work.random;
    int count = p.count();
    int pick = r.nextInt(count);
    int ci = -1;
    int cj = -1;
    for (int i = 0, seen = 0; i < p.mask.length; i++) {
      if (p.mask[i]) {
        if (seen == pick) {
          ci = i / p.w;
          cj = i % p.w;
          break;
        }
        seen++;
      }
    }
    double f = StrictMath.pow(2, Rng.uniform(r, 0.5, 2));
    Hypershape.Geometry g = p.geometry;
    double mc0 = (p.h - 1) / 2.0;
    double mc1 = (p.w - 1) / 2.0;
    double oy = ci - mc0;
    double ox = cj - mc1;
    double o0 = g.i00 * oy + g.i01 * ox;
    double o1 = g.i10 * oy + g.i11 * ox;
    // copy of the patch: all samples read the undeformed values
    float[] img = work.img;
    int w = work.w;
    float[] src = new float[p.h * p.w];
    for (int y = 0; y < p.h; y++) {
      System.arraycopy(img, (r0 + y) * w + c0, src, y * p.w, p.w);
    }
    for (int i = 1; i < p.h - 1; i++) {
      for (int j = 1; j < p.w - 1; j++) {
        if (!p.mask[i * p.w + j] || (i == ci && j == cj)) {
          continue;
        }
        double vy = i - ci;
        double vx = j - cj;
        double w0 = g.i00 * vy + g.i01 * vx;
        double w1 = g.i10 * vy + g.i11 * vx;
        double s = g.hit(o0, o1, w0, w1);
        if (!(s < Double.POSITIVE_INFINITY)) {
          continue;
        }
        double k = ratio(Math.max(s, 1.0), f);
        img[(r0 + i) * w + c0 + j] = ImageOps.sampleNearest(src, p.h, p.w, ci + k * vy, cj + k * vx);
      }
    }
  }
}
