package io.github.mediclip;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.clip.ClipWeights;
import java.nio.file.Path;

/**
 * Opening backbones (used by fitting and by bundle loading): a model folder, or the random weights
 * of a preset, each with its weights hash for the provenance.
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
