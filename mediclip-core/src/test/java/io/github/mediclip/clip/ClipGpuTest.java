package io.github.mediclip.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * CUDA runs of the towers; skipped where DJL sees no GPU (never fails on a machine without one).
 */
@Tag("gpu")
class ClipGpuTest {

  @BeforeEach
  void requireGpu() {
    Assumptions.assumeTrue(
        Engine.getEngine("PyTorch").getGpuCount() > 0, "SKIPPED: DJL sees no GPU");
  }

  @Test
  void gpuFloat32AndFloat16MatchCpu() {
    ClipConfig cfg = ClipModelTest.SMALL;
    try (NDManager cpu = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> w = ClipWeights.randomInit(cfg, 3L, cpu);
      try (ClipModel ref = ClipModel.fromWeights(cfg, w, Device.cpu());
          ClipModel gpu = ClipModel.fromWeights(cfg, w, Device.gpu());
          ClipModel half =
              ClipModel.loader()
                  .optDevice(Device.gpu())
                  .optDataType(DataType.FLOAT16)
                  .fromWeights(cfg, w)) {
        NDArray img = ClipModelTest.images(cpu, 2, 32, 1);
        NDArray want = ref.encodeImage(img, 2).layers().get(0);
        NDArray got = gpu.encodeImage(img, 2).layers().get(0);
        assertThat(got.getDevice())
            .isEqualTo(Device.cpu()); // results come back to the caller's device
        assertThat(got.sub(want).abs().max().getFloat()).isLessThan(1e-4f);
        NDArray h = half.encodeImage(img, 2).layers().get(0);
        assertThat(h.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(h.sub(want).abs().max().getFloat())
            .isLessThan(0.02f * want.abs().max().getFloat());
        NDArray ids = cpu.create(ClipTokenizer.byteLevel().tokenize("gpu", 16), new Shape(1, 16));
        assertThat(gpu.encodeText(ids).sub(ref.encodeText(ids)).abs().max().getFloat())
            .isLessThan(1e-4f);
      }
    }
  }
}
