package io.github.mediclip.synth.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesisMixture;
import io.github.mediclip.synth.SynthesizedSample;
import io.github.mediclip.synth.testing.SynthesizerContract;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

// tag::contract[]
/** The documentation's custom synthesizer passes the contract kit. */
class DarkSpotSynthesizerTest extends SynthesizerContract {

  @Override
  protected AnomalySynthesizer synthesizer() {
    return new DarkSpotSynthesizer();
  }

  // end::contract[]

  @Test
  void mixesWithTheBuiltInTasks() {
    // tag::mixture[]
    SynthesisMixture mixture =
        SynthesisMixture.builder()
            .add("CutpasteTask", 0.25)
            .add("GaussIntensityChangeTask", 0.25)
            .add("DarkSpot", new DarkSpotSynthesizer(), 0.25)
            .add("IdentityTask", 0.25)
            .build();
    List<GrayImage> kShot = SynthesizerContract.sampleImages(4, 224, 224, 1);
    SplittableRandom root = new SplittableRandom(42);
    for (int i = 0; i < 8; i++) {
      GrayImage normal = kShot.get(i % 4);
      List<GrayImage> others = kShot.stream().filter(g -> g != normal).toList();
      SynthesizedSample sample = mixture.synthesize(normal, root.split(), others);
      // sample.image(): (H, W) on 0..255; sample.mask(): (H, W) in [0, 1]
      // end::mixture[]
      assertThat(sample.mask().max()).isLessThanOrEqualTo(1f);
    }
    assertThat(mixture.weights()).containsKey("DarkSpot");
  }
}
