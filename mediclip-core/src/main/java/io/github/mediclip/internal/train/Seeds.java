package io.github.mediclip.internal.train;

/** Seed mixing shared by the trainer and the k-shot sampler: one independent stream per purpose. */
public final class Seeds {

  /** Stream of the k-shot draw ({@link KShotSampler}). */
  public static final long SHOTS_STREAM = 0x5EED_0003L;

  private Seeds() {}

  /** Mixes a seed with a stream id and an index into an independent 64-bit seed (SplitMix64). */
  public static long mix(long seed, long stream, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (stream * 0x100000001B3L + index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
