package io.github.mediclip.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Internal image operations against brute-force definitions. */
class ImageOpsTest {

  @Test
  void distanceTransformMatchesBruteForce() {
    SplittableRandom r = new SplittableRandom(2);
    int h = 23;
    int w = 31;
    boolean[] m = new boolean[h * w];
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextDouble() < 0.85;
    }
    float[] d = ImageOps.distanceTransform(m, h, w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double best = m[y * w + x] ? Double.MAX_VALUE : 0;
        if (m[y * w + x]) {
          for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
              if (!m[yy * w + xx]) {
                best = Math.min(best, Math.hypot(x - xx, y - yy));
              }
            }
          }
        }
        assertThat((double) d[y * w + x]).as("(%d, %d)", x, y).isCloseTo(best, within(1e-4));
      }
    }
  }

  @Test
  void gaussianBlurMatchesDirectConvolutionWithReflectBorders() {
    SplittableRandom r = new SplittableRandom(3);
    int h = 9;
    int w = 13;
    float[] src = new float[h * w];
    for (int i = 0; i < src.length; i++) {
      src[i] = (float) r.nextDouble();
    }
    float[] k = ImageOps.gaussianKernel(2.5);
    assertThat(k.length).isEqualTo(2 * 10 + 1);
    double sum = 0;
    for (float v : k) {
      sum += v;
    }
    assertThat(sum).isCloseTo(1.0, within(1e-6));
    float[] out = ImageOps.gaussianBlur(src, h, w, k);
    int rad = k.length / 2;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double acc = 0;
        for (int dy = -rad; dy <= rad; dy++) {
          for (int dx = -rad; dx <= rad; dx++) {
            acc +=
                k[dy + rad]
                    * k[dx + rad]
                    * src[ImageOps.reflect(y + dy, h) * w + ImageOps.reflect(x + dx, w)];
          }
        }
        assertThat((double) out[y * w + x]).isCloseTo(acc, within(1e-5));
      }
    }
    // scipy 'reflect': d c b a | a b c d | d c b a
    assertThat(ImageOps.reflect(-1, 4)).isZero();
    assertThat(ImageOps.reflect(-2, 4)).isEqualTo(1);
    assertThat(ImageOps.reflect(4, 4)).isEqualTo(3);
    assertThat(ImageOps.reflect(9, 4)).isEqualTo(1);
  }

  @Test
  void binaryBlurEqualsFloatBlur() {
    SplittableRandom r = new SplittableRandom(5);
    for (int[] hw : new int[][] {{17, 29}, {64, 64}, {5, 70}}) {
      int h = hw[0];
      int w = hw[1];
      long[] bits = new long[(h * w + 63) / 64];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = r.nextLong();
      }
      float[] f = new float[h * w];
      for (int i = 0; i < f.length; i++) {
        f[i] = (bits[i >>> 6] >>> (i & 63) & 1L) == 1L ? 1f : 0f;
      }
      for (double sigma : new double[] {4, 7}) {
        float[] k = ImageOps.gaussianKernel(sigma);
        float[] a = ImageOps.gaussianBlur(f, h, w, k);
        float[] b = ImageOps.gaussianBlurBinary(bits, h, w, k, ImageOps.binaryTables(k));
        for (int i = 0; i < a.length; i++) {
          assertThat(b[i])
              .as("pixel %d of %dx%d, sigma %s", i, w, h, sigma)
              .isCloseTo(a[i], within(1e-5f));
        }
      }
    }
  }

  @Test
  void holeFillingFillsEnclosedMinimaOnly() {
    // a ring of 1 with a 0 inside, and a 0 gap touching the border
    float[] f = {
      0, 0, 0, 0, 0,
      0, 1, 1, 1, 0,
      0, 1, 0, 1, 0,
      0, 1, 1, 1, 0,
      0, 0, 0, 0, 0
    };
    float[] r = Labeller.fillHoles(f, 5, 5);
    assertThat(r[12]).isEqualTo(1f);
    assertThat(r[0]).isZero();
    assertThat(r[6]).isEqualTo(1f);
    float[] open = f.clone();
    open[7] = 0; // break the ring at the top: the centre now connects to the border (8-connected)
    assertThat(Labeller.fillHoles(open, 5, 5)[12]).isZero();
  }

  @Test
  void perlinShapesFillAtLeastTwentyPercent() {
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 50; i++) {
      Patch p = PerlinShape.make(r, 20, 60, 20, 60, "test");
      assertThat(p.count()).isGreaterThanOrEqualTo((int) Math.ceil(0.2 * p.h * p.w));
      assertThat(p.h).isBetween(20, 59);
    }
  }

  @Test
  void separableMinMaxEqualsTheThreeByThreeWindow() {
    SplittableRandom r = new SplittableRandom(6);
    int h = 7;
    int w = 9;
    float[] f = new float[h * w];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) r.nextDouble();
    }
    for (boolean max : new boolean[] {true, false}) {
      float[] out = Labeller.filter3x3(f, h, w, max);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = f[y * w + x];
          for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
            for (int xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
              v = max ? Math.max(v, f[yy * w + xx]) : Math.min(v, f[yy * w + xx]);
            }
          }
          assertThat(out[y * w + x]).isEqualTo(v);
        }
      }
    }
  }

  @Test
  void perlinRedrawsAreBounded() {
    // a 1x1 patch samples the noise at a lattice corner, where it is 0: never inside
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PerlinShape.make(new SplittableRandom(1), 1, 2, 1, 2, "SomeTask"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "SomeTask: no Perlin shape of 1x1 pixels covered 20 % of its patch in 100 "
                + "tries; use larger images");
  }

  @Test
  void hypershapesContainTheirCentreAndRespectUpperBounds() {
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      Patch p = Hypershape.make(r, 45, 134, 45, 134, 224, 224);
      assertThat(p.mask[(p.h / 2) * p.w + p.w / 2]).isTrue();
      assertThat(p.h).isLessThanOrEqualTo(135);
      assertThat(p.w).isLessThanOrEqualTo(135);
    }
  }

  @Test
  void statsPercentilesFollowNumpy() {
    double[] v = {1, 2, 3, 4};
    assertThat(SynthesisStats.percentile(v, 50)).isEqualTo(2.5);
    assertThat(SynthesisStats.percentile(v, 10)).isCloseTo(1.3, within(1e-12));
    assertThat(SynthesisStats.percentile(v, 90)).isCloseTo(3.7, within(1e-12));
  }
}
