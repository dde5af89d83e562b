package io.github.mediclip;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.clip.ClipWeights;
import io.github.mediclip.clip.ClipWeightsException;
import java.nio.file.Path;

/**
 * Opening backbones (used by fitting and by bundle loading): a model folder, or the random weights
 * of a preset, each with its weights hash for the provenance; and reading a backbone's
 * configuration without its weights (for {@link MediClip.Builder#build()}).
 */
final class Backbones {

  private Backbones() {}

  /** An opened backbone with its provenance. */
  record Opened(
      ClipModel model, boolean owned, Path folder, String preset, long randomSeed, String sha256) {
    Opened(ClipModel model, boolean owned, Path folder, String preset, long randomSeed) {
      this(model, owned, folder, preset, randomSeed, sha256Of(model));
    }
  }

  static String sha256Of(ClipModel model) {
    String s = model.weightsSha256();
    if (s == null || s.isEmpty()) {
      throw new MediClipException("Backbone has no weights hash; cannot record its provenance");
    }
    return s;
  }

  /**
   * The configuration of the backbone a spec names, at the requested image size, read without
   * loading weights (the cross-field checks of {@link MediClip.Builder#build()}).
   *
   * @param source the backbone source, or {@code null} when none was set
   * @param imageSize the requested input size, or 0 for the backbone's own
   * @return the configuration, with the image size applied
   * @throws IllegalStateException when no backbone was set
   * @throws IllegalArgumentException naming the field when the image size does not fit the backbone
   */
  static ClipConfig config(BackboneSource source, int imageSize) {
    ClipConfig cfg;
    if (source instanceof BackboneSource.Loaded loaded) {
      cfg = loaded.model().config();
      if (imageSize != 0 && imageSize != cfg.vision().imageSize()) {
        throw new IllegalArgumentException(
            "imageSize "
                + imageSize
                + " differs from the given ClipModel's "
                + cfg.vision().imageSize()
                + "; load the ClipModel at that size instead");
      }
    } else if (source instanceof BackboneSource.Folder folder) {
      cfg = readConfig(folder.folder());
    } else if (source instanceof BackboneSource.Random random) {
      cfg = ClipConfig.preset(random.preset());
    } else {
      throw new IllegalStateException(
          "backbone is required: call setBackbone(folder), setBackbone(ClipModel) or"
              + " setRandomBackbone(preset, seed)");
    }
    if (imageSize != 0 && imageSize != cfg.vision().imageSize()) {
      if (imageSize % cfg.vision().patchSize() != 0) {
        throw new IllegalArgumentException(
            "imageSize "
                + imageSize
                + " must be a multiple of the backbone's patch size "
                + cfg.vision().patchSize());
      }
      cfg = cfg.withImageSize(imageSize);
    }
    return cfg;
  }

  /**
   * Reads the configuration of a CLIP model folder without building the model ({@link
   * ClipModel#readConfig}): {@code open_clip_config.json}, else {@code config.json}, else inferred
   * from the tensor shapes of OpenAI-named weights (a config-less {@code ViT-L-14.pt} folder).
   *
   * @param folder the model folder
   * @return the configuration
   * @throws IllegalArgumentException naming the folder when it has no usable configuration or
   *     weights
   */
  static ClipConfig readConfig(Path folder) {
    try {
      return ClipModel.readConfig(folder);
    } catch (ClipWeightsException e) {
      throw new IllegalArgumentException(
          "backbone: " + e.getMessage() + "; see docs/weights.md for the model folder layout", e);
    }
  }

  static ClipModel loadClip(Path folder, int imageSize, Device device, boolean half) {
    ClipModel.Loader loader = ClipModel.loader().optDevice(device).optImageSize(imageSize);
    if (half && device.isGpu()) {
      loader.optDataType(DataType.FLOAT16);
    }
    return loader.load(folder);
  }

  /**
   * Creates the random backbone of a preset: open_clip-style random weights made at the requested
   * image size (so the same preset, seed and size always give the same weights and hash) and the
   * synthetic byte-level tokenizer ({@link ClipTokenizer#byteLevel()}).
   */
  static Opened random(String preset, long seed, int imageSize, Device device, boolean half) {
    ClipConfig cfg = ClipConfig.preset(preset);
    if (imageSize > 0 && imageSize != cfg.vision().imageSize()) {
      cfg = cfg.withImageSize(imageSize);
    }
    ClipModel model;
    try (NDManager tmp = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      ClipModel.Loader loader =
          ClipModel.loader().optDevice(device).optTokenizer(ClipTokenizer.byteLevel());
      if (half && device.isGpu()) {
        loader.optDataType(DataType.FLOAT16);
      }
      // randomInit's arrays own libtorch memory; the loader copies each one and frees it at once,
      // so
      // that only one copy of the weights is held at a time.
      model = loader.fromWeightsTakingOwnership(cfg, ClipWeights.randomInit(cfg, seed, tmp));
    }
    return new Opened(model, true, null, preset, seed);
  }
}
