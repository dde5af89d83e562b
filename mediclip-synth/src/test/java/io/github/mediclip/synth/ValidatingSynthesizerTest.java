package io.github.mediclip.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ValidatingSynthesizerTest {

  static final class WrongSize implements AnomalySynthesizer {
    @Override
    public SynthesizedSample synthesize(GrayImage n, SplittableRandom r, List<GrayImage> s) {
      return SynthesizedSample.normal(GrayImage.filled(3, 3, 0));
    }
  }

  static final class NanImage implements AnomalySynthesizer {
    @Override
    public SynthesizedSample synthesize(GrayImage n, SplittableRandom r, List<GrayImage> s) {
      float[] p = n.toArray();
      p[5] = Float.POSITIVE_INFINITY;
      return SynthesizedSample.normal(GrayImage.of(n.width(), n.height(), p));
    }
  }

  static final class NullResult implements AnomalySynthesizer {
    @Override
    public SynthesizedSample synthesize(GrayImage n, SplittableRandom r, List<GrayImage> s) {
      return null;
    }
  }

  private final GrayImage img = GrayImage.filled(4, 4, 50);

  @Test
  void namesTheOffendingClass() {
    assertThatThrownBy(
            () ->
                ValidatingSynthesizer.wrap(new WrongSize())
                    .synthesize(img, new SplittableRandom(1), List.of()))
        .isInstanceOfSatisfying(
            SynthesizerException.class,
            e -> assertThat(e.synthesizerName()).isEqualTo(WrongSize.class.getName()))
        .hasMessage(
            "synthesizer "
                + WrongSize.class.getName()
                + " returned an image of 3x3 for an input of 4x4");
    assertThatThrownBy(
            () ->
                ValidatingSynthesizer.wrap(new NanImage())
                    .synthesize(img, new SplittableRandom(1), List.of()))
        .isInstanceOfSatisfying(
            SynthesizerException.class,
            e -> assertThat(e.synthesizerName()).isEqualTo(NanImage.class.getName()))
        .hasMessage(
            "synthesizer "
                + NanImage.class.getName()
                + " returned a non-finite image value Infinity at (x=1, y=1)");
    assertThatThrownBy(
            () ->
                ValidatingSynthesizer.wrap(new NullResult())
                    .synthesize(img, new SplittableRandom(1), List.of()))
        .isInstanceOfSatisfying(
            SynthesizerException.class,
            e -> assertThat(e.synthesizerName()).isEqualTo(NullResult.class.getName()))
        .hasMessage("synthesizer " + NullResult.class.getName() + " returned null");
  }

  @Test
  void wrapsWhatTheSynthesizerThrowsWithItsName() {
    AnomalySynthesizer throwing =
        (n, r, s) -> {
          throw new ArithmeticException("boom");
        };
    assertThatThrownBy(
            () ->
                ValidatingSynthesizer.wrap(throwing)
                    .synthesize(img, new SplittableRandom(1), List.of()))
        .isInstanceOfSatisfying(
            SynthesizerException.class,
            e -> assertThat(e.synthesizerName()).isEqualTo(throwing.getClass().getName()))
        .hasMessage(
            "synthesizer "
                + throwing.getClass().getName()
                + " failed: java.lang.ArithmeticException: boom")
        .hasCauseInstanceOf(ArithmeticException.class);
  }

  @Test
  void sampleRecordRejectsMismatchedSizes() {
    assertThatThrownBy(() -> new SynthesizedSample(img, GrayImage.filled(4, 5, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mask size 4x5 differs from image size 4x4");
  }

  @Test
  void passesGoodOutputThrough() {
    ValidatingSynthesizer v = ValidatingSynthesizer.wrap(IdentityTask.create());
    assertThat(ValidatingSynthesizer.wrap(v)).isSameAs(v);
    SynthesizedSample s = v.synthesize(img, new SplittableRandom(1), List.of());
    assertThat(s.image()).isEqualTo(img);
    assertThat(s.maskArea()).isZero();
  }
}
