package io.github.mediclip.cli.parity;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.internal.clip.SafetensorsReader;
import io.github.mediclip.internal.model.AdamOptimizer;
import io.github.mediclip.internal.model.Losses;
import io.github.mediclip.internal.model.MediClipHeads;
import io.github.mediclip.model.ClassTokenPosition;
import io.github.mediclip.model.HeadsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Recomputes, with this library, what a parity fixture folder (layout of {@code tiny-clip-64}, made
 * by running the reference MediCLIP code) holds for the heads: adapted features, prompt ids and
 * text features, anomaly maps, image scores, focal / dice / total loss, the gradient of every
 * trainable tensor and the parameters after one Adam step.
 *
 * <p>Fixture layout: {@code meta.json} (clip_config, out_layers_1_based, prompts, n_ctx,
 * class_specific_context, class_token_position, prompt_encoder_causal_mask, adam), {@code
 * clip.safetensors} (open_clip names), {@code heads.safetensors} (the reference heads' parameters),
 * {@code inputs.safetensors} ({@code images} (B, 3, S, S) normalized, {@code masks} (B, S, S)), and
 * the CLIP BPE vocabulary {@code bpe_simple_vocab_16e6.txt.gz} in the folder or its parent.
 */
public final class HeadsParity {

  private HeadsParity() {}

  /**
   * Runs the heads on a fixture folder.
   *
   * @param fixtureDir the fixture folder
   * @param manager manager of the returned arrays
   * @return tensors named as in the fixture's {@code expected.safetensors}: {@code
   *     prompt.ids.normal}, {@code prompt.ids.abnormal}, {@code heads.adapted{i}}, {@code
   *     heads.text_features}, {@code heads.anomaly_map}, {@code heads.image_scores}, {@code
   *     loss.focal}, {@code loss.dice}, {@code loss.total}, {@code grad.<param>} and {@code
   *     adam1.<param>}
   * @throws UncheckedIOException if a file cannot be read (the message names it)
   */
  public static Map<String, NDArray> compute(Path fixtureDir, NDManager manager) {
    Objects.requireNonNull(fixtureDir, "fixtureDir");
    Objects.requireNonNull(manager, "manager");
    JsonObject meta = readMeta(fixtureDir.resolve("meta.json"));
    ClipConfig clipConfig = ClipConfig.fromOpenClipJsonString(meta.get("clip_config").toString());
    HeadsConfig cfg = headsConfig(meta);
    Path bpe = fixtureDir.resolve(ClipTokenizer.BPE_FILE);
    if (!Files.isRegularFile(bpe) && fixtureDir.toAbsolutePath().getParent() != null) {
      bpe = fixtureDir.toAbsolutePath().getParent().resolve(ClipTokenizer.BPE_FILE);
    }
    if (!Files.isRegularFile(bpe)) {
      throw new UncheckedIOException(
          new IOException(
              "no " + ClipTokenizer.BPE_FILE + " in " + fixtureDir + " or its parent folder"));
    }
    ClipTokenizer tokenizer = ClipTokenizer.fromBpeFile(bpe);
    JsonObject adam = meta.has("adam") ? meta.getAsJsonObject("adam") : new JsonObject();
    double lr = adam.has("lr") ? adam.get("lr").getAsDouble() : AdamOptimizer.DEFAULT_LEARNING_RATE;
    JsonArray betas = adam.has("betas") ? adam.getAsJsonArray("betas") : null;
    double b1 = betas != null ? betas.get(0).getAsDouble() : AdamOptimizer.DEFAULT_BETA1;
    double b2 = betas != null ? betas.get(1).getAsDouble() : AdamOptimizer.DEFAULT_BETA2;
    double eps = adam.has("eps") ? adam.get("eps").getAsDouble() : AdamOptimizer.DEFAULT_EPSILON;

    Device device = manager.getDevice();
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (NDManager work = NDManager.newBaseManager(device)) {
      Map<String, NDArray> weights = new LinkedHashMap<>();
      try (SafetensorsReader r = SafetensorsReader.open(fixtureDir.resolve("clip.safetensors"))) {
        for (String name : r.names()) {
          weights.put(name, r.read(name, work));
        }
      }
      Map<String, NDArray> headParams = new LinkedHashMap<>();
      try (SafetensorsReader r = SafetensorsReader.open(fixtureDir.resolve("heads.safetensors"))) {
        for (String name : r.names()) {
          headParams.put(name, r.read(name, work));
        }
      }
      NDArray images;
      NDArray masks;
      try (SafetensorsReader r = SafetensorsReader.open(fixtureDir.resolve("inputs.safetensors"))) {
        images = r.read("images", work, DataType.FLOAT32);
        masks = r.read("masks", work, DataType.FLOAT32);
      }
      try (ClipModel clip = ClipModel.fromWeights(clipConfig, weights, device);
          MediClipHeads heads = MediClipHeads.create(clip, tokenizer, cfg, 0L);
          AdamOptimizer adamOpt = new AdamOptimizer(lr, b1, b2, eps)) {
        heads.loadParameters(headParams);
        out.put("prompt.ids.normal", manager.create(heads.promptTokenIds(0)));
        out.put("prompt.ids.abnormal", manager.create(heads.promptTokenIds(1)));
        try (NDManager step = work.newSubManager();
            GradientCollector gc = work.getEngine().newGradientCollector()) {
          NDArray imgs = images.duplicate();
          imgs.attach(step);
          NDArray t = heads.textFeatures(clip, step);
          MediClipHeads.HeadsOutput ho = heads.forward(clip, imgs, t);
          NDArray focal = Losses.focal(ho.anomalyMap(), masks);
          NDArray dice = Losses.dice(ho.anomalyMap().get(":, 1, :, :"), masks);
          NDArray total = focal.add(dice);
          gc.backward(total);
          List<NDArray> adapted = ho.adapted();
          for (int i = 0; i < adapted.size(); i++) {
            out.put("heads.adapted" + i, keep(adapted.get(i), manager));
          }
          out.put("heads.text_features", keep(t, manager));
          out.put("heads.anomaly_map", keep(ho.anomalyMap(), manager));
          out.put("heads.image_scores", keep(ho.imageScores(), manager));
          out.put("loss.focal", keep(focal, manager));
          out.put("loss.dice", keep(dice, manager));
          out.put("loss.total", keep(total, manager));
        }
        List<String> names = new ArrayList<>(heads.parameters().keySet());
        for (String name : names) {
          NDArray g = heads.parameters().get(name).getGradient();
          out.put("grad." + name, keep(g, manager));
          g.close();
        }
        adamOpt.step(heads.parameters());
        for (String name : names) {
          out.put("adam1." + name, keep(heads.parameters().get(name), manager));
        }
      }
    }
    return out;
  }

  /** A detached copy of {@code a} attached to {@code m}. */
  private static NDArray keep(NDArray a, NDManager m) {
    float[] data = a.toType(DataType.FLOAT32, false).toFloatArray();
    return m.create(data, a.getShape());
  }

  /**
   * The heads configuration a fixture's {@code meta.json} describes.
   *
   * @param meta the parsed meta.json
   * @return the configuration (reference defaults for absent keys)
   */
  static HeadsConfig headsConfig(JsonObject meta) {
    List<Integer> layers = new ArrayList<>();
    for (JsonElement e : meta.getAsJsonArray("out_layers_1_based")) {
      layers.add(e.getAsInt());
    }
    HeadsConfig cfg = HeadsConfig.reference(layers);
    if (meta.has("prompts")) {
      JsonObject p = meta.getAsJsonObject("prompts");
      cfg =
          cfg.withPrompts(
              strings(p.getAsJsonArray("normal")), strings(p.getAsJsonArray("abnormal")));
    }
    if (meta.has("n_ctx")) {
      cfg = cfg.withNCtx(meta.get("n_ctx").getAsInt());
    }
    if (meta.has("class_specific_context")) {
      cfg = cfg.withClassSpecificContext(meta.get("class_specific_context").getAsBoolean());
    }
    if (meta.has("class_token_position")) {
      JsonElement pos = meta.get("class_token_position");
      String name =
          pos.isJsonArray() ? pos.getAsJsonArray().get(0).getAsString() : pos.getAsString();
      cfg = cfg.withPosition(ClassTokenPosition.parse(name));
    }
    if (meta.has("prompt_encoder_causal_mask")) {
      boolean causal = meta.get("prompt_encoder_causal_mask").getAsBoolean();
      cfg = cfg.withPromptEncoder(causal, false);
    }
    return cfg;
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : a) {
      out.add(e.getAsString());
    }
    return out;
  }

  static JsonObject readMeta(Path file) {
    try {
      return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read parity meta file " + file + ": " + e.getMessage(), e);
    }
  }
}
