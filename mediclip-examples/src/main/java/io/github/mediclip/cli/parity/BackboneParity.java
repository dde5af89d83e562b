package io.github.mediclip.cli.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.internal.clip.SafetensorsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Computes the backbone outputs of a parity fixture folder (the layout of {@code
 * shared/parity/tiny-clip-64}: {@code meta.json} with {@code clip_config}, {@code
 * out_layers_1_based} and {@code checkpoint_image_size}; {@code clip.safetensors} with open_clip
 * names; {@code inputs.safetensors} with normalized {@code images} (B, 3, S, S); {@code
 * expected.safetensors} with {@code text.ids}), so that they can be compared with the reference
 * outputs in {@code expected.safetensors}.
 */
public final class BackboneParity {

  private BackboneParity() {}

  /**
   * Runs the vision tower on the fixture's images and the text tower on its {@code text.ids}.
   *
   * @param fixtureDir the fixture folder
   * @param manager owner of the results (its device is used for the model)
   * @return tensors named as in {@code expected.safetensors}: {@code image.pooled} (B, D), {@code
   *     image.layerN} (B, 1 + g·g, W) for every N of {@code out_layers_1_based}, {@code
   *     text.features} (T, D)
   */
  public static Map<String, NDArray> compute(Path fixtureDir, NDManager manager) {
    Objects.requireNonNull(fixtureDir, "fixtureDir");
    Objects.requireNonNull(manager, "manager");
    JsonObject meta;
    Path metaFile = fixtureDir.resolve("meta.json");
    try {
      meta =
          JsonParser.parseString(Files.readString(metaFile, StandardCharsets.UTF_8))
              .getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read parity fixture " + metaFile + ": " + e.getMessage(), e);
    }
    ClipConfig config =
        ClipConfig.fromOpenClipJsonString(meta.getAsJsonObject("clip_config").toString());
    JsonArray layersJson = meta.getAsJsonArray("out_layers_1_based");
    int[] layers = new int[layersJson.size()];
    for (int i = 0; i < layers.length; i++) {
      layers[i] = layersJson.get(i).getAsInt();
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (NDManager scope = manager.newSubManager()) {
      Map<String, NDArray> weights = new LinkedHashMap<>();
      try (SafetensorsReader r = SafetensorsReader.open(fixtureDir.resolve("clip.safetensors"))) {
        for (String name : r.names()) {
          weights.put(name, r.read(name, scope, DataType.FLOAT32));
        }
      }
      // The configured image size is the one the model runs at; a checkpoint made for another
      // size (meta checkpoint_image_size) has its positional grid interpolated by the loader.
      try (ClipModel clip = ClipModel.fromWeights(config, weights, manager.getDevice())) {
        NDArray images;
        try (SafetensorsReader r =
            SafetensorsReader.open(fixtureDir.resolve("inputs.safetensors"))) {
          images = r.read("images", scope, DataType.FLOAT32);
        }
        NDArray ids;
        try (SafetensorsReader r =
            SafetensorsReader.open(fixtureDir.resolve("expected.safetensors"))) {
          ids = r.read("text.ids", scope, DataType.INT64);
        }
        ClipModel.VisionOutput vo = clip.encodeImage(images, layers);
        put(out, "image.pooled", vo.pooled(), manager);
        for (int i = 0; i < layers.length; i++) {
          put(out, "image.layer" + layers[i], vo.layers().get(i), manager);
        }
        put(out, "text.features", clip.encodeText(ids), manager);
      }
    }
    return out;
  }

  private static void put(Map<String, NDArray> out, String name, NDArray a, NDManager manager) {
    a.attach(manager);
    a.setName(name);
    out.put(name, a);
  }
}
