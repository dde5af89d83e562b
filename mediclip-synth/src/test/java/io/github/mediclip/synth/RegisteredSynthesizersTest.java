package io.github.mediclip.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.synth.testing.SynthesizerContract;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the contract kit over every registered synthesizer, and checks the registry. */
class RegisteredSynthesizersTest {

  static Stream<String> names() {
    return Synthesizers.names().stream();
  }

  private static final List<GrayImage> IMAGES = SynthesizerContract.sampleImages(5, 64, 56, 3);

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void deterministicPerSeed(String name) {
    SynthesizerContract.checkDeterministic(Synthesizers.create(name), IMAGES, 16);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void parallelEqualsSequential(String name) {
    SynthesizerContract.checkParallelEqualsSequential(Synthesizers.create(name), IMAGES, 16);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void inputsNotMutated(String name) {
    SynthesizerContract.checkInputsNotMutated(Synthesizers.create(name), IMAGES, 8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void shapesAndRanges(String name) {
    SynthesizerContract.checkShapesAndRanges(Synthesizers.create(name), IMAGES, 24);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void rejectsNonFinitePixelsNamingThePosition(String name) {
    float[] p = IMAGES.get(0).toArray();
    p[3 * 64 + 7] = Float.NaN;
    GrayImage bad = GrayImage.of(64, 56, p);
    assertThatThrownBy(
            () ->
                Synthesizers.create(name)
                    .synthesize(bad, new java.util.SplittableRandom(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("normal has a non-finite pixel NaN at (x=7, y=3)");
  }

  @Test
  void registryHasTheSixReferenceNames() {
    assertThat(Synthesizers.names()).containsAll(Synthesizers.referenceNames());
    assertThat(Synthesizers.referenceNames())
        .containsExactly(
            "CutpasteTask",
            "GaussIntensityChangeTask",
            "SmoothIntensityTask",
            "SourceTask",
            "SinkTask",
            "IdentityTask");
    assertThat(Synthesizers.create("CutpasteTask")).isInstanceOf(CutPasteTask.class);
    assertThat(Synthesizers.create(" SinkTask ")).isInstanceOf(SinkDeformationTask.class);
  }

  @Test
  void unknownNameListsAvailableNames() {
    assertThatThrownBy(() -> Synthesizers.create("CutPaste"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown synthesizer name 'CutPaste'; available: ")
        .hasMessageContaining("CutpasteTask, GaussIntensityChangeTask, IdentityTask");
  }

  @Test
  void serviceFileListsEveryBuiltinProvider() throws Exception {
    // the jar must also work on the class path, where only META-INF/services is read
    java.util.Set<String> declared = new java.util.HashSet<>();
    for (SynthesizerProvider p : java.util.ServiceLoader.load(SynthesizerProvider.class)) {
      declared.add(p.name());
    }
    assertThat(declared).containsAll(Synthesizers.referenceNames());
  }
}
