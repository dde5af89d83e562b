package io.github.mediclip.internal.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipWeights;
import io.github.mediclip.clip.ClipWeightsException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps the tensors of a Hugging Face {@code CLIPModel} ({@code model.safetensors} of e.g. {@code
 * openai/clip-vit-large-patch14}) onto the OpenAI / open_clip names that {@link
 * ClipModel#fromWeights} consumes.
 *
 * <p>The mapping, for each tower ({@code vision_model} → {@code visual.}, {@code text_model} →
 * root) and each block N:
 *
 * <table>
 * <caption>Hugging Face name → OpenAI name</caption>
 * <tr><th>Hugging Face</th><th>OpenAI / open_clip</th></tr>
 * <tr><td>{@code vision_model.embeddings.patch_embedding.weight} (W, 3, p, p)</td><td>{@code visual.conv1.weight}</td></tr>
 * <tr><td>{@code vision_model.embeddings.class_embedding} (W)</td><td>{@code visual.class_embedding}</td></tr>
 * <tr><td>{@code vision_model.embeddings.position_embedding.weight} (1+g², W)</td><td>{@code visual.positional_embedding}</td></tr>
 * <tr><td>{@code vision_model.pre_layrnorm.*} (sic)</td><td>{@code visual.ln_pre.*}</td></tr>
 * <tr><td>{@code vision_model.post_layernorm.*}</td><td>{@code visual.ln_post.*}</td></tr>
 * <tr><td>{@code visual_projection.weight} (D, W)</td><td>{@code visual.proj} (W, D), transposed</td></tr>
 * <tr><td>{@code text_model.embeddings.token_embedding.weight} (V, W)</td><td>{@code token_embedding.weight}</td></tr>
 * <tr><td>{@code text_model.embeddings.position_embedding.weight} (L, W)</td><td>{@code positional_embedding}</td></tr>
 * <tr><td>{@code text_model.final_layer_norm.*}</td><td>{@code ln_final.*}</td></tr>
 * <tr><td>{@code text_projection.weight} (D, W)</td><td>{@code text_projection} (W, D), transposed</td></tr>
 * <tr><td>{@code logit_scale}</td><td>{@code logit_scale}</td></tr>
 * <tr><td>{@code *.encoder.layers.N.self_attn.{q,k,v}_proj.weight} (W, W) each</td>
 *     <td>{@code *.transformer.resblocks.N.attn.in_proj_weight} (3W, W): q, k, v concatenated along rows</td></tr>
 * <tr><td>{@code *.encoder.layers.N.self_attn.{q,k,v}_proj.bias} (W) each</td>
 *     <td>{@code *.transformer.resblocks.N.attn.in_proj_bias} (3W)</td></tr>
 * <tr><td>{@code *.encoder.layers.N.self_attn.out_proj.*}</td><td>{@code *.transformer.resblocks.N.attn.out_proj.*}</td></tr>
 * <tr><td>{@code *.encoder.layers.N.layer_norm1.*} / {@code layer_norm2.*}</td><td>{@code *.resblocks.N.ln_1.*} / {@code ln_2.*}</td></tr>
 * <tr><td>{@code *.encoder.layers.N.mlp.fc1.*} / {@code fc2.*}</td><td>{@code *.resblocks.N.mlp.c_fc.*} / {@code c_proj.*}</td></tr>
 * </table>
 *
 * <p>The buffers {@code vision_model.embeddings.position_ids} and {@code
 * text_model.embeddings.position_ids} are ignored. A position embedding of another square grid (1 +
 * h·h, W) is accepted, as in {@link ClipWeights#validate} (the model interpolates it). Everything
 * else is strict: missing tensors, unexpected tensors and tensors whose shape does not fit the
 * {@link ClipConfig} are all collected and reported in one {@link ClipWeightsException}.
 */
public final class HuggingFaceWeights {

  /** Buffers of transformers' CLIPModel that carry no weights and are skipped. */
  private static final Set<String> IGNORED =
      Set.of("vision_model.embeddings.position_ids", "text_model.embeddings.position_ids");

  private HuggingFaceWeights() {}

  /**
   * Tells whether a set of tensor names uses Hugging Face {@code CLIPModel} naming.
   *
   * @param names tensor names of a weight file
   * @return true when any name starts with {@code vision_model.} or {@code text_model.}
   */
  public static boolean isHuggingFace(Collection<String> names) {
    for (String n : names) {
      if (n.startsWith("vision_model.") || n.startsWith("text_model.")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the name and shape of every tensor that a Hugging Face {@code CLIPModel} with this
   * configuration holds (without the ignored {@code position_ids} buffers), in a stable order.
   *
   * @param config the architecture
   * @return Hugging Face name → shape
   */
  public static Map<String, long[]> expectedShapes(ClipConfig config) {
    Objects.requireNonNull(config, "config");
    Map<String, long[]> s = new LinkedHashMap<>();
    ClipConfig.VisionConfig v = config.vision();
    ClipConfig.TextConfig t = config.text();
    long vw = v.width();
    long d = config.embedDim();
    s.put("vision_model.embeddings.class_embedding", new long[] {vw});
    s.put(
        "vision_model.embeddings.patch_embedding.weight",
        new long[] {vw, 3, v.patchSize(), v.patchSize()});
    s.put("vision_model.embeddings.position_embedding.weight", new long[] {v.tokens(), vw});
    s.put("vision_model.pre_layrnorm.weight", new long[] {vw});
    s.put("vision_model.pre_layrnorm.bias", new long[] {vw});
    layers(s, "vision_model.encoder.layers.", v.layers(), vw, v.mlpWidth());
    s.put("vision_model.post_layernorm.weight", new long[] {vw});
    s.put("vision_model.post_layernorm.bias", new long[] {vw});
    s.put("visual_projection.weight", new long[] {d, vw});
    long tw = t.width();
    s.put("text_model.embeddings.token_embedding.weight", new long[] {t.vocabSize(), tw});
    s.put("text_model.embeddings.position_embedding.weight", new long[] {t.contextLength(), tw});
    layers(s, "text_model.encoder.layers.", t.layers(), tw, t.mlpWidth());
    s.put("text_model.final_layer_norm.weight", new long[] {tw});
    s.put("text_model.final_layer_norm.bias", new long[] {tw});
    s.put("text_projection.weight", new long[] {d, tw});
    s.put("logit_scale", new long[0]);
    return s;
  }

  private static void layers(Map<String, long[]> s, String prefix, int layers, long w, long mlp) {
    for (int i = 0; i < layers; i++) {
      String p = prefix + i + ".";
      for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
        s.put(p + "self_attn." + proj + ".weight", new long[] {w, w});
        s.put(p + "self_attn." + proj + ".bias", new long[] {w});
      }
      s.put(p + "layer_norm1.weight", new long[] {w});
      s.put(p + "layer_norm1.bias", new long[] {w});
      s.put(p + "mlp.fc1.weight", new long[] {mlp, w});
      s.put(p + "mlp.fc1.bias", new long[] {mlp});
      s.put(p + "mlp.fc2.weight", new long[] {w, mlp});
      s.put(p + "mlp.fc2.bias", new long[] {w});
      s.put(p + "layer_norm2.weight", new long[] {w});
      s.put(p + "layer_norm2.bias", new long[] {w});
    }
  }

  /**
   * Checks Hugging Face tensor names and shapes against a configuration, strictly.
   *
   * @param config the architecture
   * @param shapes name → shape of every tensor in the file(s)
   * @param source what to call the weights in the message (e.g. the file)
   * @throws ClipWeightsException listing every missing, unexpected and mis-shaped tensor at once
   */
  public static void validate(ClipConfig config, Map<String, long[]> shapes, String source) {
    String problems =
        WeightShapes.problems(
            expectedShapes(config),
            shapes,
            Set.of(),
            "vision_model.embeddings.position_embedding.weight",
            IGNORED::contains);
    if (!problems.isEmpty()) {
      throw new ClipWeightsException(
          "Hugging Face CLIP weights " + source + " do not fit " + config + ":" + problems);
    }
  }

  /**
   * Reads a Hugging Face {@code CLIPModel} safetensors file ({@code model.safetensors}) and returns
   * its tensors under OpenAI / open_clip names, float32. Names and shapes are checked strictly
   * before any tensor is read.
   *
   * @param file the safetensors file
   * @param config the architecture (e.g. {@link HuggingFaceConfigs#parse} of the {@code
   *     config.json} beside it)
   * @param manager owner of the returned arrays (their device is the manager's)
   * @return OpenAI name → float32 array, ready for {@link ClipModel#fromWeights}
   * @throws ClipWeightsException listing every missing, unexpected and mis-shaped tensor at once,
   *     or naming a corrupt file
   */
  public static Map<String, NDArray> read(Path file, ClipConfig config, NDManager manager) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(manager, "manager");
    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
      Map<String, long[]> shapes = new LinkedHashMap<>();
      for (String n : reader.names()) {
        shapes.put(n, reader.shape(n));
      }
      validate(config, shapes, file.toString());
      Map<String, NDArray> out = new LinkedHashMap<>();
      try (NDManager scope = manager.newSubManager()) {
        for (String name : ClipWeights.expectedShapes(config).keySet()) {
          String hfName = huggingFaceName(name);
          Map<String, NDArray> parts = new LinkedHashMap<>();
          if (name.endsWith("attn.in_proj_weight") || name.endsWith("attn.in_proj_bias")) {
            for (String qkv : List.of(".q_proj.", ".k_proj.", ".v_proj.")) {
              String n = hfName.replace(".q_proj.", qkv);
              parts.put(n, reader.read(n, scope, DataType.FLOAT32));
            }
          } else {
            parts.put(hfName, reader.read(hfName, scope, DataType.FLOAT32));
          }
          NDArray a = convert(name, parts, scope);
          a.setName(name);
          a.attach(manager);
          out.put(name, a);
        }
      }
      return out;
    }
  }

  /**
   * Converts Hugging Face {@code CLIPModel} tensors to OpenAI / open_clip names, after a strict
   * {@link #validate check}. Every returned array is float32 (half and bfloat16 weights are
   * widened); arrays that need no change are returned as they are (same object, renamed), the
   * concatenated in-projections and transposed projections are new arrays attached to {@code
   * manager}.
   *
   * @param config the architecture (e.g. from {@link HuggingFaceConfigs#parse})
   * @param hfTensors Hugging Face name → array
   * @param manager owner of the new arrays
   * @param source what to call the weights in error messages (e.g. the file)
   * @return OpenAI name → array, in the order of {@link ClipWeights#expectedShapes}
   * @throws ClipWeightsException listing every missing, unexpected and mis-shaped tensor at once
   */
  public static Map<String, NDArray> toOpenClip(
      ClipConfig config, Map<String, NDArray> hfTensors, NDManager manager, String source) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(hfTensors, "hfTensors");
    Objects.requireNonNull(manager, "manager");
    Map<String, long[]> shapes = new LinkedHashMap<>();
    hfTensors.forEach((k, a) -> shapes.put(k, a.getShape().getShape()));
    validate(config, shapes, source);
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (String name : ClipWeights.expectedShapes(config).keySet()) {
      out.put(name, convert(name, hfTensors, manager));
    }
    out.forEach((k, a) -> a.setName(k));
    return out;
  }

  /**
   * Returns the Hugging Face name that holds an OpenAI tensor (for the in-projections: the {@code
   * q_proj} one; the {@code k_proj} and {@code v_proj} tensors follow it).
   *
   * @param openAiName an OpenAI / open_clip tensor name
   * @return the Hugging Face name
   * @throws IllegalArgumentException for a name that a CLIP state dict does not have
   */
  public static String huggingFaceName(String openAiName) {
    String n = openAiName;
    switch (n) {
      case "visual.class_embedding":
        return "vision_model.embeddings.class_embedding";
      case "visual.conv1.weight":
        return "vision_model.embeddings.patch_embedding.weight";
      case "visual.positional_embedding":
        return "vision_model.embeddings.position_embedding.weight";
      case "visual.proj":
        return "visual_projection.weight";
      case "token_embedding.weight":
        return "text_model.embeddings.token_embedding.weight";
      case "positional_embedding":
        return "text_model.embeddings.position_embedding.weight";
      case "text_projection":
        return "text_projection.weight";
      case "logit_scale":
        return "logit_scale";
      default:
        break;
    }
    String[][] fixed = {
      {"visual.ln_pre.", "vision_model.pre_layrnorm."},
      {"visual.ln_post.", "vision_model.post_layernorm."},
      {"ln_final.", "text_model.final_layer_norm."},
    };
    for (String[] f : fixed) {
      if (n.startsWith(f[0]) && (n.endsWith(".weight") || n.endsWith(".bias"))) {
        return f[1] + n.substring(f[0].length());
      }
    }
    String prefix;
    String rest;
    if (n.startsWith("visual.transformer.resblocks.")) {
      prefix = "vision_model.encoder.layers.";
      rest = n.substring("visual.transformer.resblocks.".length());
    } else if (n.startsWith("transformer.resblocks.")) {
      prefix = "text_model.encoder.layers.";
      rest = n.substring("transformer.resblocks.".length());
    } else {
      throw new IllegalArgumentException("not a CLIP tensor name: '" + openAiName + "'");
    }
    int dot = rest.indexOf('.');
    if (dot < 1) {
      throw new IllegalArgumentException("not a CLIP tensor name: '" + openAiName + "'");
    }
    String block = rest.substring(0, dot);
    String tail = rest.substring(dot + 1);
    String mapped;
    switch (tail) {
      case "attn.in_proj_weight":
        mapped = "self_attn.q_proj.weight";
        break;
      case "attn.in_proj_bias":
        mapped = "self_attn.q_proj.bias";
        break;
      case "attn.out_proj.weight":
      case "attn.out_proj.bias":
        mapped = "self_attn." + tail.substring("attn.".length());
        break;
      case "ln_1.weight":
      case "ln_1.bias":
        mapped = "layer_norm1." + tail.substring("ln_1.".length());
        break;
      case "ln_2.weight":
      case "ln_2.bias":
        mapped = "layer_norm2." + tail.substring("ln_2.".length());
        break;
      case "mlp.c_fc.weight":
      case "mlp.c_fc.bias":
        mapped = "mlp.fc1." + tail.substring("mlp.c_fc.".length());
        break;
      case "mlp.c_proj.weight":
      case "mlp.c_proj.bias":
        mapped = "mlp.fc2." + tail.substring("mlp.c_proj.".length());
        break;
      default:
        throw new IllegalArgumentException("not a CLIP tensor name: '" + openAiName + "'");
    }
    return prefix + block + "." + mapped;
  }

  private static NDArray convert(String openAiName, Map<String, NDArray> hf, NDManager manager) {
    String hfName = huggingFaceName(openAiName);
    if (openAiName.endsWith("attn.in_proj_weight") || openAiName.endsWith("attn.in_proj_bias")) {
      NDArray q = hf.get(hfName);
      NDArray k = hf.get(hfName.replace(".q_proj.", ".k_proj."));
      NDArray v = hf.get(hfName.replace(".q_proj.", ".v_proj."));
      NDArray cat = NDArrays.concat(new NDList(float32(q), float32(k), float32(v)), 0);
      cat.attach(manager);
      return cat;
    }
    NDArray a = hf.get(hfName);
    if (openAiName.equals("visual.proj") || openAiName.equals("text_projection")) {
      // HF keeps nn.Linear weights (D, W); OpenAI multiplies x (.., W) @ proj (W, D).
      NDArray t = float32(a).transpose().duplicate();
      t.attach(manager);
      return t;
    }
    if (a.getDataType() != DataType.FLOAT32) {
      NDArray f = a.toType(DataType.FLOAT32, true);
      f.attach(manager);
      return f;
    }
    return a;
  }

  private static NDArray float32(NDArray a) {
    return a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, true);
  }
}
