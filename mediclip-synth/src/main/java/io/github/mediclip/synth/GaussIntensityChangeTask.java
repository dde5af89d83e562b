package io.github.mediclip.synth;

import java.util.SplittableRandom;

/**
 * {@code GaussIntensityChangeTask}: inside a Perlin blob (patch sides 30–80 % of the image) adds a
 * texture made of Gaussian-blurred (σ ∈ {4, 7}) binary noise over the whole image, min-max scaled and
 * multiplied by u0 ∈ U(0.4, 0.6) or U(−0.6, −0.4) (probability 1/2 each), feathered by the blob mask
 * blurred with σ ∈ U(1, 4); the change is added on the [0, 1] scale and the image clipped to [0, 255]
 * (reference {@code GaussIntensityChangeTask} of MediCLIP's {@code medsyn}). The label is the binary
 * union of the blobs. Immutable and thread-safe.
 */
public final class GaussIntensityChangeTask extends PatchTask {

  /** Registry name. */
  public static final String NAME = "GaussIntensityChangeTask";

  private static final GaussIntensityChangeTask INSTANCE = new GaussIntensityChangeTask();
  private static final float[] KERNEL_4 = ImageOps.gaussianKernel(4);
  private static final float[] KERNEL_7 = ImageOps.gaussianKernel(7);

  private GaussIntensityChangeTask() {
    super(NAME, 0.3, 0.8);
  }

  /** @return the (shared, immutable) task */
  public static GaussIntensityChangeTask create() {
    return INSTANCE;
  }

  @Override
  Patch shape(SplittableRandom r, int lbH, int ubH, int lbW, int ubW, int h, int w) {
    return PerlinShape.make(r, lbH, ubH, lbW, ubW, NAME);
  }

  @Override
  void augment(Work work, Patch p, int r0, int c0) {
    SplittableRandom r = work.random;
    int h = work.h;
    int w = work.w;
    int n = h * w;
    // texture: binary noise (P = 1/2), blurred, min-max scaled, times u0
    float[] noise = new float[n];
    for (int i = 0; i < n; i += 64) {
      long bits = r.nextLong();
      int end = Math.min(64, n - i);
      for (int b = 0; b < end; b++) {
        noise[i + b] = (float) ((bits >>> b) & 1L);
      }
    }
    float[] kernel = r.nextBoolean() ? KERNEL_4 : KERNEL_7;
    float[] tex = ImageOps.gaussianBlur(noise, h, w, kernel);
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : tex) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double u0 = r.nextDouble() <= 0.5 ? Rng.uniform(r, 0.4, 0.6) : Rng.uniform(r, -0.6, -0.4);
    // constant texture (tiny images): no texture rather than the reference's 0/0
    float span = hi - lo;
    float texScale = span > 0 ? (float) (u0 / span) : 0f;
    // feathering: the blob mask blurred with sigma in U(1, 4), reflect borders over the patch
    float[] m = new float[p.h * p.w];
    for (int i = 0; i < m.length; i++) {
      m[i] = p.mask[i] ? 1f : 0f;
    }
    float[] geo = ImageOps.gaussianBlur(m, p.h, p.w, ImageOps.gaussianKernel(Rng.uniform(r, 1, 4)));
    float[] img = work.img;
    for (int y = 0; y < p.h; y++) {
      int row = (r0 + y) * w + c0;
      for (int x = 0; x < p.w; x++) {
        int pi = y * p.w + x;
        if (p.mask[pi]) {
          float t = Math.max(-1f, Math.min(1f, (tex[row + x] - lo) * texScale));
          float v = img[row + x] / 255f + t * geo[pi];
          img[row + x] = Math.max(0f, Math.min(1f, v)) * 255f;
        }
      }
    }
    // the reference clips the whole image on the [0, 1] scale
    for (int i = 0; i < n; i++) {
      float v = img[i];
      if (v < 0f) {
        img[i] = 0f;
      } else if (v > 255f) {
        img[i] = 255f;
      }
    }
  }
}
