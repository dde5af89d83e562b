package io.github.mediclip.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.synth.testing.SynthesizerContract;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour of the individual tasks beyond the generic contract. */
class TaskBehaviourTest {

  private static final List<GrayImage> IMAGES = SynthesizerContract.sampleImages(4, 96, 96, 21);

  private static SynthesizedSample run(AnomalySynthesizer s, int i, long seed) {
    return s.synthesize(
        IMAGES.get(i % 4),
        new SplittableRandom(seed),
        List.of(IMAGES.get((i + 1) % 4), IMAGES.get((i + 2) % 4)));
  }

  @ParameterizedTest
  @CsvSource({
    "CutpasteTask, 35",
    "GaussIntensityChangeTask, 12",
    "SmoothIntensityTask, 12",
    "SourceTask, 18",
    "SinkTask, 18"
  })
  void tooSmallImagesAreRejectedNamingTheMinimum(String name, int minSide) {
    AnomalySynthesizer s = Synthesizers.create(name);
    GrayImage small = GrayImage.filled(minSide - 1, minSide + 5, 100f);
    assertThatThrownBy(() -> s.synthesize(small, new SplittableRandom(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "normal image of " + (minSide - 1) + "x" + (minSide + 5) + " is too small for " + name)
        .hasMessageContaining("needs at least " + minSide + "x" + minSide + " pixels");
    assertThatThrownBy(
            () -> s.synthesize(GrayImage.filled(1, 1, 0f), new SplittableRandom(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1x1");
    // the minimum size itself works, for many seeds (no unbounded redraw loop)
    GrayImage ok = SynthesizerContract.sampleImages(1, minSide, minSide, 5).get(0);
    for (int seed = 0; seed < 300; seed++) {
      SynthesizedSample x = s.synthesize(ok, new SplittableRandom(seed), List.of());
      assertThat(x.mask().max()).isLessThanOrEqualTo(1f);
    }
  }

  @Test
  void identityAcceptsOnePixelImagesAndKeepsThem() {
    GrayImage one = GrayImage.filled(1, 1, 7f);
    SynthesizedSample s = IdentityTask.create().synthesize(one, new SplittableRandom(1), List.of());
    assertThat(s.image()).isEqualTo(one);
    assertThat(s.mask().toArray()).containsExactly(0f);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CutpasteTask",
        "GaussIntensityChangeTask",
        "SmoothIntensityTask",
        "SourceTask",
        "SinkTask"
      })
  void changesStayInsideTheLabelledRegionAndMasksAreNotEmpty(String name) {
    AnomalySynthesizer s = Synthesizers.create(name);
    int changedSamples = 0;
    for (int i = 0; i < 40; i++) {
      SynthesizedSample x = run(s, i, 100 + i);
      GrayImage in = IMAGES.get(i % 4);
      float[] a = in.toArray();
      float[] b = x.image().toArray();
      float[] m = x.mask().toArray();
      boolean changed = false;
      for (int p = 0; p < a.length; p++) {
        if (a[p] != b[p]) {
          changed = true;
          if (!name.equals("CutpasteTask")) {
            assertThat(m[p])
                .as("%s sample %d pixel %d changed outside the mask", name, i, p)
                .isEqualTo(1f);
          }
        }
      }
      if (changed) {
        changedSamples++;
      }
      if (!name.equals("CutpasteTask")) {
        assertThat(x.mask().max()).as("%s mask of sample %d", name, i).isEqualTo(1f);
      }
    }
    assertThat(changedSamples).as("%s samples that changed the image", name).isGreaterThan(30);
  }

  @Test
  void intensityTasksRespectTheReferenceClipping() {
    for (int i = 0; i < 30; i++) {
      SynthesizedSample g = run(GaussIntensityChangeTask.create(), i, i);
      assertThat(g.image().min()).isGreaterThanOrEqualTo(0f);
      assertThat(g.image().max()).isLessThanOrEqualTo(255f);
      GrayImage in = IMAGES.get(i % 4);
      SynthesizedSample s = run(SmoothIntensityChangeTask.create(), i, i);
      assertThat(s.image().min()).isGreaterThanOrEqualTo(in.min());
      assertThat(s.image().max()).isLessThanOrEqualTo(in.max());
    }
  }

  @Test
  void cutPasteLabelIsSoftButNearBinaryAndCoversPastedPixels() {
    CutPasteTask t = CutPasteTask.create();
    for (int i = 0; i < 30; i++) {
      SynthesizedSample x = run(t, i, 7 + i);
      float[] a = IMAGES.get(i % 4).toArray();
      float[] b = x.image().toArray();
      float[] m = x.mask().toArray();
      for (int p = 0; p < a.length; p++) {
        if (Math.abs(a[p] - b[p]) >= 1) {
          // 1 - exp(-1 / 0.08) = 0.999996
          assertThat(m[p]).isGreaterThan(0.9999f);
        }
      }
    }
  }

  @Test
  void cutPasteWithEmptySupportPastesFromTheImageItself() {
    GrayImage img = IMAGES.get(0);
    SynthesizedSample x = CutPasteTask.create().synthesize(img, new SplittableRandom(3), List.of());
    assertThat(x.maskArea()).isGreaterThan(0);
    assertThat(x.image().min()).isGreaterThanOrEqualTo(img.min());
    assertThat(x.image().max()).isLessThanOrEqualTo(img.max());
  }

  @Test
  void cutPasteResizesSupportOfOtherSizes() {
    GrayImage img = IMAGES.get(0);
    GrayImage other = GrayImage.filled(40, 30, 255f);
    int withWhite = 0;
    for (int seed = 0; seed < 20; seed++) {
      SynthesizedSample x =
          CutPasteTask.create().synthesize(img, new SplittableRandom(seed), List.of(other));
      assertThat(x.image().width()).isEqualTo(96);
      if (x.image().max() == 255f && img.max() < 255f) {
        withWhite++;
      }
    }
    assertThat(withWhite).isGreaterThan(0);
    float[] p = other.toArray();
    p[0] = Float.POSITIVE_INFINITY;
    GrayImage bad = GrayImage.of(40, 30, p);
    assertThatThrownBy(
            () ->
                CutPasteTask.create()
                    .synthesize(img, new SplittableRandom(1), List.of(IMAGES.get(1), bad)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("support[1] has a non-finite pixel Infinity at (x=0, y=0)");
  }

  /**
   * A task with a fixed 4x4 square shape that counts how often the common loop places an anomaly.
   */
  static final class CountingTask extends PatchTask {
    int anomalies;

    CountingTask() {
      super("Counting", 0.2, 0.6);
    }

    @Override
    Patch shape(SplittableRandom r, int lbH, int ubH, int lbW, int ubW, int h, int w) {
      boolean[] m = new boolean[16];
      java.util.Arrays.fill(m, true);
      return new Patch(4, 4, m, null);
    }

    @Override
    void augment(Work work, Patch p, int r0, int c0) {
      anomalies++;
    }
  }

  @Test
  void secondAnomalyWithProbabilityOneHalf() {
    CountingTask t = new CountingTask();
    GrayImage img = GrayImage.filled(40, 40, 1f);
    int n = 4000;
    SplittableRandom root = new SplittableRandom(8);
    for (int i = 0; i < n; i++) {
      t.synthesize(img, root.split(), List.of());
    }
    // expected 1.5 n; sd of the number of second anomalies sqrt(n / 4) = 31.6; 5 sd
    assertThat(t.anomalies).isBetween(6000 - 158, 6000 + 158);
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> SmoothIntensityChangeTask.withScale(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scale must be finite and > 0, but was -1.0");
    assertThatThrownBy(() -> CutPasteTask.withLabelStd(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("labelStd must be finite and > 0, but was 0.0");
    assertThat(SmoothIntensityChangeTask.withScale(10).scale()).isEqualTo(10);
  }
}
