package io.github.mediclip.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PixelMetricsTest {

  @Test
  void handComputedAupro() {
    // one 4x1 map, one region of 2 pixels: points (0,0) (0,.5) (.5,.5) (.5,1) (1,1); up to 0.3 the
    // area is
    // 0.3 * 0.5, normalised 0.5
    PixelMetrics pm = new PixelMetrics();
    pm.add(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new byte[] {0, 0, 1, 1}, 4, 1);
    assertThat(pm.aupro()).isCloseTo(0.5, within(1e-15));
    assertThat(pm.aupro(1.0)).isCloseTo(0.75, within(1e-15));
    assertThat(pm.auroc()).isEqualTo(0.75);
    assertThat(pm.averagePrecision()).isCloseTo(0.8333333333333333, within(1e-15));
    assertThat(pm.regionCount()).isEqualTo(1);
  }

  @Test
  void connectivityDecidesTheRegions() {
    byte[] diagonal = {1, 0, 0, 1};
    int[] labels = new int[4];
    assertThat(ConnectedComponents.label(diagonal, 2, 2, 8, labels)).isEqualTo(1);
    assertThat(ConnectedComponents.label(diagonal, 2, 2, 4, labels)).isEqualTo(2);
    assertThat(labels).containsExactly(1, 0, 0, 2);
  }

  @ParameterizedTest
  @CsvSource({"1, 8, 0.3", "2, 8, 0.3", "3, 4, 0.3", "4, 8, 0.05", "5, 4, 1.0", "6, 8, 0.7"})
  void randomMapsEqualTheReference(long seed, int connectivity, double limit) {
    SplittableRandom random = new SplittableRandom(seed);
    int w = 13;
    int h = 11;
    List<float[]> maps = new ArrayList<>();
    List<boolean[]> masks = new ArrayList<>();
    PixelMetrics pm = new PixelMetrics(connectivity);
    int total = 0;
    for (int m = 0; m < 4; m++) {
      float[] map = new float[w * h];
      boolean[] mask = new boolean[w * h];
      byte[] bytes = new byte[w * h];
      for (int i = 0; i < map.length; i++) {
        mask[i] = m > 0 && random.nextDouble() < 0.2; // image 0 is normal
        bytes[i] = (byte) (mask[i] ? (m == 2 ? -1 : 1) : 0); // 255 or 1 both mean anomalous
        map[i] = random.nextInt(25) / 25f + (mask[i] ? 0.15f * random.nextInt(3) : 0f);
      }
      maps.add(map);
      masks.add(mask);
      pm.add(map, bytes, w, h);
      total += map.length;
    }
    double[] flatScores = new double[total];
    int[] flatLabels = new int[total];
    int k = 0;
    for (int m = 0; m < maps.size(); m++) {
      for (int i = 0; i < w * h; i++) {
        flatScores[k] = maps.get(m)[i];
        flatLabels[k++] = masks.get(m)[i] ? 1 : 0;
      }
    }
    assertThat(pm.auroc()).isEqualTo(Metrics.auroc(flatScores, flatLabels));
    assertThat(pm.auroc()).isCloseTo(ReferenceMetrics.auroc(flatScores, flatLabels), within(1e-9));
    assertThat(pm.averagePrecision())
        .isCloseTo(ReferenceMetrics.averagePrecision(flatScores, flatLabels), within(1e-9));
    assertThat(pm.f1Max()).isCloseTo(ReferenceMetrics.f1Max(flatScores, flatLabels), within(1e-12));
    assertThat(pm.aupro(limit))
        .isCloseTo(ReferenceMetrics.aupro(maps, masks, w, h, limit, connectivity), within(1e-9));
    assertThat(pm.rocCurve().area()).isCloseTo(pm.auroc(), within(1e-12));
    assertThat(pm.pixelCount()).isEqualTo(total);
  }

  @Test
  void radixSortHandlesNegativeAndSpecialValues() {
    float[] values = {
      3f, -1f, 0f, -0f, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, -1e-30f, Float.MIN_VALUE, 2.5f
    };
    int[] keys = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      keys[i] = FloatKeys.key(values[i]);
    }
    FloatKeys.sort(keys, keys.length, new int[keys.length]);
    float[] back = new float[keys.length];
    for (int i = 0; i < keys.length; i++) {
      back[i] = FloatKeys.value(keys[i]);
    }
    float[] expected = values.clone();
    for (int i = 0; i < expected.length; i++) {
      expected[i] += 0.0f;
    }
    Arrays.sort(expected);
    assertThat(back).containsExactly(expected);
  }

  @Test
  void largeRandomMapsMatchTheDoublePath() {
    SplittableRandom random = new SplittableRandom(3);
    PixelMetrics pm = new PixelMetrics();
    int n = 64 * 64;
    double[] flat = new double[n * 5];
    int[] labels = new int[n * 5];
    for (int m = 0; m < 5; m++) {
      float[] map = new float[n];
      byte[] mask = new byte[n];
      for (int i = 0; i < n; i++) {
        int x = i % 64;
        int y = i / 64;
        boolean in = (x - 20 - m) * (x - 20 - m) + (y - 30) * (y - 30) < 80;
        mask[i] = (byte) (in ? 1 : 0);
        map[i] = (float) (random.nextGaussian() * 3 + (in ? 2 : 0));
        flat[m * n + i] = map[i];
        labels[m * n + i] = in ? 1 : 0;
      }
      pm.add(map, mask, 64, 64);
    }
    assertThat(pm.auroc()).isEqualTo(Metrics.auroc(flat, labels));
    assertThat(pm.averagePrecision())
        .isCloseTo(Metrics.averagePrecision(flat, labels), within(1e-12));
    assertThat(pm.aupro()).isBetween(0.0, 1.0);
    // the plotting subsample keeps points of the exact curve and its ends
    RocCurve full = pm.rocCurve();
    RocCurve small = pm.rocCurve(100);
    assertThat(small.size()).isBetween(10, 103);
    assertThat(small.fpr()[small.size() - 1]).isEqualTo(1.0);
    assertThat(small.area()).isCloseTo(full.area(), within(0.01));
    java.util.Map<Double, Double> tprAt = new java.util.HashMap<>();
    RocCurve all = pm.rocCurve(2 * n * 5);
    for (int i = 0; i < all.size(); i++) {
      tprAt.put(all.thresholds()[i], all.tpr()[i]);
    }
    for (int i = 1; i < small.size(); i++) {
      assertThat(small.tpr()[i]).isEqualTo(tprAt.get(small.thresholds()[i]));
    }
    PrCurve pr = pm.prCurve(50);
    assertThat(pr.recall()[0]).isEqualTo(1.0);
  }

  @Test
  void errorsNameTheProblem() {
    PixelMetrics pm = new PixelMetrics();
    assertThatThrownBy(pm::auroc)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no anomaly maps were added");
    assertThatThrownBy(() -> pm.add(new float[3], new byte[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("map 0 has 3 pixels but its mask has 2");
    assertThatThrownBy(() -> pm.add(new float[] {0, Float.NaN}, new byte[2]))
        .hasMessage("map 0 pixel 1 is NaN; anomaly maps must be finite");
    assertThatThrownBy(() -> pm.add(new float[4], new byte[4], 3, 1))
        .hasMessage("map 0 has 4 pixels but width * height = 3 * 1");
    pm.add(new float[] {0.1f, 0.2f}, new byte[] {0, 0});
    assertThatThrownBy(pm::auroc)
        .hasMessageStartingWith(
            "only one class is present in the pixel masks (0 anomalous," + " 2 normal)");
    pm.add(new float[] {0.15f, 0.15f}, new byte[] {0, 1}, 2, 1);
    // the anomalous 0.15 beats 0.1, loses to 0.2 and ties with the normal 0.15: (1 + 0 + 0.5) / 3
    assertThat(pm.auroc()).isEqualTo(0.5);
    assertThatThrownBy(pm::aupro)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "map 0 was added without width and height; AUPRO needs add(map, mask, width, height) for every"
                + " map");
    assertThatThrownBy(() -> new PixelMetrics(6))
        .hasMessage("connectivity is 6; it must be 4 or 8");
  }
}
