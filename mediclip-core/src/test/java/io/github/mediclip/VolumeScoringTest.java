package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VolumeScoringTest {

  @Test
  void maxAndTopKMean() {
    double[] s = {0.1, 0.9, 0.4, 0.7};
    assertThat(VolumeScoring.max().score(s)).isEqualTo(0.9);
    assertThat(VolumeScoring.topKMean(2).score(s)).isEqualTo((0.9 + 0.7) / 2);
    assertThat(VolumeScoring.topKMean(10).score(s)).isEqualTo((0.1 + 0.4 + 0.7 + 0.9) / 4);
    assertThat(VolumeScoring.parse("top-k-mean:3").spec()).isEqualTo("top-k-mean:3");
    assertThat(VolumeScoring.parse("max")).isEqualTo(VolumeScoring.topKMean(1));
    assertThatThrownBy(() -> VolumeScoring.parse("mean")).hasMessageContaining("top-k-mean:K");
    assertThatThrownBy(() -> VolumeScoring.topKMean(0)).hasMessageContaining("k must be >= 1");
  }
}
