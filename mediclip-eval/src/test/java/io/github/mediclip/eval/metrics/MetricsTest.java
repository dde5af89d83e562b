package io.github.mediclip.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsTest {

  private static final double[] DOC_SCORES = {0.1, 0.4, 0.35, 0.8};
  private static final int[] DOC_LABELS = {0, 0, 1, 1};

  @Test
  void scikitLearnDocstringValues() {
    // sklearn.metrics.roc_auc_score / average_precision_score docstring examples
    assertThat(Metrics.auroc(DOC_SCORES, DOC_LABELS)).isEqualTo(0.75);
    assertThat(Metrics.averagePrecision(DOC_SCORES, DOC_LABELS))
        .isCloseTo(0.8333333333333333, within(1e-15));
  }

  @Test
  void rocCurveMatchesScikitLearnDocstring() {
    // sklearn.metrics.roc_curve docstring: fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1],
    // thresholds [inf, 0.8, 0.4, 0.35, 0.1]
    RocCurve roc = Metrics.rocCurve(DOC_SCORES, DOC_LABELS);
    assertThat(roc.fpr()).containsExactly(0, 0, 0.5, 0.5, 1);
    assertThat(roc.tpr()).containsExactly(0, 0.5, 0.5, 1, 1);
    assertThat(roc.thresholds()).containsExactly(Double.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1);
    assertThat(roc.area()).isEqualTo(0.75);
  }

  @Test
  void prCurveMatchesScikitLearnDocstring() {
    // sklearn.metrics.precision_recall_curve docstring: precision [0.5, 0.66666667, 0.5, 1, 1],
    // recall [1, 1, 0.5, 0.5, 0], thresholds [0.1, 0.35, 0.4, 0.8]
    PrCurve pr = Metrics.prCurve(DOC_SCORES, DOC_LABELS);
    assertThat(pr.precision())
        .containsExactly(new double[] {0.5, 2.0 / 3, 0.5, 1, 1}, within(1e-15));
    assertThat(pr.recall()).containsExactly(1, 1, 0.5, 0.5, 0);
    assertThat(pr.thresholds()).containsExactly(0.1, 0.35, 0.4, 0.8);
    assertThat(pr.averagePrecision())
        .isCloseTo(Metrics.averagePrecision(DOC_SCORES, DOC_LABELS), within(1e-15));
  }

  @Test
  void tiesCountHalf() {
    // one normal and one anomalous sample with the same score: AUROC 0.5; AP = precision 0.5 at
    // recall 1
    assertThat(Metrics.auroc(new double[] {0.3, 0.3}, new int[] {0, 1})).isEqualTo(0.5);
    assertThat(Metrics.averagePrecision(new double[] {0.3, 0.3}, new int[] {0, 1})).isEqualTo(0.5);
    // -0.0 and 0.0 are the same threshold
    assertThat(Metrics.auroc(new double[] {-0.0, 0.0}, new int[] {0, 1})).isEqualTo(0.5);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void randomInputsWithTiesEqualTheReference(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = 50 + random.nextInt(400);
    int levels = 2 + random.nextInt(40); // few distinct values -> many ties
    double[] s = new double[n];
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = random.nextDouble() < 0.3 ? 1 : 0;
      s[i] = random.nextInt(levels) / (double) levels + 0.1 * l[i] * random.nextInt(2);
    }
    l[0] = 0;
    l[1] = 1;
    double reference = ReferenceMetrics.auroc(s, l);
    assertThat(Metrics.auroc(s, l)).isCloseTo(reference, within(1e-9));
    assertThat(Metrics.auroc(s, l)).isCloseTo(ReferenceMetrics.aurocPairs(s, l), within(1e-12));
    assertThat(Metrics.averagePrecision(s, l))
        .isCloseTo(ReferenceMetrics.averagePrecision(s, l), within(1e-9));
    assertThat(Metrics.f1Max(s, l)).isCloseTo(ReferenceMetrics.f1Max(s, l), within(1e-12));
    assertThat(Metrics.rocCurve(s, l).area()).isCloseTo(reference, within(1e-9));
    assertThat(Metrics.rocCurve(s, l, false).area()).isCloseTo(reference, within(1e-9));
    assertThat(Metrics.prCurve(s, l).averagePrecision())
        .isCloseTo(Metrics.averagePrecision(s, l), within(1e-12));
    BinaryMetrics all = Metrics.evaluate(s, l);
    assertThat(all.auroc()).isEqualTo(Metrics.auroc(s, l));
    assertThat(all.positives() + all.negatives()).isEqualTo(n);
  }

  @Test
  void continuousScoresEqualTheReference() {
    SplittableRandom random = new SplittableRandom(42);
    double[] s = new double[300];
    int[] l = new int[300];
    for (int i = 0; i < s.length; i++) {
      l[i] = i % 3 == 0 ? 1 : 0;
      s[i] = random.nextGaussian() + l[i];
    }
    assertThat(Metrics.auroc(s, l)).isCloseTo(ReferenceMetrics.auroc(s, l), within(1e-9));
    assertThat(Metrics.averagePrecision(s, l))
        .isCloseTo(ReferenceMetrics.averagePrecision(s, l), within(1e-9));
  }

  @Test
  void dropIntermediateKeepsOnlyCorners() {
    // scores 4,3,2,1 with labels 1,1,0,0: points (0,.5) (0,1) (.5,1) (1,1); scikit-learn always
    // keeps the first
    // and last point and drops (.5,1), which lies between (0,1) and (1,1)
    double[] s = {4, 3, 2, 1};
    int[] l = {1, 1, 0, 0};
    RocCurve roc = Metrics.rocCurve(s, l);
    assertThat(roc.fpr()).containsExactly(0, 0, 0, 1);
    assertThat(roc.tpr()).containsExactly(0, 0.5, 1, 1);
    assertThat(roc.thresholds()).containsExactly(Double.POSITIVE_INFINITY, 4, 3, 1);
    assertThat(Metrics.rocCurve(s, l, false).size()).isEqualTo(5);
  }

  @Test
  void bestF1ReportsItsThreshold() {
    F1Max f1 = Metrics.bestF1(DOC_SCORES, DOC_LABELS);
    // threshold 0.8: P=1, R=0.5 -> F1 2/3; threshold 0.35: P 2/3, R 1 -> F1 0.8
    assertThat(f1.f1()).isCloseTo(0.8, within(1e-15));
    assertThat(f1.threshold()).isEqualTo(0.35);
    assertThat(f1.precision()).isCloseTo(2.0 / 3, within(1e-15));
    assertThat(f1.recall()).isEqualTo(1.0);
  }

  @Test
  void singleClassIsAClearError() {
    assertThatThrownBy(() -> Metrics.auroc(new double[] {0.1, 0.2}, new int[] {0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "only one class is present in labels (0 anomalous, 2 normal); AUROC, average precision and"
                + " F1 need both normal and anomalous samples");
    assertThatThrownBy(() -> Metrics.averagePrecision(new double[] {0.1}, new int[] {1}))
        .hasMessageStartingWith("only one class is present in labels (1 anomalous, 0 normal)");
  }

  @Test
  void badInputsAreClearErrors() {
    assertThatThrownBy(() -> Metrics.auroc(new double[] {0.1, Double.NaN}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "scores[1] is NaN; scores must be finite (check the detector output or the score"
                + " normalisation)");
    assertThatThrownBy(() -> Metrics.auroc(new double[] {0.1, 0.2, 0.3}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scores and labels differ in length: scores has 3 entries, labels has 2");
    assertThatThrownBy(() -> Metrics.auroc(new double[] {0.1, 0.2}, new int[] {0, 2}))
        .hasMessage("labels[1] is 2; labels must be 0 (normal) or 1 (anomalous)");
    assertThatThrownBy(() -> Metrics.auroc(new double[0], new int[0]))
        .hasMessageStartingWith("scores and labels are empty");
    assertThatThrownBy(() -> Metrics.auroc(null, new int[0]))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scores");
  }

  @Test
  void bootstrapIsDeterministicPerSeedAndBracketsTheEstimate() {
    SplittableRandom random = new SplittableRandom(7);
    double[] s = new double[120];
    int[] l = new int[120];
    for (int i = 0; i < s.length; i++) {
      l[i] = i % 2;
      s[i] = random.nextGaussian() + 1.2 * l[i];
    }
    ConfidenceInterval a = Bootstrap.confidenceInterval(s, l, Metrics::auroc, 200, 0.95, 11);
    ConfidenceInterval b = Bootstrap.confidenceInterval(s, l, Metrics::auroc, 200, 0.95, 11);
    ConfidenceInterval c = Bootstrap.confidenceInterval(s, l, Metrics::auroc, 200, 0.95, 12);
    assertThat(a).isEqualTo(b);
    assertThat(c.lower()).isNotEqualTo(a.lower());
    assertThat(a.estimate()).isEqualTo(Metrics.auroc(s, l));
    assertThat(a.lower()).isLessThan(a.estimate()).isGreaterThan(0.5);
    assertThat(a.upper()).isGreaterThan(a.estimate()).isLessThanOrEqualTo(1.0);
    assertThat(a.resamples() + a.skipped()).isEqualTo(200);
  }

  @Test
  void percentileIsNumpyLinear() {
    double[] v = {1, 2, 3, 4};
    assertThat(Bootstrap.percentile(v, 0.5)).isEqualTo(2.5); // np.percentile([1,2,3,4], 50)
    assertThat(Bootstrap.percentile(v, 0.025)).isCloseTo(1.075, within(1e-12));
  }

  @Test
  void formattingIgnoresTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      ConfidenceInterval ci = new ConfidenceInterval(0.5, 0.25, 0.75, 0.95, 100, 0, 1);
      assertThat(ci.toString()).startsWith("0.5000 [0.2500, 0.7500]");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void theSharedAurocKernelAgreesBitForBitWithTheSweepAndRejectsAnEmptyClass() {
    SplittableRandom r = new SplittableRandom(7);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + r.nextInt(300);
      double[] s = new double[n];
      int[] l = new int[n];
      for (int i = 0; i < n; i++) {
        s[i] = r.nextInt(20) / 4.0; // many ties
        l[i] = i < 1 ? 0 : i < 2 ? 1 : r.nextInt(2);
      }
      assertThat(Metrics.auroc(s, l)).isEqualTo(Metrics.evaluate(s, l).auroc());
    }
    assertThatThrownBy(
            () ->
                io.github.mediclip.internal.metrics.Auroc.exact(
                    new double[0], 0, new double[] {1}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "AUROC needs at least one positive and one negative sample; got 0 positive and 1 negative");
  }
}
