package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.train.FitConfig;
import io.github.mediclip.train.LabeledImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Builder validation: each bad value is rejected at once, naming the field and value. */
class MediClipBuilderTest {

  @Test
  void settersRejectBadValuesNamingTheField() {
    MediClip.Builder b = MediClip.builder();
    assertThatThrownBy(() -> b.optEpochs(0)).hasMessage("epochs must be >= 1, got 0");
    assertThatThrownBy(() -> b.optBatchSize(0)).hasMessage("batchSize must be in [1, 1024], got 0");
    assertThatThrownBy(() -> b.optLearningRate(-1))
        .hasMessage("learningRate must be in (0, 1], got -1.0");
    assertThatThrownBy(() -> b.optShots(-2)).hasMessage("shots must be >= 0 (0 = all), got -2");
    assertThatThrownBy(() -> b.optImageSize(8))
        .hasMessage("imageSize must be in [16, 4096], got 8");
    assertThatThrownBy(() -> b.optLayers(0, 2))
        .hasMessage("layers must be >= 1 (1-based), got [0, 2]");
    assertThatThrownBy(() -> b.optLayers(2, 2)).hasMessage("layers must be distinct, got [2, 2]");
    assertThatThrownBy(() -> b.optNCtx(0)).hasMessage("nCtx must be in [1, 32], got 0");
    assertThatThrownBy(() -> b.optPrompts(List.of("ok"), List.of(" ")))
        .hasMessage("abnormalPrompts[0] must not be null or blank, got: ' '");
    assertThatThrownBy(() -> b.setBackbone(Path.of("no/such/folder")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backbone folder does not exist: no/such/folder");
    assertThatThrownBy(() -> b.setRandomBackbone("ViT-X", 1))
        .hasMessageStartingWith("preset: unknown CLIP preset 'ViT-X'; known: ");
  }

  @Test
  void trainingOptionsAreValidatedOnceByFitConfig() {
    // MediClip.Builder delegates its training options to FitConfig.Builder: same rules, same words.
    FitConfig.Builder f = FitConfig.builder();
    assertThatThrownBy(() -> f.optBatchSize(1025))
        .hasMessage("batchSize must be in [1, 1024], got 1025");
    assertThatThrownBy(() -> MediClip.builder().optBatchSize(1025))
        .hasMessage("batchSize must be in [1, 1024], got 1025");
    assertThatThrownBy(() -> f.optLearningRate(2))
        .hasMessage("learningRate must be in (0, 1], got 2.0");
    assertThatThrownBy(() -> f.optShots(-1)).hasMessage("shots must be >= 0 (0 = all), got -1");
    MediClip mc =
        MediClip.builder()
            .setRandomBackbone("tiny", 1)
            .optEpochs(3)
            .optBatchSize(4)
            .optLearningRate(0.5)
            .optShots(2)
            .optSeed(7)
            .optPatience(1)
            .optWorkers(2)
            .optValidationAnomalies(5)
            .optHoldoutValidation(true)
            .build();
    assertThat(mc.fitConfig().toString())
        .isEqualTo(
            FitConfig.builder()
                .optEpochs(3)
                .optBatchSize(4)
                .optLearningRate(0.5)
                .optShots(2)
                .optSeed(7)
                .optPatience(1)
                .optWorkers(2)
                .optValidationAnomalies(5)
                .optHoldoutValidation(true)
                .build()
                .toString());
    // Shot files set k to their number, without touching the builder (build can be called again).
    MediClip.Builder b =
        MediClip.builder()
            .setRandomBackbone("tiny", 1)
            .optShots(List.of(Path.of("a.png"), Path.of("b.png")));
    assertThat(b.build().fitConfig().shots()).isEqualTo(2);
    assertThat(b.optShots(List.of(Path.of("c.png"))).build().fitConfig().shots()).isEqualTo(1);
    assertThatThrownBy(() -> MediClip.builder().optShots(3).optShots(List.of(Path.of("a.png"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("shots: k was already set to 3");
  }

  @Test
  void buildChecksRequiredAndCrossFieldRules() {
    assertThatThrownBy(() -> MediClip.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("backbone is required");
    assertThatThrownBy(
            () -> MediClip.builder().setRandomBackbone("tiny", 1).optLayers(2, 7).build())
        .hasMessage("layers [2, 7]: block 7 exceeds the backbone depth 6");
    assertThatThrownBy(
            () -> MediClip.builder().setRandomBackbone("tiny", 1).optImageSize(60).build())
        .hasMessage("imageSize 60 must be a multiple of the backbone's patch size 8");
    assertThatThrownBy(
            () -> MediClip.builder().setRandomBackbone("tiny", 1).setRandomBackbone("tiny", 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("backbone was already set (random preset tiny); set it only once");
    assertThatThrownBy(
            () ->
                MediClip.builder()
                    .optValidation(List.of())
                    .optLegacyTestSetSelection(List.<LabeledImage>of()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void fitRejectsBadInputsBeforeLoadingAnything(@org.junit.jupiter.api.io.TempDir Path tmp) {
    MediClip mc = MediClip.builder().setRandomBackbone("tiny", 1).build();
    // fit(List.of("scan.png")) no longer compiles: the entry points are typed (Collection<Path>,
    // List<LabeledImage>, fitImages(List<BufferedImage>), fitGray(List<GrayImage>)).
    assertThatThrownBy(() -> mc.fit(List.of(tmp)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "normals[0] is the folder "
                + tmp
                + ", not an image file; pass the image files"
                + " in it (for example from Files.list)");
    assertThatThrownBy(() -> mc.fit(List.<Path>of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("normals must not be empty: give at least one normal image");
    assertThatThrownBy(() -> mc.fit(List.of(Path.of("no-such-image.png"))))
        .hasMessageContaining("no-such-image.png");
  }

  @Test
  void defaultsFollowTheReference() {
    MediClip mc = MediClip.builder().setRandomBackbone("tiny", 1).build();
    assertThat(mc.fitConfig().epochs()).isEqualTo(200);
    assertThat(mc.fitConfig().batchSize()).isEqualTo(8);
    assertThat(mc.fitConfig().learningRate()).isEqualTo(1e-3);
    assertThat(mc.headsConfig().layers1Based()).containsExactly(2, 4, 6);
    assertThat(mc.headsConfig().nCtx()).isEqualTo(8);
    assertThat(io.github.mediclip.internal.model.HeadsRules.defaultLayers(24))
        .containsExactly(12, 18, 24);
    assertThat(io.github.mediclip.internal.model.HeadsRules.defaultLayers(12))
        .containsExactly(6, 9, 12);
    MediClip sized = MediClip.builder().setRandomBackbone("tiny", 1).optImageSize(96).build();
    assertThat(sized.clipConfig().vision().imageSize()).isEqualTo(96);
  }
}
