package io.github.mediclip.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.github.mediclip.clip.testing.ClipFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipConfigTest {

  @TempDir Path tmp;

  @Test
  void presetsHaveTheOpenAiArchitectures() {
    ClipConfig l14 = ClipConfig.preset("ViT-L-14");
    assertThat(l14.embedDim()).isEqualTo(768);
    assertThat(l14.vision().heads()).isEqualTo(16);
    assertThat(l14.vision().gridSize()).isEqualTo(16);
    assertThat(l14.vision().mlpWidth()).isEqualTo(4096);
    assertThat(l14.text().width()).isEqualTo(768);
    assertThat(l14.quickGelu()).isTrue();
    assertThat(ClipConfig.preset("vit-l-14-336").vision().gridSize()).isEqualTo(24);
    assertThat(ClipConfig.preset("ViT-B-16").vision().tokens()).isEqualTo(197);
    assertThat(ClipConfig.preset("ViT-B-32").vision().gridSize()).isEqualTo(7);
    for (String name : ClipConfig.presetNames()) {
      assertThat(ClipConfig.fromOpenClipJsonString(ClipConfig.preset(name).toOpenClipJson()))
          .isEqualTo(ClipConfig.preset(name));
    }
  }

  @Test
  void tinyPresetEqualsTheParityFixtureConfig() throws Exception {
    Path dir = ClipFixtures.fixtureDataOrSkip();
    String cfg =
        JsonParser.parseString(Files.readString(dir.resolve("meta.json"), StandardCharsets.UTF_8))
            .getAsJsonObject()
            .getAsJsonObject("clip_config")
            .toString();
    assertThat(ClipConfig.fromOpenClipJsonString(cfg)).isEqualTo(ClipConfig.preset("tiny"));
  }

  @Test
  void readsHubWrapperAndAppliesDefaults() throws Exception {
    Path f = tmp.resolve("open_clip_config.json");
    Files.writeString(
        f,
        "{\"model_cfg\": {\"embed_dim\": 512, \"vision_cfg\": {\"image_size\": 224,"
            + " \"layers\": 12, \"width\": 768, \"patch_size\": 16}, \"text_cfg\": {}},"
            + " \"preprocess_cfg\": {}}");
    ClipConfig c = ClipConfig.fromOpenClipJson(f);
    assertThat(c.vision().headWidth()).isEqualTo(64);
    assertThat(c.vision().mlpRatio()).isEqualTo(4.0);
    assertThat(c.text()).isEqualTo(new ClipConfig.TextConfig(77, 49408, 512, 8, 12));
    assertThat(c.quickGelu()).isFalse();
  }

  @Test
  void errorsNameTheFieldAndValue() throws Exception {
    assertThatThrownBy(() -> ClipConfig.preset("ViT-H-14"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown CLIP preset 'ViT-H-14'; available: [ViT-B-32, ViT-B-16, ViT-L-14, ViT-L-14-336, tiny]");
    Path f = tmp.resolve("c.json");
    Files.writeString(
        f,
        "{\"embed_dim\": 32, \"vision_cfg\": {\"image_size\": 64, \"layers\": 6, \"width\": 64,"
            + " \"patch_size\": 8, \"head_width\": 24}, \"text_cfg\": {}}");
    assertThatThrownBy(() -> ClipConfig.fromOpenClipJson(f))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "invalid CLIP config "
                + f
                + ": vision.width 64 is not a multiple of vision.headWidth 24");
    Files.writeString(f, "{\"embed_dim\": 32, \"text_cfg\": {}}");
    assertThatThrownBy(() -> ClipConfig.fromOpenClipJson(f))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage("CLIP config " + f + " has no object 'vision_cfg'");
    assertThatThrownBy(() -> ClipConfig.preset("tiny").withImageSize(60))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vision.imageSize 60 is not a multiple of vision.patchSize 8");
  }

  @Test
  void unsupportedOpenClipOptionsAreRejectedByName() throws Exception {
    Path f = tmp.resolve("ls.json");
    Files.writeString(
        f,
        "{\"embed_dim\": 32, \"vision_cfg\": {\"image_size\": 64, \"layers\": 6,"
            + " \"width\": 64, \"patch_size\": 8, \"ls_init_value\": 1e-5}, \"text_cfg\": {}}");
    assertThatThrownBy(() -> ClipConfig.fromOpenClipJson(f))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "CLIP config "
                + f
                + ": 'vision_cfg.ls_init_value' = 1e-5 is not supported;"
                + " only OpenAI-style CLIP ViTs are implemented");
    Files.writeString(
        f,
        "{\"embed_dim\": 32, \"vision_cfg\": {\"image_size\": 64, \"layers\": 6,"
            + " \"width\": 64, \"patch_size\": 8, \"attentional_pool\": false, \"pool_type\": \"tok\"},"
            + " \"text_cfg\": {\"hf_model_name\": null, \"pool_type\": \"argmax\"}}");
    assertThat(ClipConfig.fromOpenClipJson(f).vision().layers()).isEqualTo(6);
  }

  @Test
  void withImageSizeChangesOnlyTheSize() {
    ClipConfig c = ClipConfig.preset("ViT-L-14").withImageSize(336);
    assertThat(c).isEqualTo(ClipConfig.preset("ViT-L-14-336"));
  }
}
