package io.github.mediclip.synth;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Perlin-noise blob shapes, as the reference's {@code PerlinPatchMaker}: gradient noise at
 * resolution 1 over the patch (one lattice cell, four random unit gradients, quintic fade, times
 * √2), rotated about the patch centre by U(-90°, 90°) with zero fill outside, thresholded at 0.3,
 * and redrawn (same patch size) until at least 20 % of the patch is inside. Redraws are bounded by
 * {@link #MAX_TRIES}.
 */
final class PerlinShape {
  static final double THRESHOLD = 0.3;
  static final double MIN_FILL = 0.2;
  static final int MAX_TRIES = 100;

  private PerlinShape() {}

  /**
   * @param lbH inclusive lower bound of the patch height, ubH exclusive upper bound (numpy randint)
   */
  static Patch make(SplittableRandom r, int lbH, int ubH, int lbW, int ubW, String task) {
    int h = Rng.randint(r, lbH, ubH);
    int w = Rng.randint(r, lbW, ubW);
    boolean[] mask = new boolean[h * w];
    int need = (int) Math.ceil(MIN_FILL * h * w - 1e-9);
    double ch = (h - 1) / 2.0;
    double cw = (w - 1) / 2.0;
    double sqrt2 = Math.sqrt(2);
    for (int tries = 0; tries < MAX_TRIES; tries++) {
      // gradients at the four lattice corners g[a][b], a along rows (u), b along columns (v)
      double a00 = 2 * Math.PI * r.nextDouble();
      double a10 = 2 * Math.PI * r.nextDouble();
      double a01 = 2 * Math.PI * r.nextDouble();
      double a11 = 2 * Math.PI * r.nextDouble();
      double g00u = StrictMath.cos(a00);
      double g00v = StrictMath.sin(a00);
      double g10u = StrictMath.cos(a10);
      double g10v = StrictMath.sin(a10);
      double g01u = StrictMath.cos(a01);
      double g01v = StrictMath.sin(a01);
      double g11u = StrictMath.cos(a11);
      double g11v = StrictMath.sin(a11);
      double theta = Math.toRadians(Rng.uniform(r, -90, 90));
      double cos = StrictMath.cos(theta);
      double sin = StrictMath.sin(theta);
      int count = 0;
      double invH = 1.0 / h;
      double invW = 1.0 / w;
      double maxI = h - 1;
      double maxJ = w - 1;
      for (int i = 0; i < h; i++) {
        double di = i - ch;
        // source position (si, sj) of output pixel (i, j) is linear in j
        double si = ch + cos * di + sin * cw;
        double sj = cw + sin * di - cos * cw;
        int row = i * w;
        for (int j = 0; j < w; j++, si -= sin, sj += cos) {
          boolean in = false;
          if (si >= 0 && si <= maxI && sj >= 0 && sj <= maxJ) {
            double u = si * invH;
            double v = sj * invW;
            double um = u - 1;
            double vm = v - 1;
            double n00 = g00u * u + g00v * v;
            double n10 = g10u * um + g10v * v;
            double n01 = g01u * u + g01v * vm;
            double n11 = g11u * um + g11v * vm;
            double tu = u * u * u * (u * (u * 6 - 15) + 10);
            double tv = v * v * v * (v * (v * 6 - 15) + 10);
            double x0 = n00 + (n10 - n00) * tu;
            double x1 = n01 + (n11 - n01) * tu;
            in = sqrt2 * (x0 + (x1 - x0) * tv) > THRESHOLD;
          }
          mask[row + j] = in;
          if (in) {
            count++;
          }
        }
      }
      if (count >= need) {
        return new Patch(h, w, mask, null);
      }
    }
    throw new IllegalStateException(
        String.format(
            Locale.ROOT,
            "%s: no Perlin shape of %dx%d pixels covered %.0f %% of its patch in %d tries; "
                + "use larger images",
            task,
            h,
            w,
            MIN_FILL * 100,
            MAX_TRIES));
  }
}
