package io.github.mediclip.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SynthesisMixtureTest {

  @Test
  void referenceMixture() {
    SynthesisMixture m = SynthesisMixture.reference();
    assertThat(m.weights())
        .containsExactly(
            Map.entry("CutpasteTask", 0.25),
            Map.entry("GaussIntensityChangeTask", 0.25),
            Map.entry("SourceTask", 0.25),
            Map.entry("IdentityTask", 0.25));
    assertThat(m.toString())
        .isEqualTo(
            "CutpasteTask:0.25,GaussIntensityChangeTask:0.25,SourceTask:0.25,IdentityTask:0.25");
    assertThat(SynthesisMixture.parse(m.toString()).weights()).isEqualTo(m.weights());
  }

  @Test
  void parseAcceptsYamlLikeSpecs() {
    SynthesisMixture m = SynthesisMixture.parse("CutpasteTask: 0.25\nIdentityTask: 0.75");
    assertThat(m.weights())
        .containsExactly(Map.entry("CutpasteTask", 0.25), Map.entry("IdentityTask", 0.75));
    assertThat(SynthesisMixture.parse("{SinkTask=1}").names()).containsExactly("SinkTask");
  }

  @Test
  void drawsProportionallyToWeights() {
    SynthesisMixture m = SynthesisMixture.parse("SinkTask:1,IdentityTask:3");
    SplittableRandom r = new SplittableRandom(4);
    int[] counts = new int[2];
    for (int i = 0; i < 40_000; i++) {
      counts[m.draw(r)]++;
    }
    // binomial sd = sqrt(40000 * 0.25 * 0.75) = 87; 5 sd
    assertThat(counts[0]).isBetween(10_000 - 435, 10_000 + 435);
    SynthesisMixture zeroWeight = SynthesisMixture.parse("SinkTask:0,IdentityTask:2");
    for (int i = 0; i < 1000; i++) {
      assertThat(zeroWeight.draw(r)).isEqualTo(1);
    }
  }

  @Test
  void badWeightsAndNames() {
    assertThatThrownBy(() -> SynthesisMixture.parse("CutpasteTask:-0.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight of 'CutpasteTask' must be finite and >= 0, but was -0.5");
    assertThatThrownBy(() -> SynthesisMixture.parse("CutpasteTask:NaN"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight of 'CutpasteTask' must be finite and >= 0, but was NaN");
    assertThatThrownBy(() -> SynthesisMixture.parse("CutpasteTask:0,IdentityTask:0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "weights must sum to more than 0, but sum to 0.0 for [CutpasteTask, IdentityTask]");
    assertThatThrownBy(() -> SynthesisMixture.parse("CutpasteTask:abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weight of 'CutpasteTask' is not a number: 'abc'");
    assertThatThrownBy(() -> SynthesisMixture.parse("CutpasteTask"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed mixture entry 'CutpasteTask'");
    assertThatThrownBy(() -> SynthesisMixture.parse("Nope:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown synthesizer name 'Nope'");
    assertThatThrownBy(() -> SynthesisMixture.parse("SinkTask:1,SinkTask:2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 'SinkTask' was already added to the mixture");
    assertThatThrownBy(() -> SynthesisMixture.builder().build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void customSynthesizersAreValidated() {
    AnomalySynthesizer broken =
        (img, r, s) -> new SynthesizedSample(img, GrayImage.filled(img.width(), img.height(), 2f));
    SynthesisMixture m = SynthesisMixture.builder().add("broken", broken, 1).build();
    GrayImage img = GrayImage.filled(8, 8, 10f);
    assertThatThrownBy(() -> m.synthesize(img, new SplittableRandom(1), List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned a mask value 2.0 at (x=0, y=0); masks must be in [0, 1]")
        .hasMessageContaining(SynthesisMixtureTest.class.getName());
  }
}
