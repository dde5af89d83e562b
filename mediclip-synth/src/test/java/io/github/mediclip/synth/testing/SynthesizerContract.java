package io.github.mediclip.synth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesizedSample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Reusable contract test for any {@link AnomalySynthesizer} (in the style of Guava's testlib):
 * extend it and implement {@link #synthesizer()}; the tests check that output is deterministic per
 * seed (also when samples run in parallel), inputs are not mutated, the mask has the image's shape
 * with values in [0, 1], and the image is finite. The static {@code check*} methods can be called
 * from parameterized tests. Shipped in the {@code mediclip-synth} test-jar ({@code
 * <type>test-jar</type>}).
 */
public abstract class SynthesizerContract {

  /**
   * @return the synthesizer under test
   */
  protected abstract AnomalySynthesizer synthesizer();

  /**
   * @return normal images to synthesize from (default: 6 textured 64×64 images)
   */
  protected List<GrayImage> images() {
    return sampleImages(6, 64, 64, 11);
  }

  /**
   * @return number of samples per check (default 24)
   */
  protected int samples() {
    return 24;
  }

  @Test
  void deterministicPerSeed() {
    checkDeterministic(synthesizer(), images(), samples());
  }

  @Test
  void parallelEqualsSequential() {
    checkParallelEqualsSequential(synthesizer(), images(), samples());
  }

  @Test
  void inputsNotMutated() {
    checkInputsNotMutated(synthesizer(), images(), samples());
  }

  @Test
  void maskShapeAndRange() {
    checkShapesAndRanges(synthesizer(), images(), samples());
  }

  /**
   * Textured test images with a dark border, values whole grey levels in 0..255.
   *
   * @param count number of images
   * @param width width
   * @param height height
   * @param seed seed
   * @return the images
   */
  public static List<GrayImage> sampleImages(int count, int width, int height, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    List<GrayImage> out = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      SplittableRandom r = root.split();
      double fx = 0.05 + 0.2 * r.nextDouble();
      double fy = 0.05 + 0.2 * r.nextDouble();
      float[] p = new float[width * height];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double dx = (x - width / 2.0) / (width * 0.42);
          double dy = (y - height / 2.0) / (height * 0.45);
          double v =
              dx * dx + dy * dy > 1
                  ? 0
                  : 110 + 50 * Math.sin(fx * x) * Math.cos(fy * y) + 20 * r.nextDouble();
          p[y * width + x] = (float) Math.rint(Math.max(0, Math.min(255, v)));
        }
      }
      out.add(GrayImage.of(width, height, p));
    }
    return out;
  }

  private static SynthesizedSample run(
      AnomalySynthesizer s, List<GrayImage> images, int i, SplittableRandom r) {
    GrayImage img = images.get(i % images.size());
    List<GrayImage> support = new ArrayList<>(images);
    support.remove(i % images.size());
    return s.synthesize(img, r, Collections.unmodifiableList(support));
  }

  /**
   * Same seed, same output (bit for bit); run twice in sequence.
   *
   * @param s synthesizer
   * @param images images
   * @param samples number of samples
   */
  public static void checkDeterministic(AnomalySynthesizer s, List<GrayImage> images, int samples) {
    List<SynthesizedSample> a = sequential(s, images, samples, 5);
    List<SynthesizedSample> b = sequential(s, images, samples, 5);
    assertSameSamples(b, a);
  }

  /**
   * Per-sample split streams give the same output on a parallel stream as sequentially.
   *
   * @param s synthesizer
   * @param images images
   * @param samples number of samples
   */
  public static void checkParallelEqualsSequential(
      AnomalySynthesizer s, List<GrayImage> images, int samples) {
    List<SynthesizedSample> seq = sequential(s, images, samples, 9);
    SplittableRandom root = new SplittableRandom(9);
    List<SplittableRandom> streams = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      streams.add(root.split());
    }
    List<SynthesizedSample> par =
        IntStream.range(0, samples)
            .parallel()
            .mapToObj(i -> run(s, images, i, streams.get(i)))
            .collect(Collectors.toList());
    assertSameSamples(par, seq);
  }

  /** Sample by sample, equal images and equal masks ({@link GrayImage#equals}). */
  private static void assertSameSamples(
      List<SynthesizedSample> actual, List<SynthesizedSample> expected) {
    assertThat(actual).as("number of samples").hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).image())
          .as("image of sample %d", i)
          .isEqualTo(expected.get(i).image());
      assertThat(actual.get(i).mask()).as("mask of sample %d", i).isEqualTo(expected.get(i).mask());
    }
  }

  /**
   * The normal image and the support images keep their pixels.
   *
   * @param s synthesizer
   * @param images images
   * @param samples number of samples
   */
  public static void checkInputsNotMutated(
      AnomalySynthesizer s, List<GrayImage> images, int samples) {
    List<float[]> before = images.stream().map(GrayImage::toArray).collect(Collectors.toList());
    sequential(s, images, samples, 3);
    for (int i = 0; i < images.size(); i++) {
      assertThat(images.get(i).toArray()).as("pixels of image %d", i).isEqualTo(before.get(i));
    }
  }

  /**
   * Mask of the image's size, values in [0, 1]; finite image of the input's size.
   *
   * @param s synthesizer
   * @param images images
   * @param samples number of samples
   */
  public static void checkShapesAndRanges(
      AnomalySynthesizer s, List<GrayImage> images, int samples) {
    List<SynthesizedSample> out = sequential(s, images, samples, 1);
    for (int i = 0; i < samples; i++) {
      GrayImage in = images.get(i % images.size());
      SynthesizedSample x = out.get(i);
      assertThat(x.image().width()).as("image width of sample %d", i).isEqualTo(in.width());
      assertThat(x.image().height()).as("image height of sample %d", i).isEqualTo(in.height());
      assertThat(x.mask().width()).as("mask width of sample %d", i).isEqualTo(in.width());
      assertThat(x.mask().height()).as("mask height of sample %d", i).isEqualTo(in.height());
      assertThat(x.image().isFinite()).as("finite image of sample %d", i).isTrue();
      assertThat(x.mask().min()).as("mask min of sample %d", i).isGreaterThanOrEqualTo(0f);
      assertThat(x.mask().max()).as("mask max of sample %d", i).isLessThanOrEqualTo(1f);
    }
  }

  private static List<SynthesizedSample> sequential(
      AnomalySynthesizer s, List<GrayImage> images, int samples, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    List<SynthesizedSample> out = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      out.add(run(s, images, i, root.split()));
    }
    return out;
  }
}
