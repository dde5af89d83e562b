package io.github.mediclip.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.internal.clip.SafetensorsWriter;
import io.github.mediclip.internal.clip.WeightShapes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * OpenAI / open_clip tensor names and shapes of a CLIP, strict validation, random initialization
 * and writing of model folders.
 *
 * <p>Names as in open_clip's {@code CLIP.state_dict()} for OpenAI architectures: {@code
 * visual.conv1.weight} (W, 3, p, p), {@code visual.class_embedding} (W), {@code
 * visual.positional_embedding} (1 + g·g, W), {@code visual.ln_pre.*}, {@code
 * visual.transformer.resblocks.N.{ln_1, attn.in_proj_weight (3W, W), attn.in_proj_bias,
 * attn.out_proj, ln_2, mlp.c_fc, mlp.c_proj}}, {@code visual.ln_post.*}, {@code visual.proj} (W,
 * D), {@code token_embedding.weight} (V, Wt), {@code positional_embedding} (L, Wt), {@code
 * transformer.resblocks.N.*}, {@code ln_final.*}, {@code text_projection} (Wt, D), {@code
 * logit_scale} ().
 */
public final class ClipWeights {

  /** The file name of the weights that {@link #writeFolder} writes. */
  public static final String WEIGHTS_FILE = "open_clip_model.safetensors";

  /** The file name of the configuration that {@link #writeFolder} writes. */
  public static final String CONFIG_FILE = "open_clip_config.json";

  private ClipWeights() {}

  /**
   * Returns every tensor name of a CLIP with this configuration and its shape, in state-dict order.
   *
   * @param config the architecture
   * @return name to shape
   */
  public static Map<String, long[]> expectedShapes(ClipConfig config) {
    Objects.requireNonNull(config, "config");
    Map<String, long[]> s = new LinkedHashMap<>();
    ClipConfig.VisionConfig v = config.vision();
    ClipConfig.TextConfig t = config.text();
    long d = config.embedDim();
    long tw = t.width();
    s.put("positional_embedding", new long[] {t.contextLength(), tw});
    s.put("text_projection", new long[] {tw, d});
    s.put("logit_scale", new long[0]);
    long vw = v.width();
    s.put("visual.class_embedding", new long[] {vw});
    s.put("visual.positional_embedding", new long[] {v.tokens(), vw});
    s.put("visual.proj", new long[] {vw, d});
    s.put("visual.conv1.weight", new long[] {vw, 3, v.patchSize(), v.patchSize()});
    s.put("visual.ln_pre.weight", new long[] {vw});
    s.put("visual.ln_pre.bias", new long[] {vw});
    blocks(s, "visual.transformer.resblocks.", v.layers(), vw, v.mlpWidth());
    s.put("visual.ln_post.weight", new long[] {vw});
    s.put("visual.ln_post.bias", new long[] {vw});
    blocks(s, "transformer.resblocks.", t.layers(), tw, t.mlpWidth());
    s.put("token_embedding.weight", new long[] {t.vocabSize(), tw});
    s.put("ln_final.weight", new long[] {tw});
    s.put("ln_final.bias", new long[] {tw});
    return s;
  }

  private static void blocks(Map<String, long[]> s, String prefix, int layers, long w, long mlp) {
    for (int i = 0; i < layers; i++) {
      String p = prefix + i + ".";
      s.put(p + "ln_1.weight", new long[] {w});
      s.put(p + "ln_1.bias", new long[] {w});
      s.put(p + "attn.in_proj_weight", new long[] {3 * w, w});
      s.put(p + "attn.in_proj_bias", new long[] {3 * w});
      s.put(p + "attn.out_proj.weight", new long[] {w, w});
      s.put(p + "attn.out_proj.bias", new long[] {w});
      s.put(p + "ln_2.weight", new long[] {w});
      s.put(p + "ln_2.bias", new long[] {w});
      s.put(p + "mlp.c_fc.weight", new long[] {mlp, w});
      s.put(p + "mlp.c_fc.bias", new long[] {mlp});
      s.put(p + "mlp.c_proj.weight", new long[] {w, mlp});
      s.put(p + "mlp.c_proj.bias", new long[] {w});
    }
  }

  /**
   * Checks tensor names and shapes against a configuration and reports every problem at once.
   *
   * <p>{@code logit_scale} may be missing. A {@code visual.positional_embedding} of another square
   * grid (1 + h·h, W) is accepted (it is interpolated to the configured image size). In non-strict
   * mode unexpected tensors are ignored; missing and mis-shaped ones are always errors.
   *
   * @param config the architecture
   * @param shapes name to shape of the available tensors
   * @param source what the weights are (file or folder), for the message
   * @param strict whether unexpected tensors are errors
   * @throws ClipWeightsException listing every missing, unexpected and mis-shaped tensor
   */
  public static void validate(
      ClipConfig config, Map<String, long[]> shapes, String source, boolean strict) {
    String problems =
        WeightShapes.problems(
            expectedShapes(config),
            shapes,
            Set.of("logit_scale"),
            "visual.positional_embedding",
            name -> !strict);
    if (!problems.isEmpty()) {
      throw new ClipWeightsException(
          "CLIP weights " + source + " do not fit " + config + ":" + problems);
    }
  }

  /**
   * Creates randomly initialized float32 weights for a configuration, with open_clip's
   * initialization (token embedding N(0, 0.02), text positional embedding N(0, 0.01), attention
   * in-projections N(0, W^-0.5), out-projections and MLP output N(0, W^-0.5·(2·layers)^-0.5), MLP
   * input N(0, (2W)^-0.5), projections N(0, W^-0.5), class and visual positional embeddings
   * W^-0.5·N(0, 1), patch convolution U(±1/sqrt(3p²)), LayerNorms (1, 0), biases 0, logit scale
   * ln(1/0.07)). Deterministic per seed: one {@link SplittableRandom} stream is split off per
   * tensor, in state-dict order.
   *
   * @param config the architecture
   * @param seed the seed
   * @param manager owner of the arrays
   * @return name to array, in {@link #expectedShapes} order
   */
  public static Map<String, NDArray> randomInit(ClipConfig config, long seed, NDManager manager) {
    Objects.requireNonNull(manager, "manager");
    SplittableRandom root = new SplittableRandom(seed);
    Map<String, NDArray> out = new LinkedHashMap<>();
    ClipConfig.VisionConfig v = config.vision();
    ClipConfig.TextConfig t = config.text();
    for (Map.Entry<String, long[]> e : expectedShapes(config).entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      SplittableRandom r = root.split();
      boolean visual = name.startsWith("visual.");
      int width = visual ? v.width() : t.width();
      int layers = visual ? v.layers() : t.layers();
      double attnStd = Math.pow(width, -0.5);
      double projStd = attnStd * Math.pow(2.0 * layers, -0.5);
      double fcStd = Math.pow(2.0 * width, -0.5);
      int n = (int) new Shape(shape).size();
      float[] data = new float[n];
      if (name.equals("logit_scale")) {
        data[0] = (float) Math.log(1 / 0.07);
      } else if (name.endsWith("ln_1.weight")
          || name.endsWith("ln_2.weight")
          || name.endsWith("ln_pre.weight")
          || name.endsWith("ln_post.weight")
          || name.equals("ln_final.weight")) {
        Arrays.fill(data, 1f);
      } else if (name.endsWith(".bias") || name.endsWith("in_proj_bias")) {
        // zeros
      } else if (name.equals("token_embedding.weight")) {
        normal(r, data, 0.02);
      } else if (name.equals("positional_embedding")) {
        normal(r, data, 0.01);
      } else if (name.endsWith("attn.in_proj_weight")) {
        normal(r, data, attnStd);
      } else if (name.endsWith("attn.out_proj.weight") || name.endsWith("mlp.c_proj.weight")) {
        normal(r, data, projStd);
      } else if (name.endsWith("mlp.c_fc.weight")) {
        normal(r, data, fcStd);
      } else if (name.equals("visual.conv1.weight")) {
        double bound = 1.0 / Math.sqrt(3.0 * v.patchSize() * v.patchSize());
        for (int i = 0; i < n; i++) {
          data[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
      } else if (name.equals("text_projection")
          || name.equals("visual.proj")
          || name.equals("visual.class_embedding")
          || name.equals("visual.positional_embedding")) {
        normal(r, data, attnStd);
      } else {
        throw new IllegalStateException("no initialization rule for " + name);
      }
      // manager.create(float[]) wraps a Java direct buffer (counted against
      // -XX:MaxDirectMemorySize,
      // by default the heap size): copy into libtorch-owned memory and drop the buffer, so that a
      // ViT-L-14 does not need 1.7 GB of direct memory.
      NDArray a;
      try (NDArray wrapped = manager.create(data, new Shape(shape))) {
        a = wrapped.duplicate();
      }
      a.setName(name);
      out.put(name, a);
    }
    return out;
  }

  private static void normal(SplittableRandom r, float[] data, double std) {
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (r.nextGaussian() * std);
    }
  }

  /**
   * Writes a complete model folder that {@link ClipModel#load(Path, ai.djl.Device)} reads: {@value
   * #CONFIG_FILE}, {@value #WEIGHTS_FILE} (open_clip names) and, when a tokenizer is given, its
   * {@code vocab.json} + {@code merges.txt}.
   *
   * @param folder the target folder (created if needed)
   * @param config the architecture
   * @param tensors open_clip-named tensors (validated strictly first)
   * @param tokenizer the tokenizer to store, or {@code null} for none
   */
  public static void writeFolder(
      Path folder, ClipConfig config, Map<String, NDArray> tensors, ClipTokenizer tokenizer) {
    Objects.requireNonNull(folder, "folder");
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensors.forEach((k, a) -> shapes.put(k, a.getShape().getShape()));
    validate(config, shapes, "to be written to " + folder, true);
    try {
      Files.createDirectories(folder);
      Files.writeString(
          folder.resolve(CONFIG_FILE), config.toOpenClipJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + folder.resolve(CONFIG_FILE) + ": " + e.getMessage(), e);
    }
    SafetensorsWriter.write(folder.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt"));
    if (tokenizer != null) {
      tokenizer.save(folder);
    }
  }

  /** Returns whether an array holds a floating-point type. */
  static boolean isFloating(DataType t) {
    return t == DataType.FLOAT32
        || t == DataType.FLOAT16
        || t == DataType.BFLOAT16
        || t == DataType.FLOAT64;
  }
}
