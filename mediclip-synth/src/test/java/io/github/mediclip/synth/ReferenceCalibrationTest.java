package io.github.mediclip.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mediclip.synth.testing.SynthesizerContract;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mask-area calibration against the Python reference (MediCLIP's medsyn tasks, 224×224
 * brain-MRI-like images, 500 samples per task; figures from the synthesis issue): p10 / p50 / p90
 * of the mask area within ±0.03, empty share within ±0.06. 200 samples here to keep the test short;
 * the benchmark {@code SynthesisBench} uses 500.
 */
class ReferenceCalibrationTest {

  private static final List<GrayImage> IMAGES = SynthesizerContract.sampleImages(6, 224, 224, 77);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "CutpasteTask, 0.015, 0.053, 0.125, 0.0",
    "GaussIntensityChangeTask, 0.066, 0.154, 0.283, 0.0",
    "SmoothIntensityTask, 0.063, 0.153, 0.271, 0.0",
    "SourceTask, 0.039, 0.081, 0.151, 0.0",
    "SinkTask, 0.037, 0.078, 0.141, 0.0",
    "IdentityTask, 0, 0, 0, 1.0",
    "mixture, 0, 0.060, 0.173, 0.22"
  })
  void maskAreaPercentilesMatchTheReference(
      String name, double p10, double p50, double p90, double empty) {
    AnomalySynthesizer s =
        name.equals("mixture") ? SynthesisMixture.reference() : Synthesizers.create(name);
    SynthesisStats.Stats st = SynthesisStats.measure(s, IMAGES, 200, 2024);
    assertThat(st.p10()).as("p10").isCloseTo(p10, within(0.03));
    assertThat(st.p50()).as("p50").isCloseTo(p50, within(0.03));
    assertThat(st.p90()).as("p90").isCloseTo(p90, within(0.03));
    assertThat(st.emptyShare()).as("empty share").isCloseTo(empty, within(0.06));
  }
}
