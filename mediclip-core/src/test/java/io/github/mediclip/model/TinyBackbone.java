package io.github.mediclip.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.clip.ClipWeights;
import java.util.Map;

/** Randomly initialized small CLIP backbones with the synthetic byte-level tokenizer, for tests. */
public final class TinyBackbone {

  private TinyBackbone() {}

  /** The fixture architecture ("tiny" preset: 64 px, patch 8, vision 6×64, text 3×64, D 32). */
  public static ClipConfig tinyConfig() {
    return ClipConfig.preset("tiny");
  }

  /**
   * A frozen CLIP of the given architecture with seeded random weights, on the CPU. The generated
   * source weights are released before returning: {@code ClipModel.fromWeights} copies them into
   * memory of its own (libtorch-owned clones), so nothing of the model refers to them.
   */
  public static ClipModel create(ClipConfig config, long seed) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      Map<String, NDArray> w = ClipWeights.randomInit(config, seed, m);
      return ClipModel.loader()
          .optDevice(Device.cpu())
          .optTokenizer(ClipTokenizer.byteLevel())
          .fromWeights(config, w);
    }
  }

  public static ClipModel create(long seed) {
    return create(tinyConfig(), seed);
  }
}
