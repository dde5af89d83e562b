package io.github.mediclip.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamOptimizer against torch.optim.Adam's update rule, evaluated in double precision. */
class AdamOptimizerTest {

  @Test
  void threeStepsFollowTorchAdamWithBiasCorrection() {
    double lr = 1e-3;
    double b1 = 0.5;
    double b2 = 0.999;
    double eps = 1e-8;
    float[] init = {0.5f, -1.0f, 2.0f, 0.0f};
    float[] c = {1.0f, -3.0f, 0.25f, 2.0f};
    double[] p = new double[init.length];
    double[] mm = new double[init.length];
    double[] vv = new double[init.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = init[i];
    }
    try (NDManager m = NDManager.newBaseManager();
        AdamOptimizer adam = new AdamOptimizer()) {
      NDArray w = m.create(init, new Shape(4));
      w.setRequiresGradient(true);
      NDArray cc = m.create(c, new Shape(4));
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("w", w);
      for (int t = 1; t <= 3; t++) {
        // loss = sum(c * w^2) / 2 -> grad = c * w
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
          gc.backward(w.mul(w).mul(cc).sum().div(2f));
        }
        adam.step(params);
        AdamOptimizer.zeroGradients(params);
        for (int i = 0; i < p.length; i++) {
          double g = c[i] * p[i];
          mm[i] = b1 * mm[i] + (1 - b1) * g;
          vv[i] = b2 * vv[i] + (1 - b2) * g * g;
          double denom = Math.sqrt(vv[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
          p[i] -= lr / (1 - Math.pow(b1, t)) * mm[i] / denom;
        }
        float[] got = w.toFloatArray();
        for (int i = 0; i < p.length; i++) {
          assertThat((double) got[i]).as("step %d element %d", t, i).isCloseTo(p[i], within(1e-6));
        }
      }
      assertThat(adam.stepCount("w")).isEqualTo(3);
      assertThat(w.getGradient().abs().sum().getFloat()).isZero();
    }
  }

  @Test
  void parametersWithoutGradientAreSkipped() {
    try (NDManager m = NDManager.newBaseManager();
        AdamOptimizer adam = new AdamOptimizer()) {
      NDArray frozen = m.create(new float[] {1f, 2f});
      adam.step(Map.of("frozen", frozen));
      assertThat(frozen.toFloatArray()).containsExactly(1f, 2f);
      assertThat(adam.stepCount("frozen")).isZero();
    }
  }

  @Test
  void invalidSettingsAreRejectedWithFieldAndValue() {
    assertThatThrownBy(() -> new AdamOptimizer(0, 0.5, 0.999, 1e-8))
        .hasMessage("learningRate must be > 0 and finite, got: 0.0");
    assertThatThrownBy(() -> new AdamOptimizer(1e-3, 1.0, 0.999, 1e-8))
        .hasMessage("beta1 must be in [0, 1), got: 1.0");
    assertThatThrownBy(() -> new AdamOptimizer(1e-3, 0.5, -0.1, 1e-8))
        .hasMessage("beta2 must be in [0, 1), got: -0.1");
    assertThatThrownBy(() -> new AdamOptimizer(1e-3, 0.5, 0.999, Double.NaN))
        .hasMessage("epsilon must be >= 0 and finite, got: NaN");
    AdamOptimizer d = new AdamOptimizer();
    assertThat(d.learningRate()).isEqualTo(1e-3);
    assertThat(d.beta1()).isEqualTo(0.5);
    assertThat(d.beta2()).isEqualTo(0.999);
    assertThat(d.epsilon()).isEqualTo(1e-8);
  }
}
