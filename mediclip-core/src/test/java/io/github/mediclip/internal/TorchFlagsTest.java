package io.github.mediclip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The libtorch flags set at engine start (the warning itself: FirstHourTest). */
class TorchFlagsTest {

  @Test
  void nnpackIsOffOnceTheEngineIsLoaded() {
    PyTorchEngines.get();
    assertThat(TorchFlags.nnpackStatus()).isEqualTo("disabled");
  }
}
