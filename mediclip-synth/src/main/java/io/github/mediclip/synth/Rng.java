package io.github.mediclip.synth;

import java.util.SplittableRandom;

/**
 * Random variates from a {@link SplittableRandom}, written out here (rather than the JDK's default
 * methods) so that every JDK version gives the same numbers for the same seed.
 */
final class Rng {
  private Rng() {}

  /** Uniform in [lo, hi). */
  static double uniform(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  /** Standard normal (Marsaglia polar method, one value per call). */
  static double gaussian(SplittableRandom r) {
    double u;
    double v;
    double s;
    do {
      u = 2 * r.nextDouble() - 1;
      v = 2 * r.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
  }

  /** Exponential with the given mean. */
  static double exponential(SplittableRandom r, double mean) {
    return -mean * StrictMath.log(1 - r.nextDouble());
  }

  /** Gamma(shape k, scale θ), k &gt;= 1 (Marsaglia–Tsang). */
  static double gamma(SplittableRandom r, double shape, double scale) {
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / StrictMath.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = gaussian(r);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = r.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x
          || StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
        return d * v * scale;
      }
    }
  }

  /** Integer uniform in [lo, hi) (numpy {@code randint(lo, hi)}). */
  static int randint(SplittableRandom r, int lo, int hiExclusive) {
    return lo + r.nextInt(hiExclusive - lo);
  }

  /** Integer uniform in [lo, hi] inclusive. */
  static int randintInclusive(SplittableRandom r, int lo, int hi) {
    return lo + r.nextInt(hi - lo + 1);
  }
}
