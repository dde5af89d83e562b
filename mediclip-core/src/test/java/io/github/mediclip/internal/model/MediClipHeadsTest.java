package io.github.mediclip.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.model.ClassTokenPosition;
import io.github.mediclip.model.HeadsConfig;
import io.github.mediclip.model.TinyBackbone;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviour of the heads on a small randomly initialized backbone (no fixtures needed). */
class MediClipHeadsTest {

  private static final List<Integer> LAYERS = List.of(2, 4, 6);
  private static ClipModel clip;

  @BeforeAll
  static void backbone() {
    clip = TinyBackbone.create(11L);
  }

  @AfterAll
  static void close() {
    clip.close();
  }

  private static HeadsConfig shortPrompts() {
    return HeadsConfig.reference(LAYERS)
        .withPrompts(List.of("normal", "no findings"), List.of("lesion", "tumor mass", "x"));
  }

  @Test
  void parametersHaveReferenceNamesShapesAndInit() {
    try (MediClipHeads h = MediClipHeads.create(clip, HeadsConfig.reference(LAYERS), 3L)) {
      Map<String, NDArray> p = h.parameters();
      assertThat(p.keySet())
          .containsExactly(
              "adapter.0_adapter.0.weight", "adapter.0_adapter.0.bias",
              "adapter.1_adapter.0.weight", "adapter.1_adapter.0.bias",
              "adapter.2_adapter.0.weight", "adapter.2_adapter.0.bias",
              "prompt.ctx.normal_end", "prompt.ctx.abnormal_end");
      assertThat(p.get("adapter.1_adapter.0.weight").getShape()).isEqualTo(new Shape(32, 64, 1, 1));
      assertThat(p.get("adapter.1_adapter.0.bias").getShape()).isEqualTo(new Shape(32));
      assertThat(p.get("prompt.ctx.normal_end").getShape()).isEqualTo(new Shape(10, 8, 64));
      assertThat(p.get("prompt.ctx.abnormal_end").getShape()).isEqualTo(new Shape(11, 8, 64));
      for (NDArray a : p.values()) {
        assertThat(a.hasGradient()).isTrue();
      }
      // adapters: U(-1/sqrt(64), 1/sqrt(64)); context: N(0, 0.02)
      float[] w = p.get("adapter.0_adapter.0.weight").toFloatArray();
      double maxAbs = 0;
      for (float v : w) {
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      assertThat(maxAbs).isLessThanOrEqualTo(0.125).isGreaterThan(0.12);
      float[] ctx = p.get("prompt.ctx.abnormal_end").toFloatArray();
      double sum = 0;
      double sq = 0;
      for (float v : ctx) {
        sum += v;
        sq += v * v;
      }
      double mean = sum / ctx.length;
      double std = Math.sqrt(sq / ctx.length - mean * mean);
      assertThat(mean).isCloseTo(0, within(0.001)); // 5632 samples: SE of the mean 2.7e-4
      assertThat(std).isCloseTo(0.02, within(0.001)); // SE of the std ~1.9e-4
    }
  }

  @Test
  void sharedContextAndPositionChangeNamesAndShapes() {
    HeadsConfig cfg =
        HeadsConfig.reference(List.of(3))
            .withClassSpecificContext(false)
            .withPosition(ClassTokenPosition.MIDDLE)
            .withNCtx(4);
    try (MediClipHeads h = MediClipHeads.create(clip, cfg, 3L)) {
      assertThat(h.parameters().keySet())
          .containsExactly(
              "adapter.0_adapter.0.weight", "adapter.0_adapter.0.bias",
              "prompt.ctx.normal_middle", "prompt.ctx.abnormal_middle");
      assertThat(h.parameters().get("prompt.ctx.normal_middle").getShape())
          .isEqualTo(new Shape(4, 64));
    }
  }

  @Test
  void initializationIsDeterministicPerSeed() {
    try (MediClipHeads a = MediClipHeads.create(clip, HeadsConfig.reference(LAYERS), 5L);
        MediClipHeads b = MediClipHeads.create(clip, HeadsConfig.reference(LAYERS), 5L);
        MediClipHeads c = MediClipHeads.create(clip, HeadsConfig.reference(LAYERS), 6L)) {
      for (String name : a.parameters().keySet()) {
        assertThat(a.parameters().get(name).toFloatArray())
            .as(name)
            .containsExactly(b.parameters().get(name).toFloatArray());
        assertThat(a.parameters().get(name).toFloatArray())
            .as(name)
            .isNotEqualTo(c.parameters().get(name).toFloatArray());
      }
    }
  }

  /**
   * Puts marker values into the context vectors and checks where they land in the assembled prompt
   * for every position, and that the remaining rows are the fixed [SOS] / phrase / '.' / [EOT] /
   * padding embeddings in order.
   */
  @Test
  void contextVectorsLandWhereCoOpPutsThem() {
    for (ClassTokenPosition pos : ClassTokenPosition.values()) {
      for (boolean csc : new boolean[] {true, false}) {
        HeadsConfig cfg =
            shortPrompts().withPosition(pos).withClassSpecificContext(csc).withNCtx(5);
        checkAssembly(cfg);
      }
    }
  }

  private static void checkAssembly(HeadsConfig cfg) {
    int nCtx = cfg.nCtx();
    int width = 64;
    try (NDManager m = NDManager.newBaseManager();
        MediClipHeads h = MediClipHeads.create(clip, cfg, 1L)) {
      Map<String, NDArray> values = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : h.parameters().entrySet()) {
        Shape s = e.getValue().getShape();
        if (!e.getKey().startsWith("prompt.ctx.")) {
          values.put(e.getKey(), e.getValue());
          continue;
        }
        float[] marker = new float[(int) s.size()];
        for (int i = 0; i < marker.length; i++) {
          int j = (i / width) % nCtx; // context index
          int phrase = s.dimension() == 3 ? i / (width * nCtx) : 0;
          marker[i] = 1000f + 10f * phrase + j;
        }
        values.put(e.getKey(), m.create(marker, s));
      }
      h.loadParameters(values);
      NDArray emb = h.promptEmbeddings(m); // (N, L, W)
      List<long[]> ids = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        for (long[] row : h.promptTokenIds(c)) {
          ids.add(row);
        }
      }
      NDArray tok = clip.tokenEmbedding(m.create(ids.toArray(new long[0][])));
      int l = (int) emb.getShape().get(1);
      List<String> phrases = new ArrayList<>(cfg.normalPrompts());
      phrases.addAll(cfg.abnormalPrompts());
      int phraseInClass = 0;
      for (int n = 0; n < ids.size(); n++) {
        if (n == cfg.normalPrompts().size()) {
          phraseInClass = 0;
        }
        int len = clip.tokenizer().encode(phrases.get(n)).length;
        int[] ctxPos = new int[nCtx];
        for (int j = 0; j < nCtx; j++) {
          switch (cfg.position()) {
            case END -> ctxPos[j] = 1 + j;
            case FRONT -> ctxPos[j] = 1 + len + j;
            case MIDDLE -> ctxPos[j] = j < nCtx / 2 ? 1 + j : 1 + len + j;
          }
        }
        float[][] rows = new float[l][];
        for (int t = 0; t < l; t++) {
          rows[t] = emb.get(n + ", " + t).toFloatArray();
        }
        int phraseIdx = cfg.classSpecificContext() ? phraseInClass : 0;
        boolean[] isCtx = new boolean[l];
        for (int j = 0; j < nCtx; j++) {
          isCtx[ctxPos[j]] = true;
          assertThat(rows[ctxPos[j]][0])
              .as("%s prompt %d ctx %d", cfg.position(), n, j)
              .isEqualTo(1000f + 10f * phraseIdx + j);
        }
        // non-context rows: [SOS] then the END layout's rows after the context, in order
        int src = 0;
        for (int t = 0; t < l; t++) {
          if (isCtx[t]) {
            continue;
          }
          int from = src == 0 ? 0 : src + nCtx;
          assertThat(rows[t])
              .as("%s prompt %d row %d", cfg.position(), n, t)
              .containsExactly(tok.get(n + ", " + from).toFloatArray());
          src++;
        }
        phraseInClass++;
      }
    }
  }

  @Test
  void forwardGivesSoftmaxMapScoresAndUnitFeatures() {
    try (NDManager m = NDManager.newBaseManager();
        MediClipHeads h = MediClipHeads.create(clip, HeadsConfig.reference(LAYERS), 2L)) {
      NDArray images = randomImages(m, 2, 64, 9L);
      NDArray t = h.textFeatures(clip, m);
      assertThat(t.getShape()).isEqualTo(new Shape(32, 2));
      assertThat(t.norm(new int[] {0}).toFloatArray())
          .containsExactly(new float[] {1f, 1f}, within(1e-5f));
      MediClipHeads.HeadsOutput out = h.forward(clip, images, t);
      assertThat(out.adapted()).hasSize(3);
      for (NDArray a : out.adapted()) {
        assertThat(a.getShape()).isEqualTo(new Shape(2, 8, 8, 32));
        float[] norms = a.norm(new int[] {3}).toFloatArray();
        for (float v : norms) {
          assertThat(v).isCloseTo(1f, within(1e-5f));
        }
      }
      NDArray map = out.anomalyMap();
      assertThat(map.getShape()).isEqualTo(new Shape(2, 2, 64, 64));
      float[] sums = map.sum(new int[] {1}).toFloatArray();
      for (float v : sums) {
        assertThat(v).isCloseTo(1f, within(1e-5f));
      }
      float[] scores = out.imageScores().toFloatArray();
      assertThat(scores).hasSize(2);
      for (int b = 0; b < 2; b++) {
        float max = map.get(b + ", 1").max().getFloat();
        assertThat(scores[b]).isEqualTo(max);
      }
      // the map's manager is the images' manager: closing m frees everything (no leak into the
      // heads)
      assertThat(map.getManager()).isSameAs(images.getManager());
    }
  }

  @Test
  void gradientsReachEveryParameterForEveryPromptLayout() {
    for (ClassTokenPosition pos : ClassTokenPosition.values()) {
      for (boolean csc : new boolean[] {true, false}) {
        // fast prompt encoder: the gradient path through the assembly is the same, and the test
        // stays quick
        HeadsConfig cfg =
            shortPrompts().withPosition(pos).withClassSpecificContext(csc).withFastPromptEncoder();
        try (NDManager m = NDManager.newBaseManager();
            MediClipHeads h = MediClipHeads.create(clip, cfg, 4L)) {
          NDArray images = randomImages(m, 2, 64, 3L);
          NDArray masks = m.zeros(new Shape(2, 64, 64));
          masks.set(new ai.djl.ndarray.index.NDIndex("0, 10:30, 20:40"), 1f);
          try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray t = h.textFeatures(clip, m);
            NDArray loss = Losses.total(h.forward(clip, images, t).anomalyMap(), masks);
            gc.backward(loss);
          }
          for (Map.Entry<String, NDArray> e : h.parameters().entrySet()) {
            float g = e.getValue().getGradient().abs().sum().getFloat();
            assertThat(g).as("%s %s csc=%s", e.getKey(), pos, csc).isGreaterThan(0f).isFinite();
          }
        }
      }
    }
  }

  @Test
  void trainingStepsLeaveNoArraysBehind() {
    HeadsConfig cfg =
        shortPrompts().withPosition(ClassTokenPosition.MIDDLE).withFastPromptEncoder();
    try (NDManager m = NDManager.newBaseManager();
        MediClipHeads h = MediClipHeads.create(clip, cfg, 4L);
        AdamOptimizer adam = new AdamOptimizer()) {
      int owned = h.ownedArrayCount();
      assertThat(owned)
          .isEqualTo(3 * 2 + 2 + 4); // 3 adapters (w, b), 2 contexts, prefix + suffix per class
      for (int s = 0; s < 2; s++) {
        try (NDManager step = m.newSubManager();
            GradientCollector gc = m.getEngine().newGradientCollector()) {
          NDArray t = h.textFeatures(clip, step);
          NDArray map = h.forward(clip, randomImages(step, 1, 64, s), t).anomalyMap();
          gc.backward(Losses.total(map, step.zeros(new Shape(1, 64, 64))));
        }
        adam.step(h.parameters());
        AdamOptimizer.zeroGradients(h.parameters());
        h.invalidateTextFeatures();
        try (NDManager scope = m.newSubManager()) {
          h.cachedTextFeatures(clip, scope);
        }
        assertThat(h.ownedArrayCount()).as("after step %d", s).isEqualTo(owned + 1); // + the cache
        assertThat(((ai.djl.ndarray.BaseNDManager) m).getManagedArrays()).isEmpty();
      }
    }
  }

  @Test
  void truncationIsExactUnderTheCausalMaskButNotWithout() {
    HeadsConfig base = HeadsConfig.reference(LAYERS);
    try (NDManager m = NDManager.newBaseManager();
        MediClipHeads full = MediClipHeads.create(clip, base.withPromptEncoder(true, false), 8L);
        MediClipHeads cut = MediClipHeads.create(clip, base.withPromptEncoder(true, true), 8L);
        MediClipHeads ref = MediClipHeads.create(clip, base, 8L);
        MediClipHeads refCut =
            MediClipHeads.create(clip, base.withPromptEncoder(false, true), 8L)) {
      // "no evidence of disease" with byte-level tokens: 1 + 8 + 22 + 1 = 32 positions; less than
      // 77
      assertThat(cut.longestPromptLength()).isLessThan(77).isGreaterThan(10);
      float[] a = full.textFeatures(clip, m).toFloatArray();
      float[] b = cut.textFeatures(clip, m).toFloatArray();
      assertThat(b).containsExactly(a, within(1e-5f));
      float[] c = ref.textFeatures(clip, m).toFloatArray();
      float[] d = refCut.textFeatures(clip, m).toFloatArray();
      double diff = 0;
      for (int i = 0; i < c.length; i++) {
        diff = Math.max(diff, Math.abs(c[i] - d[i]));
      }
      assertThat(diff)
          .as("without the causal mask the padding positions matter")
          .isGreaterThan(1e-4);
    }
  }

  @Test
  void cachedTextFeaturesEqualTheLiveOnesAndFollowLoadParameters() {
    try (NDManager m = NDManager.newBaseManager();
        MediClipHeads h = MediClipHeads.create(clip, shortPrompts(), 2L);
        MediClipHeads other = MediClipHeads.create(clip, shortPrompts(), 3L)) {
      float[] live = h.textFeatures(clip, m).toFloatArray();
      assertThat(h.cachedTextFeatures(clip, m).toFloatArray()).containsExactly(live);
      h.loadParameters(other.parameters());
      assertThat(h.cachedTextFeatures(clip, m).toFloatArray())
          .containsExactly(other.textFeatures(clip, m).toFloatArray(), within(1e-6f));
    }
  }

  @Test
  void loadParametersIsStrict() {
    try (NDManager m = NDManager.newBaseManager();
        MediClipHeads h = MediClipHeads.create(clip, HeadsConfig.reference(List.of(2)), 2L)) {
      Map<String, NDArray> v = new LinkedHashMap<>(h.parameters());
      v.remove("prompt.ctx.normal_end");
      v.put("prompt.ctx.normal_front", m.zeros(new Shape(10, 8, 64)));
      assertThatThrownBy(() -> h.loadParameters(v))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "head parameters do not match this configuration: missing [prompt.ctx.normal_end],"
                  + " unexpected [prompt.ctx.normal_front] (expected names: [adapter.0_adapter.0.weight,"
                  + " adapter.0_adapter.0.bias, prompt.ctx.normal_end, prompt.ctx.abnormal_end])");
      Map<String, NDArray> w = new LinkedHashMap<>(h.parameters());
      w.put("adapter.0_adapter.0.bias", m.zeros(new Shape(31)));
      assertThatThrownBy(() -> h.loadParameters(w))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("head parameter 'adapter.0_adapter.0.bias' has shape (31), expected (32)");
    }
  }

  @Test
  void badConfigurationsAreRejected() {
    assertThatThrownBy(() -> MediClipHeads.create(clip, HeadsConfig.reference(List.of(2, 7)), 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "HeadsConfig.layers1Based entry 7 exceeds the vision tower's 6 blocks (layers are 1-based),"
                + " got: [2, 7]");
    String longPhrase = "a".repeat(80);
    assertThatThrownBy(
            () ->
                MediClipHeads.create(
                    clip,
                    HeadsConfig.reference(List.of(2))
                        .withPrompts(List.of("ok"), List.of(longPhrase)),
                    1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("prompt '" + longPhrase + "' of class abnormal needs ")
        .hasMessageEndingWith("more than the context length 77; shorten it or lower nCtx");
  }

  @Test
  void interpolationMatrixIsAlignCornersBilinear() {
    float[] r = MediClipHeads.interpolationMatrix(2, 3);
    assertThat(r).containsExactly(1f, 0f, 0.5f, 0.5f, 0f, 1f);
    float[] s = MediClipHeads.interpolationMatrix(3, 5);
    assertThat(s)
        .containsExactly(
            new float[] {1, 0, 0, 0.5f, 0.5f, 0, 0, 1, 0, 0, 0.5f, 0.5f, 0, 0, 1}, within(1e-7f));
    // each row sums to one
    float[] big = MediClipHeads.interpolationMatrix(14, 224);
    for (int i = 0; i < 224; i++) {
      float sum = 0;
      for (int j = 0; j < 14; j++) {
        sum += big[i * 14 + j];
      }
      assertThat(sum).isCloseTo(1f, within(1e-6f));
    }
  }

  static NDArray randomImages(NDManager m, int b, int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] data = new float[b * 3 * size * size];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextGaussian();
    }
    return m.create(data, new Shape(b, 3, size, size));
  }
}
