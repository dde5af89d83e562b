package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.FitListener;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Training and prediction on a CUDA GPU with the float16 backbone (runs only where DJL's PyTorch
 * engine sees a GPU; skipped elsewhere, never failing for the lack of one).
 */
@Tag("gpu")
@EnabledIf("gpuAvailable")
class GpuTrainingTest {

  static boolean gpuAvailable() {
    try {
      return Engine.getEngine("PyTorch").getGpuCount() > 0;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return false;
    }
  }

  @Test
  void fitsAndPredictsOnGpuWithMixedPrecision() {
    List<GrayImage> normals = TinyData.normals(5, 64, 3);
    MediClip mc =
        MediClip.builder()
            .setRandomBackbone("tiny", 1)
            .optEpochs(2)
            .optShots(4)
            .optPrompts(List.of("normal"), List.of("abnormal"))
            .optDevice(Device.gpu())
            .optMixedPrecision(true)
            .optListener(FitListener.silent())
            .build();
    try (MediClipDetector d = mc.fitGray(normals)) {
      assertThat(d.backbone().device().isGpu()).isTrue();
      assertThat(d.manifest().provenance().device()).startsWith("gpu");
      Prediction p = d.predict(normals.get(4));
      assertThat(p.score()).isBetween(0.0, 1.0);
      assertThat(p.anomalyMap().width()).isEqualTo(64);
    }
  }
}
