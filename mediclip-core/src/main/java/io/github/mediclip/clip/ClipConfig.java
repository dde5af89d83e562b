package io.github.mediclip.clip;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.mediclip.internal.clip.HuggingFaceConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Architecture of a CLIP model (the two towers and the shared embedding), as in open_clip's {@code
 * model_configs/*.json}.
 *
 * <p>Read it from open_clip's JSON ({@link #fromOpenClipJson(Path)}, which also accepts the {@code
 * open_clip_config.json} of the Hugging Face hub with its {@code model_cfg} wrapper), from a
 * Hugging Face {@code config.json} of a {@code CLIPModel} ({@link #fromHuggingFaceConfig(Path)}),
 * or take one of the built-in presets ({@link #preset(String)}): {@code ViT-B-32}, {@code
 * ViT-B-16}, {@code ViT-L-14}, {@code ViT-L-14-336} (the OpenAI architectures, all with QuickGELU)
 * and {@code tiny} (the architecture of the {@code tiny-clip-64} parity fixture: 64 px images,
 * vision width 64 with 6 blocks, text width 64 with 3 blocks, embedding 32).
 *
 * @param embedDim dimension D of the joint image-text embedding
 * @param vision the vision tower
 * @param text the text tower
 * @param quickGelu whether the MLPs use QuickGELU {@code x * sigmoid(1.702 x)} (OpenAI weights)
 *     instead of the exact (erf) GELU
 */
public record ClipConfig(int embedDim, VisionConfig vision, TextConfig text, boolean quickGelu) {

  /** Names of the built-in presets, in the order listed by {@link #presetNames()}. */
  private static final List<String> PRESETS =
      List.of("ViT-B-32", "ViT-B-16", "ViT-L-14", "ViT-L-14-336", "tiny");

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /**
   * Validates the values.
   *
   * @param embedDim dimension D of the joint image-text embedding
   * @param vision the vision tower
   * @param text the text tower
   * @param quickGelu whether the MLPs use QuickGELU {@code x * sigmoid(1.702 x)} (OpenAI weights)
   *     instead of the exact (erf) GELU
   */
  public ClipConfig {
    positive("embedDim", embedDim);
    Objects.requireNonNull(vision, "vision");
    Objects.requireNonNull(text, "text");
  }

  /**
   * The vision transformer.
   *
   * @param imageSize side S of the square input image, in pixels
   * @param layers number of residual blocks
   * @param width residual width W
   * @param headWidth width of one attention head (heads = width / headWidth)
   * @param patchSize side p of a patch; the token grid is g = S / p per axis
   * @param mlpRatio hidden width of the MLP divided by W
   */
  public record VisionConfig(
      int imageSize, int layers, int width, int headWidth, int patchSize, double mlpRatio) {

    /**
     * Validates the values.
     *
     * @param imageSize side S of the square input image, in pixels
     * @param layers number of residual blocks
     * @param width residual width W
     * @param headWidth width of one attention head (heads = width / headWidth)
     * @param patchSize side p of a patch; the token grid is g = S / p per axis
     * @param mlpRatio hidden width of the MLP divided by W
     */
    public VisionConfig {
      positive("vision.imageSize", imageSize);
      positive("vision.layers", layers);
      positive("vision.width", width);
      positive("vision.headWidth", headWidth);
      positive("vision.patchSize", patchSize);
      if (width % headWidth != 0) {
        throw new IllegalArgumentException(
            "vision.width " + width + " is not a multiple of vision.headWidth " + headWidth);
      }
      if (imageSize % patchSize != 0) {
        throw new IllegalArgumentException(
            "vision.imageSize "
                + imageSize
                + " is not a multiple of vision.patchSize "
                + patchSize);
      }
      if (!(mlpRatio > 0) || Double.isInfinite(mlpRatio) || mlpWidth(width, mlpRatio) < 1) {
        throw new IllegalArgumentException("vision.mlpRatio must be positive, got " + mlpRatio);
      }
    }

    /**
     * Returns the number of attention heads, {@code width / headWidth}.
     *
     * @return the number of attention heads, {@code width / headWidth}
     */
    public int heads() {
      return width / headWidth;
    }

    /**
     * Returns the token grid side g = imageSize / patchSize.
     *
     * @return the token grid side g = imageSize / patchSize
     */
    public int gridSize() {
      return imageSize / patchSize;
    }

    /**
     * Returns the number of tokens 1 + g·g (class token plus patches).
     *
     * @return the number of tokens 1 + g·g (class token plus patches)
     */
    public int tokens() {
      return 1 + gridSize() * gridSize();
    }

    /**
     * Returns the MLP hidden width, {@code (int) (width * mlpRatio)} as open_clip computes it.
     *
     * @return the MLP hidden width, {@code (int) (width * mlpRatio)} as open_clip computes it
     */
    public int mlpWidth() {
      return mlpWidth(width, mlpRatio);
    }

    private static int mlpWidth(int width, double ratio) {
      return (int) (width * ratio);
    }
  }

  /**
   * The text transformer (MLP ratio 4, as in every CLIP).
   *
   * @param contextLength number of token positions L (77 for CLIP)
   * @param vocabSize size of the token embedding table (49408 for CLIP's BPE)
   * @param width residual width W
   * @param heads number of attention heads
   * @param layers number of residual blocks
   */
  public record TextConfig(int contextLength, int vocabSize, int width, int heads, int layers) {

    /**
     * Validates the values.
     *
     * @param contextLength number of token positions L (77 for CLIP)
     * @param vocabSize size of the token embedding table (49408 for CLIP's BPE)
     * @param width residual width W
     * @param heads number of attention heads
     * @param layers number of residual blocks
     */
    public TextConfig {
      positive("text.contextLength", contextLength);
      positive("text.vocabSize", vocabSize);
      positive("text.width", width);
      positive("text.heads", heads);
      positive("text.layers", layers);
      if (width % heads != 0) {
        throw new IllegalArgumentException(
            "text.width " + width + " is not a multiple of text.heads " + heads);
      }
    }

    /**
     * Returns the MLP hidden width, 4·W.
     *
     * @return the MLP hidden width, 4·W
     */
    public int mlpWidth() {
      return 4 * width;
    }
  }

  /**
   * Returns a built-in preset.
   *
   * @param name one of {@link #presetNames()} (case-insensitive)
   * @return the configuration
   * @throws IllegalArgumentException for an unknown name (the message lists the presets)
   */
  public static ClipConfig preset(String name) {
    Objects.requireNonNull(name, "name");
    for (String p : PRESETS) {
      if (p.equalsIgnoreCase(name)) {
        String resource = "presets/" + p + ".json";
        try (InputStream in = ClipConfig.class.getResourceAsStream(resource)) {
          if (in == null) {
            throw new IllegalStateException("preset resource missing from the jar: " + resource);
          }
          return parseOpenClip(
              new String(in.readAllBytes(), StandardCharsets.UTF_8), "preset " + p);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read preset resource " + resource, e);
        }
      }
    }
    throw new IllegalArgumentException("unknown CLIP preset '" + name + "'; available: " + PRESETS);
  }

  /**
   * Returns the names of the built-in presets.
   *
   * @return the names of the built-in presets
   */
  public static List<String> presetNames() {
    return PRESETS;
  }

  /**
   * Reads open_clip's model configuration JSON ({@code embed_dim}, {@code vision_cfg}, {@code
   * text_cfg}, {@code quick_gelu}). A file whose top level holds {@code model_cfg} (the {@code
   * open_clip_config.json} of the Hugging Face hub) is unwrapped. Defaults as in open_clip: {@code
   * head_width} 64, {@code mlp_ratio} 4, {@code context_length} 77, {@code vocab_size} 49408, text
   * {@code width} 512, {@code heads} 8, {@code layers} 12, {@code quick_gelu} false.
   *
   * @param file the JSON file
   * @return the configuration
   * @throws ClipWeightsException when the file is not valid JSON or misses a required field (the
   *     message names the file and the field)
   * @throws UncheckedIOException when the file cannot be read
   */
  public static ClipConfig fromOpenClipJson(Path file) {
    Objects.requireNonNull(file, "file");
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CLIP config " + file, e);
    }
    return parseOpenClip(json, file.toString());
  }

  /**
   * Parses open_clip's model configuration from a JSON string (see {@link
   * #fromOpenClipJson(Path)}).
   *
   * @param json the JSON text
   * @return the configuration
   */
  public static ClipConfig fromOpenClipJsonString(String json) {
    return parseOpenClip(Objects.requireNonNull(json, "json"), "<json>");
  }

  /**
   * Reads the {@code config.json} of a Hugging Face {@code CLIPModel} (a {@code CLIPConfig} with
   * {@code vision_config} and {@code text_config}).
   *
   * @param file the config.json
   * @return the configuration
   */
  public static ClipConfig fromHuggingFaceConfig(Path file) {
    return HuggingFaceConfigs.parse(file);
  }

  /**
   * Returns this configuration with another input image size (the positional-embedding grid of
   * weights for another size is interpolated when the model is loaded).
   *
   * @param imageSize the new side S, a multiple of the patch size
   * @return a new configuration
   */
  public ClipConfig withImageSize(int imageSize) {
    VisionConfig v = vision;
    return new ClipConfig(
        embedDim,
        new VisionConfig(
            imageSize, v.layers(), v.width(), v.headWidth(), v.patchSize(), v.mlpRatio()),
        text,
        quickGelu);
  }

  /**
   * Returns the configuration as open_clip's model-configuration JSON (pretty-printed).
   *
   * @return the configuration as open_clip's model-configuration JSON (pretty-printed)
   */
  public String toOpenClipJson() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("image_size", vision.imageSize());
    v.put("layers", vision.layers());
    v.put("width", vision.width());
    v.put("head_width", vision.headWidth());
    v.put("patch_size", vision.patchSize());
    v.put("mlp_ratio", vision.mlpRatio());
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("context_length", text.contextLength());
    t.put("vocab_size", text.vocabSize());
    t.put("width", text.width());
    t.put("heads", text.heads());
    t.put("layers", text.layers());
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("embed_dim", embedDim);
    root.put("quick_gelu", quickGelu);
    root.put("vision_cfg", v);
    root.put("text_cfg", t);
    return GSON.toJson(root);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "ClipConfig[embedDim=%d, vision=%dpx/%d layers/width %d/%d heads/patch %d, "
            + "text=%d layers/width %d/%d heads/ctx %d/vocab %d, quickGelu=%s]",
        embedDim,
        vision.imageSize(),
        vision.layers(),
        vision.width(),
        vision.heads(),
        vision.patchSize(),
        text.layers(),
        text.width(),
        text.heads(),
        text.contextLength(),
        text.vocabSize(),
        quickGelu);
  }

  // ---------------------------------------------------------------------------------------------

  private static ClipConfig parseOpenClip(String json, String source) {
    JsonObject root;
    try {
      JsonElement e = JsonParser.parseString(json);
      if (!e.isJsonObject()) {
        throw new ClipWeightsException("CLIP config " + source + " is not a JSON object");
      }
      root = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new ClipWeightsException(
          "CLIP config " + source + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root.has("model_cfg") && root.get("model_cfg").isJsonObject()) {
      root = root.getAsJsonObject("model_cfg");
    }
    try {
      JsonObject v = object(root, "vision_cfg", source);
      JsonObject t = object(root, "text_cfg", source);
      rejectUnsupported(v, t, source);
      int visionWidth = integer(v, "width", -1, source, "vision_cfg.");
      VisionConfig vision =
          new VisionConfig(
              integer(v, "image_size", -1, source, "vision_cfg."),
              integer(v, "layers", -1, source, "vision_cfg."),
              visionWidth,
              integer(v, "head_width", 64, source, "vision_cfg."),
              integer(v, "patch_size", -1, source, "vision_cfg."),
              v.has("mlp_ratio") ? v.get("mlp_ratio").getAsDouble() : 4.0);
      TextConfig text =
          new TextConfig(
              integer(t, "context_length", 77, source, "text_cfg."),
              integer(t, "vocab_size", 49408, source, "text_cfg."),
              integer(t, "width", 512, source, "text_cfg."),
              integer(t, "heads", 8, source, "text_cfg."),
              integer(t, "layers", 12, source, "text_cfg."));
      boolean quick = root.has("quick_gelu") && root.get("quick_gelu").getAsBoolean();
      return new ClipConfig(integer(root, "embed_dim", -1, source, ""), vision, text, quick);
    } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
      throw new ClipWeightsException("invalid CLIP config " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * open_clip options of architectures that this implementation does not build (timm / Hugging Face
   * towers, layer scale, attentional pooling, other pooling, no ln_pre, projection biases, ...): a
   * clear error instead of a later list of unexpected tensors.
   */
  private static void rejectUnsupported(JsonObject v, JsonObject t, String source) {
    String[][] rules = {
      {"vision_cfg", "timm_model_name"},
      {"vision_cfg", "ls_init_value"},
      {"vision_cfg", "attentional_pool"},
      {"vision_cfg", "no_ln_pre"},
      {"vision_cfg", "final_ln_after_pool"},
      {"vision_cfg", "input_patchnorm"},
      {"vision_cfg", "output_tokens"},
      {"text_cfg", "hf_model_name"},
      {"text_cfg", "ls_init_value"},
      {"text_cfg", "proj_bias"},
      {"text_cfg", "embed_cls"},
      {"text_cfg", "no_causal_mask"},
      {"text_cfg", "final_ln_after_pool"}
    };
    for (String[] r : rules) {
      JsonObject o = r[0].equals("vision_cfg") ? v : t;
      JsonElement e = o.get(r[1]);
      boolean set =
          e != null
              && !e.isJsonNull()
              && !(e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && !e.getAsBoolean());
      if (set) {
        throw new ClipWeightsException(
            "CLIP config "
                + source
                + ": '"
                + r[0]
                + "."
                + r[1]
                + "' = "
                + e
                + " is not supported; only OpenAI-style CLIP ViTs are implemented");
      }
    }
    JsonElement vp = v.get("pool_type");
    if (vp != null && !vp.isJsonNull() && !"tok".equals(vp.getAsString())) {
      throw new ClipWeightsException(
          "CLIP config "
              + source
              + ": 'vision_cfg.pool_type' = "
              + vp
              + " is not supported; only class-token pooling ('tok') is implemented");
    }
    JsonElement tp = t.get("pool_type");
    if (tp != null && !tp.isJsonNull() && !"argmax".equals(tp.getAsString())) {
      throw new ClipWeightsException(
          "CLIP config "
              + source
              + ": 'text_cfg.pool_type' = "
              + tp
              + " is not supported; only EOT pooling at the argmax id ('argmax') is implemented");
    }
  }

  private static JsonObject object(JsonObject o, String key, String source) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonObject()) {
      throw new ClipWeightsException("CLIP config " + source + " has no object '" + key + "'");
    }
    return e.getAsJsonObject();
  }

  private static int integer(JsonObject o, String key, int dflt, String source, String prefix) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      if (dflt < 0) {
        throw new ClipWeightsException("CLIP config " + source + " has no '" + prefix + key + "'");
      }
      return dflt;
    }
    if (e.isJsonArray()) { // open_clip allows [h, w]; only square sizes are supported
      var a = e.getAsJsonArray();
      if (a.size() == 2 && a.get(0).getAsInt() == a.get(1).getAsInt()) {
        return a.get(0).getAsInt();
      }
      throw new ClipWeightsException(
          "CLIP config "
              + source
              + ": '"
              + prefix
              + key
              + "' = "
              + a
              + " is not square; only square sizes are supported");
    }
    double d = e.getAsDouble();
    if (d != Math.rint(d)) {
      throw new ClipWeightsException(
          "CLIP config " + source + ": '" + prefix + key + "' must be an integer, got " + e);
    }
    return (int) d;
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
