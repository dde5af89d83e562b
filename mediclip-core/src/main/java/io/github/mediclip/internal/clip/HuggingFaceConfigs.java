package io.github.mediclip.internal.clip;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipWeightsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads the {@code config.json} of a Hugging Face {@code CLIPModel} (transformers' {@code
 * CLIPConfig}) into a {@link ClipConfig}.
 *
 * <p>Mapping (HF field → ClipConfig): {@code projection_dim} → {@code embedDim}; {@code
 * vision_config.image_size}, {@code num_hidden_layers}, {@code hidden_size}, {@code hidden_size /
 * num_attention_heads} (head width), {@code patch_size}, {@code intermediate_size / hidden_size}
 * (MLP ratio) → {@link ClipConfig.VisionConfig}; {@code text_config.max_position_embeddings},
 * {@code vocab_size}, {@code hidden_size}, {@code num_attention_heads}, {@code num_hidden_layers} →
 * {@link ClipConfig.TextConfig}; {@code hidden_act} {@code "quick_gelu"} → QuickGELU, {@code
 * "gelu"} → exact GELU (both towers must agree).
 *
 * <p>Fields that a config leaves out take transformers' defaults (as old hub configs rely on them):
 * {@code projection_dim} 512; vision: hidden 768, intermediate 3072, 12 layers, 12 heads, image
 * 224, patch 32; text: vocab 49408, hidden 512, intermediate 2048, 12 layers, 8 heads, 77
 * positions; {@code hidden_act} {@code quick_gelu}. Configs written by old transformers versions
 * that keep the values in {@code vision_config_dict} / {@code text_config_dict} are read too
 * ({@code vision_config} wins where both hold a field).
 */
public final class HuggingFaceConfigs {

  private HuggingFaceConfigs() {}

  /**
   * Reads a Hugging Face {@code CLIPConfig} file.
   *
   * @param file the {@code config.json}
   * @return the configuration
   * @throws ClipWeightsException when the file is not a CLIP config or holds unsupported values
   *     (the message names the file and the field)
   * @throws UncheckedIOException when the file cannot be read
   */
  public static ClipConfig parse(Path file) {
    Objects.requireNonNull(file, "file");
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Hugging Face config " + file, e);
    }
    return parse(json, file.toString());
  }

  /**
   * Parses a Hugging Face {@code CLIPConfig} from JSON text.
   *
   * @param json the JSON text
   * @param source what to call the text in error messages (e.g. the file name)
   * @return the configuration
   * @throws ClipWeightsException when the text is not a CLIP config or holds unsupported values
   */
  public static ClipConfig parse(String json, String source) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(source, "source");
    JsonObject root;
    try {
      JsonElement e = JsonParser.parseString(json);
      if (!e.isJsonObject()) {
        throw new ClipWeightsException("Hugging Face config " + source + " is not a JSON object");
      }
      root = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new ClipWeightsException(
          "Hugging Face config " + source + " is not valid JSON: " + e.getMessage(), e);
    }
    String modelType = root.has("model_type") ? root.get("model_type").getAsString() : "clip";
    if (!modelType.equals("clip")) {
      throw new ClipWeightsException(
          "Hugging Face config "
              + source
              + " has model_type '"
              + modelType
              + "'; only a full CLIPModel config (model_type 'clip', with vision_config and text_config) is"
              + " supported");
    }
    if (!root.has("vision_config") && !root.has("vision_config_dict")) {
      throw new ClipWeightsException(
          "Hugging Face config "
              + source
              + " has no 'vision_config'; is it the config.json of a CLIPModel?");
    }
    if (!root.has("text_config") && !root.has("text_config_dict")) {
      throw new ClipWeightsException(
          "Hugging Face config "
              + source
              + " has no 'text_config'; is it the config.json of a CLIPModel?");
    }
    Section v = new Section(root, "vision_config", source);
    Section t = new Section(root, "text_config", source);
    try {
      int vWidth = v.integer("hidden_size", 768);
      int vHeads = v.integer("num_attention_heads", 12);
      int vInter = v.integer("intermediate_size", 3072);
      if (vWidth % vHeads != 0) {
        throw new ClipWeightsException(
            String.format(
                Locale.ROOT,
                "Hugging Face config %s: vision_config.hidden_size %d is not a multiple of"
                    + " vision_config.num_attention_heads %d",
                source,
                vWidth,
                vHeads));
      }
      ClipConfig.VisionConfig vision =
          new ClipConfig.VisionConfig(
              v.integer("image_size", 224),
              v.integer("num_hidden_layers", 12),
              vWidth,
              vWidth / vHeads,
              v.integer("patch_size", 32),
              vInter / (double) vWidth);
      int tWidth = t.integer("hidden_size", 512);
      int tInter = t.integer("intermediate_size", 2048);
      if (tInter != 4 * tWidth) {
        throw new ClipWeightsException(
            String.format(
                Locale.ROOT,
                "Hugging Face config %s: text_config.intermediate_size %d is not 4 x hidden_size %d;"
                    + " only CLIP text towers with MLP ratio 4 are supported",
                source,
                tInter,
                tWidth));
      }
      ClipConfig.TextConfig text =
          new ClipConfig.TextConfig(
              t.integer("max_position_embeddings", 77),
              t.integer("vocab_size", 49408),
              tWidth,
              t.integer("num_attention_heads", 8),
              t.integer("num_hidden_layers", 12));
      String vAct = v.string("hidden_act", "quick_gelu");
      String tAct = t.string("hidden_act", "quick_gelu");
      boolean quick = quickGelu(vAct, "vision_config", source);
      if (quick != quickGelu(tAct, "text_config", source)) {
        throw new ClipWeightsException(
            "Hugging Face config "
                + source
                + ": vision_config.hidden_act '"
                + vAct
                + "' and text_config.hidden_act '"
                + tAct
                + "' differ; both towers must use the"
                + " same activation");
      }
      int embed =
          root.has("projection_dim")
              ? intValue(root.get("projection_dim"), "projection_dim", source)
              : 512;
      return new ClipConfig(embed, vision, text, quick);
    } catch (IllegalArgumentException e) {
      throw new ClipWeightsException(
          "invalid Hugging Face config " + source + ": " + e.getMessage(), e);
    }
  }

  private static boolean quickGelu(String act, String section, String source) {
    switch (act) {
      case "quick_gelu":
        return true;
      case "gelu":
        return false;
      default:
        throw new ClipWeightsException(
            "Hugging Face config "
                + source
                + ": "
                + section
                + ".hidden_act '"
                + act
                + "' is not supported; expected 'quick_gelu' or 'gelu'");
    }
  }

  private static int intValue(JsonElement e, String field, String source) {
    double d;
    try {
      d = e.getAsDouble();
    } catch (RuntimeException ex) {
      throw new ClipWeightsException(
          "Hugging Face config " + source + ": '" + field + "' must be an integer, got " + e, ex);
    }
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw new ClipWeightsException(
          "Hugging Face config " + source + ": '" + field + "' must be an integer, got " + e);
    }
    return (int) d;
  }

  /**
   * One tower's settings: {@code X_config}, falling back to the legacy {@code X_config_dict}, then
   * defaults.
   */
  private static final class Section {
    private final JsonObject primary;
    private final JsonObject legacy;
    private final String name;
    private final String source;

    Section(JsonObject root, String name, String source) {
      this.primary = object(root, name, source);
      this.legacy = object(root, name + "_dict", source);
      this.name = name;
      this.source = source;
    }

    private static JsonObject object(JsonObject root, String key, String source) {
      JsonElement e = root.get(key);
      if (e == null || e.isJsonNull()) {
        return new JsonObject();
      }
      if (!e.isJsonObject()) {
        throw new ClipWeightsException(
            "Hugging Face config " + source + ": '" + key + "' is not an object");
      }
      return e.getAsJsonObject();
    }

    private JsonElement get(String key) {
      JsonElement e = primary.get(key);
      if (e == null || e.isJsonNull()) {
        e = legacy.get(key);
      }
      return e == null || e.isJsonNull() ? null : e;
    }

    int integer(String key, int dflt) {
      JsonElement e = get(key);
      return e == null ? dflt : intValue(e, name + "." + key, source);
    }

    String string(String key, String dflt) {
      JsonElement e = get(key);
      return e == null ? dflt : e.getAsString();
    }
  }
}
