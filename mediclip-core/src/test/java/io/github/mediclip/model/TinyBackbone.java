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
   * A frozen CLIP of the given architecture with seeded random weights, on the CPU.
   *
   * <p>The manager that holds the generated source weights is deliberately left open (garbage
   * collected with the arrays): with DJL 0.36, arrays created from Java buffers may share memory
   * with the copies that {@code ClipModel.fromWeights} makes on the same device, and closing it
   * crashed the JVM (SIGSEGV in the token embedding lookup). Reported to the owner of {@code
   * ClipModel}.
   */
  public static ClipModel create(ClipConfig config, long seed) {
    NDManager m = NDManager.newBaseManager(Device.cpu());
    Map<String, NDArray> w = ClipWeights.randomInit(config, seed, m);
    return ClipModel.loader()
        .optDevice(Device.cpu())
        .optTokenizer(ClipTokenizer.byteLevel())
        .fromWeights(config, w);
  }

  public static ClipModel create(long seed) {
    return create(tinyConfig(), seed);
  }
}
