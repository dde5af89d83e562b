package io.github.mediclip.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.clip.ClipConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchArgsTest {

  @Test
  void givenOptionsOverrideDefaultsAndOthersKeepThem() {
    Map<String, String> a =
        BenchArgs.parse(
            new String[] {"--batches", "1,64"}, "model", "ViT-L-14", "batches", "1,8,64");
    assertThat(a).containsEntry("model", "ViT-L-14").containsEntry("batches", "1,64");
    assertThat(BenchArgs.ints(a.get("batches"))).containsExactly(1, 64);
  }

  @Test
  void anOptionWithoutDefaultIsNullUntilGiven() {
    assertThat(BenchArgs.parse(new String[0], "profile", null)).containsEntry("profile", null);
    assertThat(BenchArgs.parse(new String[] {"--profile", "p"}, "profile", null))
        .containsEntry("profile", "p");
  }

  @Test
  void unknownOptionIsNamedWithTheKnownOnes() {
    assertThatThrownBy(
            () -> BenchArgs.parse(new String[] {"--batch", "8"}, "model", "x", "batches", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option '--batch'; options: --model --batches");
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"8"}, "model", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option '8'; options: --model");
  }

  @Test
  void optionWithoutValueIsAnError() {
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--model"}, "model", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option --model needs a value");
  }

  @Test
  void mediclipLayersAreHalfThreeQuartersAndLast() {
    assertThat(BenchArgs.mediclipLayers(ClipConfig.preset("ViT-L-14"))).containsExactly(12, 18, 24);
    assertThat(BenchArgs.mediclipLayers(ClipConfig.preset("ViT-B-16"))).containsExactly(6, 9, 12);
  }
}
