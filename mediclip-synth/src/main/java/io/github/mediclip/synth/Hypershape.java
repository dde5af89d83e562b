package io.github.mediclip.synth;

import java.util.SplittableRandom;

/**
 * Deformed hypershapes, as the reference's {@code EitherDeformedHypershapePatchMaker}: an
 * axis-aligned ellipse or rectangle (probability 1/2 each) whose side per axis is {@code clip((0.03
 * + Gamma(2, 0.1)) · S, lb, ub)}, sheared by N(0, 0.2) per axis, rotated by U(-π/2, π/2) and scaled
 * down if its bounding box exceeds the upper bounds.
 */
final class Hypershape {
  private Hypershape() {}

  /** Geometry needed to intersect rays with the shape edge. Coordinates are (row, col) centred. */
  static final class Geometry {
    final boolean ellipse;

    /** half sizes of the aligned shape (s / 2) */
    final double half0;

    final double half1;

    /** inverse transform, row-major 2x2 */
    final double i00;

    final double i01;
    final double i10;
    final double i11;

    /** 1 / half0², 1 / half1² */
    final double inv0;

    final double inv1;

    Geometry(boolean ellipse, double half0, double half1, double[] inv) {
      this.ellipse = ellipse;
      this.half0 = half0;
      this.half1 = half1;
      this.inv0 = 1 / (half0 * half0);
      this.inv1 = 1 / (half1 * half1);
      this.i00 = inv[0];
      this.i01 = inv[1];
      this.i10 = inv[2];
      this.i11 = inv[3];
    }
  }

  static int sampleSide(SplittableRandom r, int lb, int ub, int imageSide) {
    double g = (0.03 + Rng.gamma(r, 2, 0.1)) * imageSide;
    return (int) Math.max(lb, Math.min(ub, g));
  }

  static Patch make(SplittableRandom r, int lb0, int ub0, int lb1, int ub1, int imgH, int imgW) {
    boolean ellipse = r.nextBoolean();
    int s0 = sampleSide(r, lb0, ub0, imgH);
    int s1 = sampleSide(r, lb1, ub1, imgW);
    // shear: trans[0][1] and trans[1][0] ~ N(0, 0.2)
    double t00 = 1;
    double t01 = 0.2 * Rng.gaussian(r);
    double t10 = 0.2 * Rng.gaussian(r);
    double t11 = 1;
    double ang = Rng.uniform(r, -Math.PI / 2, Math.PI / 2);
    double c = StrictMath.cos(ang);
    double s = StrictMath.sin(ang);
    // M = R @ T, R = [[c, -s], [s, c]]
    double m00 = c * t00 - s * t10;
    double m01 = c * t01 - s * t11;
    double m10 = s * t00 + c * t10;
    double m11 = s * t01 + c * t11;
    double w0 = (s0 - 1) / 2.0;
    double w1 = (s1 - 1) / 2.0;
    double[] box = ImageOps.mappedBox(m00, m01, m10, m11, -w0, w0, -w1, w1);
    double f0 = box[2] + 1 - box[0];
    double f1 = box[3] + 1 - box[1];
    if (f0 > ub0 || f1 > ub1) {
      double k = 1 / Math.max(f0 / ub0, f1 / ub1);
      m00 *= k;
      m01 *= k;
      m10 *= k;
      m11 *= k;
      box = ImageOps.mappedBox(m00, m01, m10, m11, -w0, w0, -w1, w1);
    }
    int min0 = (int) box[0];
    int min1 = (int) box[1];
    int h = (int) box[2] + 1 - min0;
    int w = (int) box[3] + 1 - min1;
    double det = m00 * m11 - m01 * m10;
    double[] inv = {m11 / det, -m01 / det, -m10 / det, m00 / det};
    boolean[] mask = new boolean[h * w];
    double h0 = s0 / 2.0;
    double h1 = s1 / 2.0;
    double e0 = 1 / (h0 * h0);
    double e1 = 1 / (h1 * h1);
    double d0 = inv[1];
    double d1 = inv[3];
    int count = 0;
    int[] rowStart = new int[h];
    int[] rowEnd = new int[h];
    boolean runs = true;
    for (int i = 0; i < h; i++) {
      double y = min0 + i;
      // aligned coordinates are linear in x: a = inv @ (y, x)
      double a0 = inv[0] * y + inv[1] * min1;
      double a1 = inv[2] * y + inv[3] * min1;
      int row = i * w;
      int rc = 0;
      int lo = w;
      int hi = 0;
      if (ellipse) {
        for (int j = 0; j < w; j++, a0 += d0, a1 += d1) {
          boolean in = a0 * a0 * e0 + a1 * a1 * e1 <= 1;
          mask[row + j] = in;
          rc += in ? 1 : 0;
          lo = in ? Math.min(lo, j) : lo;
          hi = in ? j + 1 : hi;
        }
      } else {
        for (int j = 0; j < w; j++, a0 += d0, a1 += d1) {
          // non-short-circuit '&': the same value without a branch per comparison
          boolean in = -h0 <= a0 & a0 <= h0 & -h1 <= a1 & a1 <= h1;
          mask[row + j] = in;
          rc += in ? 1 : 0;
          lo = in ? Math.min(lo, j) : lo;
          hi = in ? j + 1 : hi;
        }
      }
      count += rc;
      // the true cells lie in [lo, hi); they fill it exactly when there are hi - lo of them
      if (rc == 0) {
        lo = 0;
        hi = 0;
      } else if (rc != hi - lo) {
        runs = false;
      }
      rowStart[i] = lo;
      rowEnd[i] = hi;
    }
    return runs
        ? new Patch(h, w, mask, new Geometry(ellipse, h0, h1, inv), count, rowStart, rowEnd)
        : new Patch(h, w, mask, new Geometry(ellipse, h0, h1, inv), count, null, null);
  }
}
