package io.github.mediclip.synth;

import java.util.SplittableRandom;

/**
 * {@code GaussIntensityChangeTask}: inside a Perlin blob (patch sides 30–80 % of the image) adds a
 * texture made of Gaussian-blurred (σ ∈ {4, 7}) binary noise over the whole image, min-max scaled
 * and multiplied by u0 ∈ U(0.4, 0.6) or U(−0.6, −0.4) (probability 1/2 each), feathered by the blob
 * mask blurred with σ ∈ U(1, 4); the change is added on the [0, 1] scale and the image clipped to
 * [0, 255] (reference {@code GaussIntensityChangeTask} of MediCLIP's {@code medsyn}). The label is
 * the binary union of the blobs. Immutable and thread-safe.
 */
public final class GaussIntensityChangeTask extends PatchTask {

  /** Registry name. */
  public static final String NAME = "GaussIntensityChangeTask";

  private static final GaussIntensityChangeTask INSTANCE = new GaussIntensityChangeTask();
  private static final float[] KERNEL_4 = ImageOps.gaussianKernel(4);
  private static final float[] KERNEL_7 = ImageOps.gaussianKernel(7);
  private static final float[][] TABLES_4 = ImageOps.binaryTables(KERNEL_4);
  private static final float[][] TABLES_7 = ImageOps.binaryTables(KERNEL_7);

  private GaussIntensityChangeTask() {
    super(NAME, 0.3, 0.8);
  }

  /**
   * @return the (shared, immutable) task
   */
  public static GaussIntensityChangeTask create() {
    return INSTANCE;
  }

  @Override
  void augment(Work work, Patch p, int r0, int c0) {
    SplittableRandom r = work.random;
    int h = work.h;
    int w = work.w;
    int n = h * w;
    // texture: binary noise (P = 1/2), blurred, min-max scaled, times u0
    long[] noise = new long[(n + 63) / 64];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = r.nextLong();
    }
    boolean small = r.nextBoolean();
    float[] tex =
        ImageOps.gaussianBlurBinary(
            noise, h, w, small ? KERNEL_4 : KERNEL_7, small ? TABLES_4 : TABLES_7);
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
    long[] maskBits = new long[(p.h * p.w + 63) / 64];
    for (int i = 0; i < p.mask.length; i++) {
      if (p.mask[i]) {
        maskBits[i >>> 6] |= 1L << (i & 63);
      }
    }
    float[] geoKernel = ImageOps.gaussianKernel(Rng.uniform(r, 1, 4));
    float[] geo =
        ImageOps.gaussianBlurBinary(
            maskBits, p.h, p.w, geoKernel, ImageOps.binaryTables(geoKernel));
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
