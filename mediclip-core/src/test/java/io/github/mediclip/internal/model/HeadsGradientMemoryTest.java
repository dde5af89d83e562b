package io.github.mediclip.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.model.HeadsConfig;
import io.github.mediclip.model.TinyBackbone;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The heads' gradients must not depend on when the JVM collects garbage between the forward pass
 * and {@code backward}.
 *
 * <p>On the PyTorch engine, an array created from Java data on the CPU wraps a direct {@link
 * ByteBuffer} without copying, and only that Java array keeps the buffer alive. Tensors that
 * autograd saves for the backward pass outlive the sub-managers of the forward pass; if one of them
 * still pointed into such a buffer, a garbage collection before {@code backward} would free it, the
 * memory would be reused, and the gradients would be computed from whatever was written there. This
 * was the cause of training runs that diverged only under CPU load (where the collection happens to
 * fall between forward and backward): {@code LearningCheckTest} (NaN in a late epoch) and {@code
 * FewShotTrainerTest} (two identical runs differing from epoch 2).
 *
 * <p>The test forces the bad timing: after the forward pass it collects garbage, waits for the
 * direct buffers to be freed, and fills freshly allocated native memory of every size with NaN; the
 * gradients must be bit-identical to those of an undisturbed pass.
 */
class HeadsGradientMemoryTest {

  private static final int SIZE = 64;

  @Test
  void gradientsDoNotDependOnAGarbageCollectionBeforeBackward() throws InterruptedException {
    HeadsConfig cfg =
        HeadsConfig.reference(List.of(2, 4, 6))
            .withPrompts(List.of("normal", "healthy"), List.of("abnormal", "lesion"))
            .withFastPromptEncoder();
    SplittableRandom r = new SplittableRandom(21);
    float[] images = new float[2 * 3 * SIZE * SIZE];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) r.nextGaussian();
    }
    float[] masks = new float[2 * SIZE * SIZE];
    for (int y = 20; y < 40; y++) {
      for (int x = 24; x < 44; x++) {
        masks[y * SIZE + x] = 1f;
      }
    }
    try (ClipModel clip = TinyBackbone.create(5L);
        MediClipHeads heads = MediClipHeads.create(clip, cfg, 7L)) {
      Map<String, float[]> quiet = gradients(clip, heads, images, masks, false);
      Map<String, float[]> disturbed = gradients(clip, heads, images, masks, true);
      assertThat(disturbed.keySet()).isEqualTo(quiet.keySet());
      for (String name : quiet.keySet()) {
        float[] q = quiet.get(name);
        float[] d = disturbed.get(name);
        int at = Arrays.mismatch(q, d);
        assertThat(at)
            .as(
                "%s: first gradient element that changed with a collection before backward (%s)",
                name, at < 0 ? "none" : q[at] + " -> " + d[at])
            .isEqualTo(-1);
      }
    }
  }

  private static Map<String, float[]> gradients(
      ClipModel clip, MediClipHeads heads, float[] images, float[] masks, boolean disturb)
      throws InterruptedException {
    Map<String, NDArray> params = heads.parameters();
    Map<String, float[]> grads = new LinkedHashMap<>();
    List<ByteBuffer> garbage = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager(clip.device(), "PyTorch");
        GradientCollector gc = m.getEngine().newGradientCollector()) {
      NDArray x = m.create(images, new Shape(2, 3, SIZE, SIZE));
      NDArray y = m.create(masks, new Shape(2, SIZE, SIZE));
      NDArray t = heads.textFeatures(clip, m);
      NDArray loss = Losses.total(heads.forward(clip, x, t).anomalyMap(), y);
      if (disturb) {
        for (int round = 0; round < 3; round++) {
          System.gc();
          Thread.sleep(100); // the reference handler frees the unreachable direct buffers
        }
        // reuse the freed native memory: blocks of every size up to 1 MiB, filled with NaN
        for (int bytes = 64; bytes <= 1 << 20; bytes += bytes < 4096 ? 64 : bytes / 8) {
          for (int copy = 0; copy < 4; copy++) {
            ByteBuffer b = ByteBuffer.allocateDirect(bytes);
            while (b.remaining() >= 4) {
              b.putInt(0x7fc00000);
            }
            garbage.add(b);
          }
        }
      }
      gc.backward(loss);
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        grads.put(e.getKey(), e.getValue().getGradient().toFloatArray());
      }
    }
    AdamOptimizer.zeroGradients(params);
    Reference.reachabilityFence(garbage); // the NaN blocks stay allocated until after backward
    return grads;
  }
}
