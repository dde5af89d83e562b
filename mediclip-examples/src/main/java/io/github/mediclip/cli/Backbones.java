package io.github.mediclip.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.clip.ClipWeights;
import io.github.mediclip.internal.clip.SafetensorsWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes randomly initialized CLIP model folders (used by {@code init-backbone} and {@code demo}).
 */
final class Backbones {
  /** Marker file written next to the weights of a random backbone. */
  static final String RANDOM_MARKER = "RANDOM_INIT.json";

  static final String WARNING =
      "RANDOMLY INITIALIZED CLIP, NOT PRETRAINED: anomaly-detection figures obtained with "
          + "it show that the pipeline works, not what a pretrained CLIP achieves";

  private Backbones() {}

  /**
   * Maps the CLI's preset spelling (tiny, vit-b-16, vit-l-14, ...) to a {@link ClipConfig} preset
   * name.
   */
  static String presetName(String preset) {
    for (String p : ClipConfig.presetNames()) {
      if (p.equalsIgnoreCase(preset)) {
        return p;
      }
    }
    throw new CliException(
        "--preset: unknown preset '"
            + preset
            + "'; available: "
            + String.join(", ", ClipConfig.presetNames()).toLowerCase(Locale.ROOT),
        MediClipCli.EXIT_USAGE);
  }

  /** Result of {@link #writeRandom}. */
  record Written(
      Path folder,
      String preset,
      long seed,
      long parameters,
      ClipConfig config,
      String tokenizer) {}

  /**
   * Writes {@code open_clip_config.json}, {@code open_clip_model.safetensors} (metadata marks the
   * weights as random), the tokenizer files and {@value #RANDOM_MARKER}.
   *
   * @param tokenizerBpe a {@code bpe_simple_vocab_16e6.txt.gz}, or null for the generated
   *     byte-level tokenizer
   */
  static Written writeRandom(
      String preset, long seed, Integer imageSize, Path folder, Path tokenizerBpe) {
    String name = presetName(preset);
    ClipConfig cfg = ClipConfig.preset(name);
    if (imageSize != null) {
      cfg = cfg.withImageSize(imageSize);
    }
    ClipTokenizer tokenizer =
        tokenizerBpe == null
            ? ClipTokenizer.byteLevel()
            : ClipTokenizer.fromBpeFile(Check.file("--tokenizer", tokenizerBpe));
    if (tokenizer.vocabSize() > cfg.text().vocabSize()) {
      throw new CliException(
          "the tokenizer has "
              + tokenizer.vocabSize()
              + " tokens but preset "
              + name
              + " only "
              + cfg.text().vocabSize());
    }
    long params = 0;
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Map<String, NDArray> tensors = ClipWeights.randomInit(cfg, seed, manager);
      Map<String, long[]> shapes = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
        shapes.put(e.getKey(), e.getValue().getShape().getShape());
        params += e.getValue().size();
      }
      ClipWeights.validate(cfg, shapes, "random " + name, true);
      Files.createDirectories(folder);
      Files.writeString(
          folder.resolve(ClipWeights.CONFIG_FILE), cfg.toOpenClipJson(), StandardCharsets.UTF_8);
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("format", "pt");
      meta.put("mediclip.random_init", "true");
      meta.put("mediclip.preset", name);
      meta.put("mediclip.seed", Long.toString(seed));
      meta.put("mediclip.warning", WARNING);
      SafetensorsWriter.write(folder.resolve(ClipWeights.WEIGHTS_FILE), tensors, meta);
      tokenizer.save(folder);
      Map<String, Object> marker = Json.object();
      marker.put("random_init", true);
      marker.put("pretrained", false);
      marker.put("preset", name);
      marker.put("seed", seed);
      marker.put("image_size", cfg.vision().imageSize());
      marker.put("parameters", params);
      marker.put("tokenizer", tokenizerBpe == null ? "byte-level (generated, 514 tokens)" : "bpe");
      marker.put("warning", WARNING);
      Files.writeString(
          folder.resolve(RANDOM_MARKER), Json.pretty(marker) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write backbone folder " + folder + ": " + e.getMessage(), e);
    }
    return new Written(
        folder, name, seed, params, cfg, tokenizerBpe == null ? "byte-level" : "bpe");
  }

  /**
   * Prints a warning line on {@code err} when the backbone folder holds a randomly initialized
   * CLIP.
   */
  static void warnIfRandom(Path backbone, PrintWriter err) {
    if (isRandom(backbone)) {
      err.println("mediclip: WARNING: the backbone " + backbone + " is " + WARNING);
    }
  }

  /** Whether a model folder carries the random-initialization marker. */
  static boolean isRandom(Path folder) {
    return folder != null && Files.isRegularFile(folder.resolve(RANDOM_MARKER));
  }
}
