package io.github.mediclip.synth;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/** Argument checks shared by the tasks. */
final class Checks {
  private Checks() {}

  /** The null checks of {@link AnomalySynthesizer#synthesize}'s arguments, naming the argument. */
  static void requireArguments(GrayImage normal, SplittableRandom random, List<GrayImage> support) {
    Objects.requireNonNull(normal, "normal");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(support, "support");
  }

  /**
   * Checks a task option.
   *
   * @return {@code value} if it is finite and &gt; 0
   * @throws IllegalArgumentException naming the field and the value otherwise
   */
  static double requirePositiveFinite(double value, String field) {
    checkArgument(
        value > 0 && !Double.isInfinite(value),
        "%s must be finite and > 0, but was %s",
        field,
        value);
    return value;
  }

  static void requireFinite(GrayImage image, String field) {
    if (image.checkedFinite()) {
      return;
    }
    float[] p = image.data();
    // fast path: v * 0 is 0 for finite v and NaN otherwise; four independent sums keep the loop
    // short
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int n = p.length & ~3;
    for (int i = 0; i < n; i += 4) {
      s0 += p[i] * 0f;
      s1 += p[i + 1] * 0f;
      s2 += p[i + 2] * 0f;
      s3 += p[i + 3] * 0f;
    }
    for (int i = n; i < p.length; i++) {
      s0 += p[i] * 0f;
    }
    if (s0 + s1 + s2 + s3 == 0f) {
      image.markFinite();
      return;
    }
    for (int i = 0; i < p.length; i++) {
      if (!Float.isFinite(p[i])) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s has a non-finite pixel %s at (x=%d, y=%d); synthesis needs finite values "
                    + "(0..255 scale)",
                field,
                p[i],
                i % image.width(),
                i / image.width()));
      }
    }
  }
}
