package io.github.mediclip.synth;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Decorator that checks what user code returns (as Caffeine's {@code BoundedWeigher}): a non-null
 * sample whose image and mask have the size of the input, finite image values, mask values in [0,
 * 1]. Violations are reported as {@link SynthesizerException} naming the offending class and the
 * value.
 *
 * <p>It also rejects bad input before calling the delegate: non-finite pixels in the normal image.
 */
public final class ValidatingSynthesizer implements AnomalySynthesizer {

  private final AnomalySynthesizer delegate;
  private final String name;

  private ValidatingSynthesizer(AnomalySynthesizer delegate, String name) {
    this.delegate = delegate;
    this.name = name;
  }

  /**
   * Wraps a synthesizer (returns it unchanged if it is already a {@code ValidatingSynthesizer}).
   *
   * @param delegate the synthesizer to check
   * @return the validating decorator
   */
  public static ValidatingSynthesizer wrap(AnomalySynthesizer delegate) {
    Objects.requireNonNull(delegate, "delegate");
    if (delegate instanceof ValidatingSynthesizer v) {
      return v;
    }
    return new ValidatingSynthesizer(delegate, delegate.getClass().getName());
  }

  /**
   * @return the wrapped synthesizer
   */
  public AnomalySynthesizer delegate() {
    return delegate;
  }

  @Override
  public SynthesizedSample synthesize(
      GrayImage normal, SplittableRandom random, List<GrayImage> support) {
    Checks.requireArguments(normal, random, support);
    Checks.requireFinite(normal, "normal");
    SynthesizedSample s;
    try {
      s = delegate.synthesize(normal, random, support);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SynthesizerException(name, "synthesizer " + name + " failed: " + e, e);
    }
    if (s == null) {
      throw new SynthesizerException(name, "synthesizer " + name + " returned null", null);
    }
    GrayImage img = s.image();
    GrayImage mask = s.mask();
    if (img.width() != normal.width() || img.height() != normal.height()) {
      throw new SynthesizerException(
          name,
          String.format(
              Locale.ROOT,
              "synthesizer %s returned an image of %dx%d for an input of %dx%d",
              name,
              img.width(),
              img.height(),
              normal.width(),
              normal.height()),
          null);
    }
    float[] p = img.data();
    for (int i = 0; i < p.length; i++) {
      if (!Float.isFinite(p[i])) {
        throw new SynthesizerException(
            name,
            String.format(
                Locale.ROOT,
                "synthesizer %s returned a non-finite image value %s at (x=%d, y=%d)",
                name,
                p[i],
                i % img.width(),
                i / img.width()),
            null);
      }
    }
    float[] m = mask.data();
    for (int i = 0; i < m.length; i++) {
      float v = m[i];
      if (!(v >= 0f && v <= 1f)) {
        throw new SynthesizerException(
            name,
            String.format(
                Locale.ROOT,
                "synthesizer %s returned a mask value %s at (x=%d, y=%d); masks must be in [0, 1]",
                name,
                v,
                i % mask.width(),
                i / mask.width()),
            null);
      }
    }
    return s;
  }

  @Override
  public String toString() {
    return "ValidatingSynthesizer[" + name + "]";
  }
}
