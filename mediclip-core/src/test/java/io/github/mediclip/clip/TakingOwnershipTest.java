package io.github.mediclip.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ClipModel.Loader#fromWeightsTakingOwnership}: same model as {@code fromWeights}, caller's
 * arrays closed.
 */
class TakingOwnershipTest {

  private static final ClipConfig TINY = ClipConfig.preset("tiny");

  private static int[] bits(NDArray a) {
    float[] f = a.toFloatArray();
    int[] b = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      b[i] = Float.floatToRawIntBits(f[i]);
    }
    return b;
  }

  @Test
  void givesBitIdenticalWeightsAndClosesTheCallersArrays() {
    try (NDManager old = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        NDManager owned = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        NDManager io = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> kept = ClipWeights.randomInit(TINY, 11L, old);
      Map<String, NDArray> given = ClipWeights.randomInit(TINY, 11L, owned);
      try (ClipModel reference =
              ClipModel.loader().optDevice(Device.cpu()).fromWeights(TINY, kept);
          ClipModel model =
              ClipModel.loader().optDevice(Device.cpu()).fromWeightsTakingOwnership(TINY, given)) {
        assertThat(given.values()).allMatch(NDArray::isReleased);
        assertThat(kept.values()).noneMatch(NDArray::isReleased);
        assertThat(model.weights().keySet())
            .containsExactlyElementsOf(reference.weights().keySet());
        for (String name : reference.weights().keySet()) {
          // Arrays.equals, not containsExactly: AssertJ's diff is quadratic on the 3.2 M-value
          // embedding
          assertThat(
                  Arrays.equals(
                      bits(model.weights().get(name)), bits(reference.weights().get(name))))
              .as("bit-identical %s", name)
              .isTrue();
        }
        assertThat(model.weightsSha256()).isEqualTo(reference.weightsSha256());
        // The model's copies stay valid with the caller's arrays freed (and the caller's manager
        // closed).
        owned.close();
        NDArray images = ClipModelTest.images(io, 2, TINY.vision().imageSize(), 3L);
        assertThat(bits(model.encodeImage(images, 2).pooled()))
            .containsExactly(bits(reference.encodeImage(images, 2).pooled()));
        NDArray ids =
            io.create(
                ClipTokenizer.byteLevel().tokenizeAll(List.of("a lesion"), 16), new Shape(1, 16));
        assertThat(bits(model.encodeText(ids))).containsExactly(bits(reference.encodeText(ids)));
      }
    }
  }

  @Test
  void closesEveryArrayAlsoUnusedOnesAndOnFailure() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> w = new LinkedHashMap<>(ClipWeights.randomInit(TINY, 1L, m));
      NDArray extra = m.ones(new Shape(2));
      w.put("extra.tensor", extra);
      try (ClipModel lenient =
          ClipModel.loader()
              .optDevice(Device.cpu())
              .optStrict(false)
              .fromWeightsTakingOwnership(TINY, w)) {
        assertThat(lenient.config()).isEqualTo(TINY);
      }
      assertThat(w.values()).allMatch(NDArray::isReleased);

      Map<String, NDArray> bad = new LinkedHashMap<>(ClipWeights.randomInit(TINY, 1L, m));
      bad.remove("ln_final.bias");
      assertThatThrownBy(
              () ->
                  ClipModel.loader().optDevice(Device.cpu()).fromWeightsTakingOwnership(TINY, bad))
          .isInstanceOf(ClipWeightsException.class)
          .hasMessageContaining("given to fromWeightsTakingOwnership")
          .hasMessageContaining("1 missing: ln_final.bias");
      assertThat(bad.values()).allMatch(NDArray::isReleased);
    }
  }

  @Test
  void anArrayGivenUnderTwoNamesIsCopiedForBoth() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> w = new LinkedHashMap<>(ClipWeights.randomInit(TINY, 2L, m));
      NDArray shared = w.get("visual.ln_post.bias");
      float[] expected = shared.toFloatArray();
      w.get("ln_final.bias").close();
      w.put("ln_final.bias", shared);
      try (ClipModel model =
          ClipModel.loader().optDevice(Device.cpu()).fromWeightsTakingOwnership(TINY, w)) {
        assertThat(model.weights().get("ln_final.bias").toFloatArray()).containsExactly(expected);
        assertThat(model.weights().get("visual.ln_post.bias").toFloatArray())
            .containsExactly(expected);
      }
      assertThat(shared.isReleased()).isTrue();
    }
  }
}
