package io.github.mediclip.eval.metrics;

/**
 * Order-preserving int keys for float scores and an LSD radix sort over them.
 *
 * <p>A float {@code f} maps to a signed int whose natural order equals the numeric order of the
 * floats ({@code -0.0f} and {@code 0.0f} both map to the key of {@code 0.0f}, as numpy compares
 * them equal). Sorting 32-bit keys takes three counting passes of 11, 11 and 10 bits, each skipped
 * when every key shares that digit, which is why 5 M pixels sort in tens of milliseconds on one
 * thread.
 */
final class FloatKeys {

  private static final int BITS = 11;
  private static final int RADIX = 1 << BITS;
  private static final int MASK = RADIX - 1;

  private FloatKeys() {}

  /** Key of a finite float; callers reject NaN before. */
  static int key(float f) {
    int bits = Float.floatToRawIntBits(f + 0.0f); // -0.0f + 0.0f == +0.0f
    return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
  }

  /** Inverse of {@link #key(float)}. */
  static float value(int key) {
    return Float.intBitsToFloat(key >= 0 ? key : key ^ 0x7FFFFFFF);
  }

  private static int digit(int key, int pass) {
    // the top digit flips the sign bit so that negative keys come first
    return pass < 2 ? (key >>> (pass * BITS)) & MASK : ((key >>> 22) ^ 0x200) & 0x3FF;
  }

  /** Sorts {@code a[0..n)} ascending as signed ints; {@code tmp} must hold at least n ints. */
  static void sort(int[] a, int n, int[] tmp) {
    int[][] counts = new int[3][RADIX + 1];
    for (int i = 0; i < n; i++) {
      int k = a[i];
      counts[0][digit(k, 0) + 1]++;
      counts[1][digit(k, 1) + 1]++;
      counts[2][digit(k, 2) + 1]++;
    }
    int[] src = a;
    int[] dst = tmp;
    for (int pass = 0; pass < 3; pass++) {
      int[] c = counts[pass];
      if (skippable(c, n)) {
        continue;
      }
      for (int d = 0; d < RADIX; d++) {
        c[d + 1] += c[d];
      }
      for (int i = 0; i < n; i++) {
        int k = src[i];
        dst[c[digit(k, pass)]++] = k;
      }
      int[] t = src;
      src = dst;
      dst = t;
    }
    if (src != a) {
      System.arraycopy(src, 0, a, 0, n);
    }
  }

  /**
   * Sorts {@code a[0..n)} ascending by the signed int in the high 32 bits of each long (the low 32
   * bits are a payload that travels along); stable.
   */
  static void sortHigh(long[] a, int n, long[] tmp) {
    int[][] counts = new int[3][RADIX + 1];
    for (int i = 0; i < n; i++) {
      int k = (int) (a[i] >> 32);
      counts[0][digit(k, 0) + 1]++;
      counts[1][digit(k, 1) + 1]++;
      counts[2][digit(k, 2) + 1]++;
    }
    long[] src = a;
    long[] dst = tmp;
    for (int pass = 0; pass < 3; pass++) {
      int[] c = counts[pass];
      if (skippable(c, n)) {
        continue;
      }
      for (int d = 0; d < RADIX; d++) {
        c[d + 1] += c[d];
      }
      for (int i = 0; i < n; i++) {
        long v = src[i];
        dst[c[digit((int) (v >> 32), pass)]++] = v;
      }
      long[] t = src;
      src = dst;
      dst = t;
    }
    if (src != a) {
      System.arraycopy(src, 0, a, 0, n);
    }
  }

  /**
   * A pass is useless when all keys fall into one bucket (counts are still un-accumulated here).
   */
  private static boolean skippable(int[] c, int n) {
    for (int d = 1; d <= RADIX; d++) {
      if (c[d] != 0) {
        return c[d] == n;
      }
    }
    return true;
  }
}
