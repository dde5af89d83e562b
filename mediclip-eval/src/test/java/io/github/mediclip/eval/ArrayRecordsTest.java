package io.github.mediclip.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.eval.metrics.PrCurve;
import io.github.mediclip.eval.metrics.RocCurve;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public records with array components are values: the arrays given to them, and the arrays
 * they return, are copies (changing one changes nothing in the record), and two records with equal
 * contents are equal, with equal hash codes and the contents in {@code toString}.
 */
class ArrayRecordsTest {

  @Test
  void rocCurveIsAValue() {
    double[] fpr = {0, 0.5, 1};
    double[] tpr = {0, 1, 1};
    double[] thr = {Double.POSITIVE_INFINITY, 0.7, 0.1};
    RocCurve c = new RocCurve(fpr, tpr, thr);
    fpr[1] = 9;
    c.tpr()[1] = 9;
    c.thresholds()[1] = 9;
    assertThat(c.fpr()).containsExactly(0, 0.5, 1);
    assertThat(c.tpr()).containsExactly(0, 1, 1);
    assertThat(c.thresholds()).containsExactly(Double.POSITIVE_INFINITY, 0.7, 0.1);
    RocCurve same = new RocCurve(new double[] {0, 0.5, 1}, new double[] {0, 1, 1}, c.thresholds());
    assertThat(same).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(new RocCurve(new double[] {0, 0.4, 1}, c.tpr(), c.thresholds())).isNotEqualTo(c);
    assertThat(c.toString()).contains("fpr=[0.0, 0.5, 1.0]");
  }

  @Test
  void prCurveIsAValue() {
    double[] p = {0.5, 1, 1};
    double[] r = {1, 0.5, 0};
    double[] t = {0.1, 0.7};
    PrCurve c = new PrCurve(p, r, t);
    p[0] = 9;
    c.recall()[0] = 9;
    c.thresholds()[0] = 9;
    assertThat(c.precision()).containsExactly(0.5, 1, 1);
    assertThat(c.recall()).containsExactly(1, 0.5, 0);
    assertThat(c.thresholds()).containsExactly(0.1, 0.7);
    PrCurve same =
        new PrCurve(new double[] {0.5, 1, 1}, new double[] {1, 0.5, 0}, new double[] {0.1, 0.7});
    assertThat(same).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(new PrCurve(c.precision(), c.recall(), new double[] {0.2, 0.7})).isNotEqualTo(c);
  }

  @Test
  void evaluationResultIsAValue() {
    double[] scores = {0.2, 0.9};
    int[] labels = {0, 1};
    EvaluationResult e = result(scores, labels);
    scores[0] = 9;
    labels[0] = 1;
    e.scores()[1] = 9;
    e.labels()[1] = 0;
    assertThat(e.scores()).containsExactly(0.2, 0.9);
    assertThat(e.labels()).containsExactly(0, 1);
    EvaluationResult same = result(new double[] {0.2, 0.9}, new int[] {0, 1});
    assertThat(same).isEqualTo(e).hasSameHashCodeAs(e);
    assertThat(result(new double[] {0.3, 0.9}, new int[] {0, 1})).isNotEqualTo(e);
  }

  private static EvaluationResult result(double[] scores, int[] labels) {
    return new EvaluationResult(
        "d", List.of(), scores, labels, null, null, null, Double.NaN, "no masks", 1.5, null);
  }

  @Test
  void volumeResultIsAValue() {
    double[] s = {0.1, 0.8};
    int[] l = {0, 1};
    VolumeEvaluation.VolumeResult v = new VolumeEvaluation.VolumeResult("v1", 0.8, 1, "ct", s, l);
    s[0] = 9;
    l[0] = 1;
    v.sliceScores()[1] = 9;
    v.sliceLabels()[1] = 0;
    assertThat(v.sliceScores()).containsExactly(0.1, 0.8);
    assertThat(v.sliceLabels()).containsExactly(0, 1);
    VolumeEvaluation.VolumeResult same =
        new VolumeEvaluation.VolumeResult(
            "v1", 0.8, 1, "ct", new double[] {0.1, 0.8}, new int[] {0, 1});
    assertThat(same).isEqualTo(v).hasSameHashCodeAs(v);
    assertThat(new VolumeEvaluation.VolumeResult("v1", 0.8, 1, "ct", new double[] {0.1, 0.7}, l))
        .isNotEqualTo(v);
    assertThat(v.toString()).contains("sliceScores=[0.1, 0.8]", "sliceLabels=[0, 1]");
    // The volume evaluation holding it compares by content too.
    assertThat(new VolumeEvaluation(1, 2, 1, 1, 1, 1, 1, Double.NaN, "max", List.of(same)))
        .isEqualTo(new VolumeEvaluation(1, 2, 1, 1, 1, 1, 1, Double.NaN, "max", List.of(v)));
  }

  @Test
  void volumeResultArraysMustAlign() {
    assertThatThrownBy(
            () ->
                new VolumeEvaluation.VolumeResult(
                    "v1", 0.8, 1, "ct", new double[] {0.1, 0.8}, new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("volume v1: 2 slice scores but 1 slice labels");
  }
}
