package io.github.mediclip.bench.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class GpuBenchArgsTest {

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
