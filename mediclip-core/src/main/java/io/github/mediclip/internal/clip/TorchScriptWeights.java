package io.github.mediclip.internal.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipWeights;
import io.github.mediclip.clip.ClipWeightsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the parameters of OpenAI's TorchScript CLIP archives ({@code ViT-B-16.pt}, {@code
 * ViT-L-14.pt}, ... as published by OpenAI's {@code clip} package) through the PyTorch engine:
 * libtorch loads the archive as a TorchScript module (its own, restricted unpickler; nothing is
 * unpickled in Java or Python) and DJL hands over the module's named parameters, which already
 * carry the OpenAI names ({@code visual.conv1.weight}, {@code
 * visual.transformer.resblocks.N.attn.in_proj_weight}, {@code positional_embedding}, ...).
 *
 * <p>OpenAI's archives hold half-precision weights; every returned array is float32. OpenAI ships
 * no config file: {@link #inferConfig(Map)} derives the architecture from the tensor shapes, as
 * OpenAI's {@code build_model} does (head width 64, QuickGELU).
 *
 * <p>Only the PyTorch engine can read these archives (the classpath needs {@code pytorch-jni} and a
 * libtorch). Legacy (non-zip) {@code torch.save} pickles and plain {@code state_dict} files are not
 * TorchScript and are rejected with a message that says so; convert them to safetensors instead
 * (docs/weights.md).
 */
public final class TorchScriptWeights {

  /** Non-weight entries that some OpenAI state dicts carry; skipped when present. */
  private static final Set<String> IGNORED =
      Set.of("input_resolution", "context_length", "vocab_size");

  private static final Pattern VISION_BLOCK =
      Pattern.compile("^visual\\.transformer\\.resblocks\\.(\\d+)\\.");
  private static final Pattern TEXT_BLOCK = Pattern.compile("^transformer\\.resblocks\\.(\\d+)\\.");

  private TorchScriptWeights() {}

  /**
   * Reads every parameter of a TorchScript archive, under the names that the module gives them.
   *
   * @param file the {@code .pt} TorchScript archive
   * @param manager owner of the returned arrays; must belong to the PyTorch engine
   * @return name → float32 array (CPU), in the module's order
   * @throws ClipWeightsException when the file is missing or not a TorchScript archive (the message
   *     names the file)
   * @throws IllegalArgumentException when {@code manager} is not a PyTorch-engine manager
   */
  public static Map<String, NDArray> readParameters(Path file, NDManager manager) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(manager, "manager");
    if (!(manager instanceof PtNDManager)) {
      throw new IllegalArgumentException(
          "manager must belong to the PyTorch engine to read TorchScript "
              + file
              + ", got a "
              + manager.getEngine().getEngineName()
              + " manager");
    }
    if (!Files.isRegularFile(file)) {
      throw new ClipWeightsException(
          "TorchScript archive " + file + " does not exist or is not a file");
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (NDManager scope = manager.newSubManager(Device.cpu())) {
      PtSymbolBlock block;
      try {
        block =
            JniUtils.loadModule(
                (PtNDManager) scope,
                file.toAbsolutePath(),
                true,
                new String[0],
                new String[0],
                false);
      } catch (
          RuntimeException e) { // libtorch's c10::Error arrives as ai.djl.engine.EngineException
        throw new ClipWeightsException(
            "cannot read "
                + file
                + " as a TorchScript archive (OpenAI CLIP .pt): "
                + firstLine(e.getMessage())
                + ". Plain torch.save() pickles are not read (nothing is"
                + " unpickled); convert such a file to safetensors, see docs/weights.md",
            e);
      }
      try {
        NDList params = JniUtils.moduleGetParams(block, (PtNDManager) scope);
        for (NDArray p : params) {
          String name = p.getName();
          if (name == null || IGNORED.contains(name)) {
            continue;
          }
          // Copy out of the module (and widen fp16) into storage of their own: DJL's toType with
          // copy=true can return an alias when the type does not change, so clone float32
          // explicitly.
          NDArray copy =
              p.getDataType() == DataType.FLOAT32
                  ? p.duplicate()
                  : p.toType(DataType.FLOAT32, false);
          copy.setName(name);
          copy.attach(manager);
          out.put(name, copy);
        }
      } finally {
        block.close();
      }
    }
    return out;
  }

  /**
   * Reads an OpenAI CLIP TorchScript archive and checks it, strictly, against a configuration.
   *
   * @param file the {@code .pt} archive
   * @param config the expected architecture, or null to infer it from the shapes ({@link
   *     #inferConfig})
   * @param manager owner of the returned arrays (PyTorch engine)
   * @return OpenAI name → float32 array, ready for {@link ClipModel#fromWeights}
   * @throws ClipWeightsException listing every missing, unexpected and mis-shaped tensor at once
   *     ({@link ClipWeights#validate}, strict)
   */
  public static Map<String, NDArray> read(Path file, ClipConfig config, NDManager manager) {
    Map<String, NDArray> params = readParameters(file, manager);
    Map<String, long[]> shapes = new LinkedHashMap<>();
    params.forEach((k, a) -> shapes.put(k, a.getShape().getShape()));
    ClipConfig cfg = config != null ? config : inferConfig(shapes, file.toString());
    try {
      ClipWeights.validate(cfg, shapes, file.toString(), true);
    } catch (ClipWeightsException e) {
      params.values().forEach(NDArray::close);
      throw e;
    }
    return params;
  }

  /**
   * Derives the architecture from the shapes of an OpenAI-named CLIP state dict, as OpenAI's {@code
   * build_model} does: vision width and patch from {@code visual.conv1.weight}, grid from {@code
   * visual.positional_embedding}, embedding from {@code text_projection}, text width from {@code
   * ln_final.weight}, context and vocabulary from the embeddings, layer counts from the block
   * indices; head width 64 and QuickGELU (all OpenAI models), MLP ratio from {@code
   * mlp.c_fc.weight}.
   *
   * @param shapes name → shape
   * @param source what to call the weights in error messages
   * @return the configuration
   * @throws ClipWeightsException when a tensor needed for the inference is missing (named in the
   *     message)
   */
  public static ClipConfig inferConfig(Map<String, long[]> shapes, String source) {
    long[] conv = need(shapes, "visual.conv1.weight", source);
    long[] vpos = need(shapes, "visual.positional_embedding", source);
    long[] tproj = need(shapes, "text_projection", source);
    long[] lnf = need(shapes, "ln_final.weight", source);
    long[] tpos = need(shapes, "positional_embedding", source);
    long[] tok = need(shapes, "token_embedding.weight", source);
    long[] fc = need(shapes, "visual.transformer.resblocks.0.mlp.c_fc.weight", source);
    int vWidth = (int) conv[0];
    int patch = (int) conv[conv.length - 1];
    int grid = (int) Math.round(Math.sqrt(vpos[0] - 1));
    if (grid * grid + 1 != vpos[0]) {
      throw new ClipWeightsException(
          "OpenAI CLIP weights "
              + source
              + ": visual.positional_embedding has "
              + vpos[0]
              + " rows, not 1 + g*g");
    }
    int tWidth = (int) lnf[0];
    try {
      ClipConfig.VisionConfig vision =
          new ClipConfig.VisionConfig(
              grid * patch,
              countBlocks(shapes, VISION_BLOCK),
              vWidth,
              64,
              patch,
              fc[0] / (double) vWidth);
      ClipConfig.TextConfig text =
          new ClipConfig.TextConfig(
              (int) tpos[0],
              (int) tok[0],
              tWidth,
              Math.max(1, tWidth / 64),
              countBlocks(shapes, TEXT_BLOCK));
      return new ClipConfig((int) tproj[1], vision, text, true);
    } catch (IllegalArgumentException e) {
      throw new ClipWeightsException(
          "OpenAI CLIP weights " + source + " give no valid architecture: " + e.getMessage(), e);
    }
  }

  /**
   * Same as {@link #inferConfig(Map, String)} for a map of arrays.
   *
   * @param tensors OpenAI name → array
   * @return the configuration
   */
  public static ClipConfig inferConfig(Map<String, NDArray> tensors) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensors.forEach((k, a) -> shapes.put(k, a.getShape().getShape()));
    return inferConfig(shapes, "<tensors>");
  }

  private static int countBlocks(Map<String, long[]> shapes, Pattern p) {
    int max = -1;
    for (String k : shapes.keySet()) {
      Matcher m = p.matcher(k);
      if (m.find()) {
        max = Math.max(max, Integer.parseInt(m.group(1)));
      }
    }
    return max + 1;
  }

  private static long[] need(Map<String, long[]> shapes, String name, String source) {
    long[] s = shapes.get(name);
    if (s == null) {
      throw new ClipWeightsException(
          "OpenAI CLIP weights "
              + source
              + " have no tensor '"
              + name
              + "', which is needed to infer the architecture");
    }
    return s;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
