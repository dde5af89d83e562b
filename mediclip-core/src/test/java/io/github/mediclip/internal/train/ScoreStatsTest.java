package io.github.mediclip.internal.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The small exact metrics of the trainer against brute-force definitions. */
class ScoreStatsTest {

  /** O(n^2) Mann-Whitney: P(s+ > s-) + 0.5 P(s+ == s-). */
  private static double bruteAuroc(double[] s, boolean[] y) {
    double num = 0;
    long pairs = 0;
    for (int i = 0; i < s.length; i++) {
      for (int j = 0; j < s.length; j++) {
        if (y[i] && !y[j]) {
          pairs++;
          num += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
        }
      }
    }
    return num / pairs;
  }

  @Test
  void aurocMatchesBruteForceWithTies() {
    SplittableRandom r = new SplittableRandom(1);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + r.nextInt(60);
      double[] s = new double[n];
      boolean[] y = new boolean[n];
      y[0] = true;
      for (int i = 0; i < n; i++) {
        s[i] = r.nextInt(8) / 8.0; // many ties
        if (i > 1) {
          y[i] = r.nextBoolean();
        }
      }
      assertThat(ScoreStats.auroc(s, y)).isCloseTo(bruteAuroc(s, y), within(1e-12));
    }
  }

  @Test
  void aurocOfScikitLearnDocExample() {
    // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    assertThat(
            ScoreStats.auroc(
                new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}))
        .isEqualTo(0.75);
    assertThat(ScoreStats.auroc(new double[] {1, 2}, new boolean[] {true, true})).isNaN();
  }

  @Test
  void splitKeepsTheOrderWithinEachClass() {
    float[] v = {0.5f, 0.1f, 0.9f, 0.3f, 0.7f};
    boolean[] y = {false, true, true, false, true};
    ScoreStats.Split s = ScoreStats.split(y, i -> v[i]);
    assertThat(s.pos()).containsExactly(0.1f, 0.9f, 0.7f);
    assertThat(s.neg()).containsExactly(0.5f, 0.3f);
    assertThat(ScoreStats.split(new boolean[0], i -> v[i]).pos()).isEmpty();
  }
}
