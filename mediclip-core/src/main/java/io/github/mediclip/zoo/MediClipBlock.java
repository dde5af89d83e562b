package io.github.mediclip.zoo;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.internal.DetectorAccess;
import java.util.Objects;

/**
 * A DJL {@link ai.djl.nn.Block} that runs a {@link MediClipDetector}: input NDList [images (B, 3,
 * S, S) normalised as {@link io.github.mediclip.internal.train.GrayTensors} does] → output NDList
 * [anomaly maps (B, S, S), image scores (B)], both float32. It has no DJL parameters (the heads and
 * backbone are held by the detector); it is an inference-only block.
 */
public final class MediClipBlock extends AbstractBlock {

  private final MediClipDetector detector;

  /**
   * Wraps a detector.
   *
   * @param detector the detector (owned by whoever created it; see {@link MediClipBlockFactory})
   */
  public MediClipBlock(MediClipDetector detector) {
    this.detector = Objects.requireNonNull(detector, "detector");
    inputNames = java.util.List.of("images");
  }

  /**
   * Returns the wrapped detector.
   *
   * @return the detector
   */
  public MediClipDetector detector() {
    return detector;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    if (training) {
      throw new UnsupportedOperationException(
          "MediClipBlock is inference-only; train with MediClip.builder()...fit(...)");
    }
    return DetectorAccess.get().forward(detector, inputs.singletonOrThrow());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    int s = detector.imageSize();
    return new Shape[] {new Shape(b, s, s), new Shape(b)};
  }

  @Override
  public String toString() {
    return "MediClipBlock(imageSize=" + detector.imageSize() + ")";
  }
}
