package io.github.mediclip.bench.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuBenchArgsTest {

  @Test
  void givenOptionsOverrideDefaultsAndOthersKeepThem() {
    Map<String, String> a =
        GpuBenchArgs.parse(
            new String[] {"--batches", "1,64"}, "model", "ViT-L-14", "batches", "1,8,64");
    assertThat(a).containsEntry("model", "ViT-L-14").containsEntry("batches", "1,64");
    assertThat(GpuBenchArgs.ints(a.get("batches"))).containsExactly(1, 64);
  }

  @Test
  void unknownOptionIsNamedWithTheKnownOnes() {
    assertThatThrownBy(
            () -> GpuBenchArgs.parse(new String[] {"--batch", "8"}, "model", "x", "batches", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option '--batch'; options: --model --batches");
  }

  @Test
  void optionWithoutValueIsAnError() {
    assertThatThrownBy(() -> GpuBenchArgs.parse(new String[] {"--model"}, "model", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option --model needs a value");
  }

  @Test
  void devicesAreParsedAndBadOnesRejected() {
    assertThat(GpuBenchArgs.device("cpu")).isEqualTo(Device.cpu());
    assertThat(GpuBenchArgs.device("gpu")).isEqualTo(Device.gpu());
    assertThat(GpuBenchArgs.device("gpu:1")).isEqualTo(Device.gpu(1));
    assertThatThrownBy(() -> GpuBenchArgs.device("cuda"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--device must be cpu, gpu or gpu:N, got 'cuda'");
  }
}
