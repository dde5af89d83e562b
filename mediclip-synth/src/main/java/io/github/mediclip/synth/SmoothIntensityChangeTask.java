package io.github.mediclip.synth;

import java.util.SplittableRandom;

/**
 * {@code SmoothIntensityTask}: adds ±(scale/2 + Gamma(3, scale)) grey levels inside a Perlin blob
 * (patch sides 30–80 % of the image), ramped from the blob edge by the Euclidean distance transform
 * over a border of {@code min(S · (0.02 + Gamma(3, 0.01)), max distance)} pixels, and clipped to
 * the image's current range (reference {@code SmoothIntensityChangeTask(30.0)} of MediCLIP's {@code
 * medsyn}). The label is the binary union of the blobs. Immutable and thread-safe.
 */
public final class SmoothIntensityChangeTask extends PatchTask {

  /** Registry name. */
  public static final String NAME = "SmoothIntensityTask";

  /** Default intensity scale (grey levels), as in the reference configuration. */
  public static final double DEFAULT_SCALE = 30.0;

  private final double scale;

  private SmoothIntensityChangeTask(double scale) {
    super(NAME, 0.3, 0.8);
    this.scale = scale;
  }

  /**
   * @return the task with the reference scale 30
   */
  public static SmoothIntensityChangeTask create() {
    return new SmoothIntensityChangeTask(DEFAULT_SCALE);
  }

  /**
   * @param scale intensity scale in grey levels, finite and &gt; 0
   * @return the task
   */
  public static SmoothIntensityChangeTask withScale(double scale) {
    return new SmoothIntensityChangeTask(Checks.requirePositiveFinite(scale, "scale"));
  }

  /**
   * @return the intensity scale in grey levels
   */
  public double scale() {
    return scale;
  }

  @Override
  void augment(Work work, Patch p, int r0, int c0) {
    SplittableRandom r = work.random;
    float[] dist = ImageOps.distanceTransform(p.mask, p.h, p.w);
    float maxDist = 0;
    for (float d : dist) {
      maxDist = Math.max(maxDist, d);
    }
    double smooth = Math.min(Math.min(work.h, work.w) * (0.02 + Rng.gamma(r, 3, 0.01)), maxDist);
    double change = (scale / 2 + Rng.gamma(r, 3, scale)) * (r.nextBoolean() ? 1 : -1);
    float[] img = work.img;
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : img) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    for (int y = 0; y < p.h; y++) {
      int row = (r0 + y) * work.w + c0;
      for (int x = 0; x < p.w; x++) {
        float d = dist[y * p.w + x];
        if (d > 0) {
          double ramp = Math.min(d / smooth, 1.0);
          float v = (float) (img[row + x] + ramp * change);
          img[row + x] = Math.max(lo, Math.min(hi, v));
        }
      }
    }
  }
}
