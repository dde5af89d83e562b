package io.github.mediclip.synth;

import java.util.SplittableRandom;

/**
 * Radial remap inside a deformed hypershape (patch sides 20–60 % of the image), the common part of
 * {@link SourceDeformationTask} and {@link SinkDeformationTask} (reference {@code
 * RadialDeformationTask}): a centre c is drawn uniformly among the shape's pixels, a factor f =
 * 2^U(0.5, 2) per anomaly; each shape pixel p (not on the patch border) at distance r from c is
 * resampled from the point at distance r' along the same ray, where R is the distance from c to the
 * shape edge along the ray. Sampling is bilinear with coordinates clamped to the patch (mode
 * 'nearest'); the reference uses scipy's cubic spline, which can overshoot the image range. The
 * label is the binary union of the shapes.
 */
abstract class RadialDeformationTask extends PatchTask {

  /**
   * true: sink (pull in), false: source (push out). A field rather than an overridden method keeps
   * the per-pixel code monomorphic when both tasks run in one JVM (a mixture).
   */
  private final boolean sink;

  RadialDeformationTask(String name, boolean sink) {
    super(name, 0.2, 0.6);
    this.sink = sink;
  }

  /**
   * r'/r as a function of s = R / r (s &gt;= 1) and the factor f. Source: r' = r^f / R^(f−1), so
   * r'/r = s^(1−f). Sink: r' = R − (R − r)^f / R^(f−1), so with R = s·r, r'/r = s·(1 − (1 −
   * 1/s)^f).
   */
  static double ratio(boolean sink, double s, double f) {
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
    // the pick-th true cell (0-based): the first index where the running count exceeds pick
    int[] rowStart = p.rowStart;
    int[] rowEnd = p.rowEnd;
    if (rowStart != null) {
      // row runs: skip whole rows, then step into the run
      for (int i = 0, seen = 0; i < p.h; i++) {
        int n = rowEnd[i] - rowStart[i];
        if (seen + n > pick) {
          ci = i;
          cj = rowStart[i] + (pick - seen);
          break;
        }
        seen += n;
      }
    } else {
      boolean[] m = p.mask;
      for (int i = 0, seen = 0; i < m.length; i++) {
        seen += m[i] ? 1 : 0;
        if (seen > pick) {
          ci = i / p.w;
          cj = i % p.w;
          break;
        }
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
    int ph = p.h;
    int pw = p.w;
    boolean[] mask = p.mask;
    float[] src = new float[ph * pw];
    for (int y = 0; y < ph; y++) {
      System.arraycopy(img, (r0 + y) * w + c0, src, y * pw, pw);
    }
    // One loop per shape kind (ellipse: the quadratic's root ahead of the centre; rectangle: the
    // nearest slab edge) with the per-patch and per-row terms hoisted out of the pixel loop. For a
    // ray
    // from the centre o' along w' (aligned coordinates) s is the parameter with o' + s·w' on the
    // edge.
    double i00 = g.i00;
    double i01 = g.i01;
    double i10 = g.i10;
    double i11 = g.i11;
    boolean sink = this.sink;
    double ymax = ph - 1;
    double xmax = pw - 1;
    if (g.ellipse) {
      double inv0 = g.inv0;
      double inv1 = g.inv1;
      double c = o0 * o0 * inv0 + o1 * o1 * inv1 - 1;
      boolean inside = c <= 0;
      for (int i = 1; i < ph - 1; i++) {
        double vy = i - ci;
        double a0 = i00 * vy;
        double a1 = i10 * vy;
        int row = i * pw;
        int out = (r0 + i) * w + c0;
        int jEnd = rowStart == null ? pw - 1 : Math.min(pw - 1, rowEnd[i]);
        for (int j = rowStart == null ? 1 : Math.max(1, rowStart[i]); j < jEnd; j++) {
          if (!mask[row + j] || (i == ci && j == cj)) {
            continue;
          }
          double vx = j - cj;
          double w0 = a0 + i01 * vx;
          double w1 = a1 + i11 * vx;
          double a = w0 * w0 * inv0 + w1 * w1 * inv1;
          double b = 2 * (o0 * w0 * inv0 + o1 * w1 * inv1);
          double det = b * b - 4 * a * c;
          if (det < 0 || a == 0) {
            continue;
          }
          double sq = Math.sqrt(det);
          double s;
          if (inside) {
            s = (-b + sq) / (2 * a);
          } else {
            double s1 = (-b + sq) / (2 * a);
            double s2 = (-b - sq) / (2 * a);
            s = Double.POSITIVE_INFINITY;
            if (s1 >= 0) {
              s = s1;
            }
            if (s2 >= 0 && s2 < s) {
              s = s2;
            }
          }
          if (!(s < Double.POSITIVE_INFINITY)) {
            continue;
          }
          double k = ratio(sink, Math.max(s, 1.0), f);
          img[out + j] = sample(src, pw, ymax, xmax, ph - 1, pw - 1, ci + k * vy, cj + k * vx);
        }
      }
    } else {
      double half0 = g.half0;
      double half1 = g.half1;
      double p0 = half0 - o0;
      double m0 = -half0 - o0;
      double p1 = half1 - o1;
      double m1 = -half1 - o1;
      for (int i = 1; i < ph - 1; i++) {
        double vy = i - ci;
        double a0 = i00 * vy;
        double a1 = i10 * vy;
        int row = i * pw;
        int out = (r0 + i) * w + c0;
        int jEnd = rowStart == null ? pw - 1 : Math.min(pw - 1, rowEnd[i]);
        for (int j = rowStart == null ? 1 : Math.max(1, rowStart[i]); j < jEnd; j++) {
          if (!mask[row + j] || (i == ci && j == cj)) {
            continue;
          }
          double vx = j - cj;
          double w0 = a0 + i01 * vx;
          double w1 = a1 + i11 * vx;
          double s = Double.POSITIVE_INFINITY;
          if (w0 != 0) {
            double q = 1 / w0;
            s = edge(s, p0 * q);
            s = edge(s, m0 * q);
          }
          if (w1 != 0) {
            double q = 1 / w1;
            s = edge(s, p1 * q);
            s = edge(s, m1 * q);
          }
          if (!(s < Double.POSITIVE_INFINITY)) {
            continue;
          }
          double k = ratio(sink, Math.max(s, 1.0), f);
          img[out + j] = sample(src, pw, ymax, xmax, ph - 1, pw - 1, ci + k * vy, cj + k * vx);
        }
      }
    }
  }

  /**
   * Bilinear sample at (y, x) with the coordinates clamped to [0, h − 1] × [0, w − 1] (scipy mode
   * 'nearest'); the clamp bounds are passed in so that they are computed once per patch.
   */
  private static float sample(
      float[] src, int w, double ymax, double xmax, int ylast, int xlast, double y, double x) {
    if (y < 0) {
      y = 0;
    } else if (y > ymax) {
      y = ymax;
    }
    if (x < 0) {
      x = 0;
    } else if (x > xmax) {
      x = xmax;
    }
    int y0 = (int) y;
    int x0 = (int) x;
    int y1 = Math.min(y0 + 1, ylast);
    int x1 = Math.min(x0 + 1, xlast);
    float fy = (float) (y - y0);
    float fx = (float) (x - x0);
    int r0 = y0 * w;
    int r1 = y1 * w;
    float v00 = src[r0 + x0];
    float v10 = src[r1 + x0];
    float a = v00 + (src[r0 + x1] - v00) * fx;
    float b = v10 + (src[r1 + x1] - v10) * fx;
    return a + (b - a) * fy;
  }

  private static double edge(double best, double s) {
    return s >= 0 && s < best ? s : best;
  }
}
