package io.github.mediclip.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Proves that the PyTorch engine starts offline and runs a forward and backward pass on CPU. */
class EngineSmokeTest {

  @Test
  void pytorchEngineRunsForwardAndBackwardOffline() {
    Engine engine = Engine.getEngine("PyTorch");
    assertThat(engine.getVersion()).startsWith("2.7.1");
    try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      NDArray w = manager.create(new float[] {1f, -2f, 3f}, new Shape(3));
      w.setRequiresGradient(true);
      NDArray x = manager.create(new float[] {0.5f, 0.25f, 2f}, new Shape(3));
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray y = w.mul(x).sum().square(); // (w·x)^2
        gc.backward(y);
      }
      // d/dw (w·x)^2 = 2 (w·x) x, w·x = 0.5 - 0.5 + 6 = 6
      assertThat(w.getGradient().toFloatArray()).containsExactly(6f, 3f, 24f);
    }
  }
}
