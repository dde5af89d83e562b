package io.github.mediclip.internal.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipWeightsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceConfigsTest {

  @TempDir Path tmp;

  /**
   * The architecture fields of openai/clip-vit-large-patch14's config.json (other fields trimmed).
   */
  static final String VIT_L_14 =
      "{\n"
          + "  \"architectures\": [\"CLIPModel\"],\n"
          + "  \"model_type\": \"clip\",\n"
          + "  \"projection_dim\": 768,\n"
          + "  \"logit_scale_init_value\": 2.6592,\n"
          + "  \"text_config\": {\"hidden_act\": \"quick_gelu\", \"hidden_size\": 768, \"intermediate_size\": 3072,\n"
          + "    \"max_position_embeddings\": 77, \"model_type\": \"clip_text_model\", \"num_attention_heads\": 12,\n"
          + "    \"num_hidden_layers\": 12, \"projection_dim\": 768, \"vocab_size\": 49408},\n"
          + "  \"vision_config\": {\"hidden_act\": \"quick_gelu\", \"hidden_size\": 1024, \"image_size\": 224,\n"
          + "    \"intermediate_size\": 4096, \"model_type\": \"clip_vision_model\", \"num_attention_heads\": 16,\n"
          + "    \"num_hidden_layers\": 24, \"patch_size\": 14, \"projection_dim\": 768}\n"
          + "}";

  @Test
  void vitL14ConfigEqualsThePreset() throws Exception {
    Path file = tmp.resolve("config.json");
    Files.writeString(file, VIT_L_14);
    assertThat(HuggingFaceConfigs.parse(file)).isEqualTo(ClipConfig.preset("ViT-L-14"));
    assertThat(ClipConfig.fromHuggingFaceConfig(file)).isEqualTo(ClipConfig.preset("ViT-L-14"));
  }

  @Test
  void missingFieldsTakeTransformersDefaultsAndLegacyDictsAreRead() {
    // transformers' CLIPConfig defaults are ViT-B/32: vision 768/12/12, patch 32; text 512/8/12;
    // projection 512.
    ClipConfig defaults =
        HuggingFaceConfigs.parse("{\"vision_config\": {}, \"text_config\": {}}", "defaults");
    assertThat(defaults).isEqualTo(ClipConfig.preset("ViT-B-32"));
    String legacy =
        "{\"projection_dim\": 512, \"vision_config_dict\": {\"patch_size\": 16},"
            + " \"text_config_dict\": {}, \"vision_config\": {\"image_size\": 224}}";
    assertThat(HuggingFaceConfigs.parse(legacy, "legacy")).isEqualTo(ClipConfig.preset("ViT-B-16"));
  }

  @Test
  void geluAndImageSizeAreTakenFromTheFile() {
    String json =
        VIT_L_14
            .replace("\"hidden_act\": \"quick_gelu\"", "\"hidden_act\": \"gelu\"")
            .replace("\"image_size\": 224", "\"image_size\": 336");
    ClipConfig c = HuggingFaceConfigs.parse(json, "x");
    assertThat(c.quickGelu()).isFalse();
    assertThat(c.vision().imageSize()).isEqualTo(336);
    assertThat(c.vision().headWidth()).isEqualTo(64);
    assertThat(c.vision().mlpRatio()).isEqualTo(4.0);
  }

  @Test
  void errorsNameTheFileAndTheField() {
    assertThatThrownBy(() -> HuggingFaceConfigs.parse("{\"text_config\": {}}", "a/config.json"))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "Hugging Face config a/config.json has no 'vision_config'; is it the config.json of a"
                + " CLIPModel?");
    assertThatThrownBy(
            () -> HuggingFaceConfigs.parse("{\"model_type\": \"clip_vision_model\"}", "v.json"))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessageStartingWith("Hugging Face config v.json has model_type 'clip_vision_model'");
    String mixed =
        VIT_L_14.replaceFirst("\"hidden_act\": \"quick_gelu\"", "\"hidden_act\": \"gelu\"");
    assertThatThrownBy(() -> HuggingFaceConfigs.parse(mixed, "m.json"))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "Hugging Face config m.json: vision_config.hidden_act 'quick_gelu' and"
                + " text_config.hidden_act 'gelu' differ; both towers must use the same activation");
    String silu = VIT_L_14.replace("\"hidden_act\": \"quick_gelu\"", "\"hidden_act\": \"silu\"");
    assertThatThrownBy(() -> HuggingFaceConfigs.parse(silu, "s.json"))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "Hugging Face config s.json: vision_config.hidden_act 'silu' is not supported; expected"
                + " 'quick_gelu' or 'gelu'");
    String frac = VIT_L_14.replace("\"patch_size\": 14", "\"patch_size\": 14.5");
    assertThatThrownBy(() -> HuggingFaceConfigs.parse(frac, "f.json"))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "Hugging Face config f.json: 'vision_config.patch_size' must be an integer, got 14.5");
    String heads = VIT_L_14.replace("\"num_attention_heads\": 16", "\"num_attention_heads\": 15");
    assertThatThrownBy(() -> HuggingFaceConfigs.parse(heads, "h.json"))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "Hugging Face config h.json: vision_config.hidden_size 1024 is not a multiple of"
                + " vision_config.num_attention_heads 15");
    assertThatThrownBy(() -> HuggingFaceConfigs.parse("[1]", "arr.json"))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage("Hugging Face config arr.json is not a JSON object");
    assertThatThrownBy(() -> HuggingFaceConfigs.parse(tmp.resolve("missing.json")))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("missing.json");
  }
}
