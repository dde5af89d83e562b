package io.github.mediclip.internal.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipWeights;
import io.github.mediclip.clip.ClipWeightsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face CLIPModel import: the parity fixture's OpenAI-named weights are converted to Hugging
 * Face names here, in the test (an independent re-statement of transformers' layout), written to a
 * safetensors file, read back through {@link HuggingFaceWeights} and compared tensor by tensor,
 * exactly.
 */
class HuggingFaceWeightsTest {

  @TempDir Path tmp;

  static Path fixture() {
    String dir = System.getProperty("mediclip.shared.dir");
    Path p = dir == null ? null : Path.of(dir, "parity", "tiny-clip-64", "clip.safetensors");
    boolean present = p != null && Files.isRegularFile(p);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("parity fixture missing under mediclip.shared.dir=" + dir);
    }
    Assumptions.assumeTrue(
        present,
        "parity fixture tiny-clip-64 not found (mediclip.shared.dir=" + dir + "); skipping");
    return p;
  }

  static Map<String, NDArray> readAll(Path file, NDManager m) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      for (String n : r.names()) {
        NDArray a = r.read(n, m);
        a.setName(n);
        out.put(n, a);
      }
    }
    return out;
  }

  /**
   * Converts OpenAI names to transformers' CLIPModel layout, written out independently of the code
   * under test.
   */
  static Map<String, NDArray> toHuggingFace(Map<String, NDArray> oa, ClipConfig cfg, NDManager m) {
    Map<String, NDArray> hf = new LinkedHashMap<>();
    hf.put("vision_model.embeddings.class_embedding", oa.get("visual.class_embedding"));
    hf.put("vision_model.embeddings.patch_embedding.weight", oa.get("visual.conv1.weight"));
    hf.put(
        "vision_model.embeddings.position_embedding.weight", oa.get("visual.positional_embedding"));
    hf.put(
        "vision_model.embeddings.position_ids",
        m.arange(cfg.vision().tokens()).toType(DataType.INT64, false).reshape(1, -1));
    hf.put("vision_model.pre_layrnorm.weight", oa.get("visual.ln_pre.weight"));
    hf.put("vision_model.pre_layrnorm.bias", oa.get("visual.ln_pre.bias"));
    hf.put("vision_model.post_layernorm.weight", oa.get("visual.ln_post.weight"));
    hf.put("vision_model.post_layernorm.bias", oa.get("visual.ln_post.bias"));
    hf.put("visual_projection.weight", oa.get("visual.proj").transpose().duplicate());
    hf.put("text_model.embeddings.token_embedding.weight", oa.get("token_embedding.weight"));
    hf.put("text_model.embeddings.position_embedding.weight", oa.get("positional_embedding"));
    hf.put(
        "text_model.embeddings.position_ids",
        m.arange(cfg.text().contextLength()).toType(DataType.INT64, false).reshape(1, -1));
    hf.put("text_model.final_layer_norm.weight", oa.get("ln_final.weight"));
    hf.put("text_model.final_layer_norm.bias", oa.get("ln_final.bias"));
    hf.put("text_projection.weight", oa.get("text_projection").transpose().duplicate());
    hf.put("logit_scale", oa.get("logit_scale"));
    blocks(
        oa,
        hf,
        "visual.transformer.resblocks.",
        "vision_model.encoder.layers.",
        cfg.vision().layers());
    blocks(oa, hf, "transformer.resblocks.", "text_model.encoder.layers.", cfg.text().layers());
    return hf;
  }

  private static void blocks(
      Map<String, NDArray> oa, Map<String, NDArray> hf, String from, String to, int n) {
    for (int i = 0; i < n; i++) {
      String f = from + i + ".";
      String t = to + i + ".";
      NDList w = oa.get(f + "attn.in_proj_weight").split(3, 0);
      NDList b = oa.get(f + "attn.in_proj_bias").split(3, 0);
      String[] qkv = {"q_proj", "k_proj", "v_proj"};
      for (int j = 0; j < 3; j++) {
        hf.put(t + "self_attn." + qkv[j] + ".weight", w.get(j).duplicate());
        hf.put(t + "self_attn." + qkv[j] + ".bias", b.get(j).duplicate());
      }
      hf.put(t + "self_attn.out_proj.weight", oa.get(f + "attn.out_proj.weight"));
      hf.put(t + "self_attn.out_proj.bias", oa.get(f + "attn.out_proj.bias"));
      hf.put(t + "layer_norm1.weight", oa.get(f + "ln_1.weight"));
      hf.put(t + "layer_norm1.bias", oa.get(f + "ln_1.bias"));
      hf.put(t + "layer_norm2.weight", oa.get(f + "ln_2.weight"));
      hf.put(t + "layer_norm2.bias", oa.get(f + "ln_2.bias"));
      hf.put(t + "mlp.fc1.weight", oa.get(f + "mlp.c_fc.weight"));
      hf.put(t + "mlp.fc1.bias", oa.get(f + "mlp.c_fc.bias"));
      hf.put(t + "mlp.fc2.weight", oa.get(f + "mlp.c_proj.weight"));
      hf.put(t + "mlp.fc2.bias", oa.get(f + "mlp.c_proj.bias"));
    }
  }

  @Test
  void fixtureRoundTripsThroughHuggingFaceNamesExactly() {
    Path fixture = fixture();
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> oa = readAll(fixture, m);
      ClipConfig cfg = TorchScriptWeights.inferConfig(oa);
      Map<String, NDArray> hf = toHuggingFace(oa, cfg, m);
      assertThat(HuggingFaceWeights.isHuggingFace(hf.keySet())).isTrue();
      assertThat(HuggingFaceWeights.isHuggingFace(oa.keySet())).isFalse();
      // in memory
      Map<String, NDArray> back = HuggingFaceWeights.toOpenClip(cfg, hf, m, "test");
      assertSameTensors(back, oa);
      // through a file, half precision too (widened to float32 on import)
      Path file = tmp.resolve("model.safetensors");
      SafetensorsWriter.write(file, hf);
      assertSameTensors(HuggingFaceWeights.read(file, cfg, m), oa);
      Map<String, NDArray> half = new LinkedHashMap<>();
      hf.forEach(
          (k, v) ->
              half.put(
                  k, v.getDataType() == DataType.FLOAT32 ? v.toType(DataType.FLOAT16, true) : v));
      Path halfFile = tmp.resolve("model-fp16.safetensors");
      SafetensorsWriter.write(halfFile, half);
      Map<String, NDArray> fromHalf = HuggingFaceWeights.read(halfFile, cfg, m);
      for (Map.Entry<String, NDArray> e : oa.entrySet()) {
        NDArray a = fromHalf.get(e.getKey());
        assertThat(a.getDataType()).as(e.getKey()).isEqualTo(DataType.FLOAT32);
        NDArray expected =
            e.getValue().toType(DataType.FLOAT16, true).toType(DataType.FLOAT32, true);
        assertThat(a.contentEquals(expected)).as(e.getKey()).isTrue();
      }
    }
  }

  private static void assertSameTensors(
      Map<String, NDArray> actual, Map<String, NDArray> expected) {
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<String, NDArray> e : expected.entrySet()) {
      NDArray a = actual.get(e.getKey());
      assertThat(a.getShape()).as(e.getKey()).isEqualTo(e.getValue().getShape());
      assertThat(a.getDataType()).as(e.getKey()).isEqualTo(DataType.FLOAT32);
      assertThat(a.contentEquals(e.getValue())).as("tensor %s", e.getKey()).isTrue();
      assertThat(a.getName()).isEqualTo(e.getKey());
    }
  }

  @Test
  void inferredConfigMatchesTheFixtureMeta() {
    Path fixture = fixture();
    try (NDManager m = NDManager.newBaseManager()) {
      ClipConfig cfg = TorchScriptWeights.inferConfig(readAll(fixture, m));
      // meta.json: embed 32; vision 64 px, 6 layers, width 64, patch 8, head width 16 (OpenAI's
      // build_model assumes head width 64, so only the head count differs from the fixture).
      assertThat(cfg.embedDim()).isEqualTo(32);
      assertThat(cfg.vision()).isEqualTo(new ClipConfig.VisionConfig(64, 6, 64, 64, 8, 4.0));
      assertThat(cfg.text()).isEqualTo(new ClipConfig.TextConfig(77, 49408, 64, 1, 3));
      assertThat(cfg.quickGelu()).isTrue();
    }
  }

  @Test
  void oneErrorListsEveryMissingUnexpectedAndMisShapedTensor() {
    Path fixture = fixture();
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> oa = readAll(fixture, m);
      ClipConfig cfg = TorchScriptWeights.inferConfig(oa);
      Map<String, NDArray> hf = toHuggingFace(oa, cfg, m);
      hf.remove("vision_model.encoder.layers.3.self_attn.k_proj.bias");
      hf.remove("text_projection.weight");
      hf.put(
          "vision_model.encoder.layers.9.mlp.fc1.weight",
          m.zeros(new ai.djl.ndarray.types.Shape(256, 64)));
      hf.put("text_model.final_layer_norm.weight", m.zeros(new ai.djl.ndarray.types.Shape(65)));
      assertThatThrownBy(() -> HuggingFaceWeights.toOpenClip(cfg, hf, m, "broken.safetensors"))
          .isInstanceOf(ClipWeightsException.class)
          .hasMessageContaining("broken.safetensors")
          .hasMessageContaining(
              "2 missing: vision_model.encoder.layers.3.self_attn.k_proj.bias [64],"
                  + " text_projection.weight [32, 64]")
          .hasMessageContaining(
              "1 unexpected: vision_model.encoder.layers.9.mlp.fc1.weight [256, 64]")
          .hasMessageContaining(
              "1 mis-shaped: text_model.final_layer_norm.weight has shape [65],"
                  + " expected [64]");
    }
  }

  @Test
  void mapsEveryOpenAiNameToItsHuggingFaceName() {
    assertThat(
            HuggingFaceWeights.huggingFaceName(
                "visual.transformer.resblocks.11.attn.in_proj_weight"))
        .isEqualTo("vision_model.encoder.layers.11.self_attn.q_proj.weight");
    assertThat(HuggingFaceWeights.huggingFaceName("transformer.resblocks.0.mlp.c_proj.bias"))
        .isEqualTo("text_model.encoder.layers.0.mlp.fc2.bias");
    assertThat(HuggingFaceWeights.huggingFaceName("visual.ln_pre.weight"))
        .isEqualTo("vision_model.pre_layrnorm.weight");
    assertThat(HuggingFaceWeights.huggingFaceName("ln_final.bias"))
        .isEqualTo("text_model.final_layer_norm.bias");
    assertThatThrownBy(() -> HuggingFaceWeights.huggingFaceName("visual.attnpool.k_proj.weight"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a CLIP tensor name: 'visual.attnpool.k_proj.weight'");
    // every expected OpenAI tensor of a real architecture has a Hugging Face source that the HF
    // layout lists
    ClipConfig l14 = ClipConfig.preset("ViT-L-14");
    Map<String, long[]> hf = HuggingFaceWeights.expectedShapes(l14);
    for (String name : ClipWeights.expectedShapes(l14).keySet()) {
      assertThat(hf).containsKey(HuggingFaceWeights.huggingFaceName(name));
    }
    // 24 + 12 blocks of 16 tensors, 8 vision and 5 text tensors outside the blocks, and logit_scale
    assertThat(hf).hasSize((24 + 12) * 16 + 8 + 5 + 1);
    assertThat(hf.get("visual_projection.weight")).containsExactly(768, 1024);
    assertThat(hf.get("vision_model.encoder.layers.23.self_attn.q_proj.weight"))
        .containsExactly(1024, 1024);
  }
}
