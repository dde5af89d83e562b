package io.github.mediclip.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.mediclip.internal.clip.HuggingFaceWeights;
import io.github.mediclip.internal.clip.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLIP towers on a tiny random model: shapes, round trips, strict loading, gradients,
 * precision.
 */
class ClipModelTest {

  /** A smaller architecture than the "tiny" preset, so that the tests stay fast. */
  static final ClipConfig SMALL =
      new ClipConfig(
          16,
          new ClipConfig.VisionConfig(32, 3, 32, 8, 8, 4.0),
          new ClipConfig.TextConfig(16, 600, 32, 4, 2),
          true);

  private static NDManager manager;
  private static Map<String, NDArray> weights;
  private static ClipModel model;

  @TempDir Path tmp;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    weights = ClipWeights.randomInit(SMALL, 7L, manager);
    model = ClipModel.fromWeights(SMALL, weights, Device.cpu());
  }

  @AfterAll
  static void tearDown() {
    model.close();
    manager.close();
  }

  static NDArray images(NDManager m, int b, int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] px = new float[b * 3 * size * size];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) r.nextGaussian();
    }
    return m.create(px, new Shape(b, 3, size, size));
  }

  @Test
  void visionReturnsPooledAndRequestedLayersOnCallersManager() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray img = images(m, 2, 32, 1);
      ClipModel.VisionOutput out = model.encodeImage(img, 3, 1);
      assertThat(out.pooled().getShape()).isEqualTo(new Shape(2, 16));
      assertThat(out.layers()).hasSize(2);
      for (NDArray l : out.layers()) {
        assertThat(l.getShape()).isEqualTo(new Shape(2, 1 + 16, 32));
        assertThat(l.getDataType()).isEqualTo(DataType.FLOAT32);
      }
      // nothing but the input and the three outputs are left in the caller's manager
      assertThat(m.getManagedArrays()).hasSize(4);
      // the last block's residual stream differs from the first's
      assertThat(out.layers().get(0).sub(out.layers().get(1)).abs().max().getFloat())
          .isGreaterThan(1e-3f);
      // deterministic
      ClipModel.VisionOutput again = model.encodeImage(img, 3);
      assertThat(again.layers().get(0).contentEquals(out.layers().get(0))).isTrue();
      assertThat(again.pooled().contentEquals(out.pooled())).isTrue();
    }
  }

  @Test
  void layersOnlyPathStopsAtDeepestRequestedBlockWithSameValues() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray img = images(m, 2, 32, 13);
      ClipModel.VisionOutput full = model.encodeImage(img, 2, 1);
      List<NDArray> layers = model.encodeImageLayers(img, 2, 1);
      assertThat(layers).hasSize(2);
      assertThat(layers.get(0).contentEquals(full.layers().get(0))).isTrue();
      assertThat(layers.get(1).contentEquals(full.layers().get(1))).isTrue();
    }
  }

  @Test
  void batchElementsAreIndependent() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray img = images(m, 3, 32, 2);
      NDArray all = model.encodeImage(img).pooled();
      NDArray one = model.encodeImage(img.get("1:2")).pooled();
      assertThat(all.get("1:2").sub(one).abs().max().getFloat()).isLessThan(1e-5f);
    }
  }

  @Test
  void rejectsBadImageShapesAndLayers() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      assertThatThrownBy(() -> model.encodeImage(images(m, 1, 64, 1), 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("images must have shape (B, 3, 32, 32), got (1, 3, 64, 64)");
      assertThatThrownBy(() -> model.encodeImage(images(m, 1, 32, 1), 4))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("layer 4 is out of range 1..3");
    }
  }

  @Test
  void textFeaturesUseEotPositionAndCausalMask() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      ClipTokenizer tok = ClipTokenizer.byteLevel();
      int[] ids = tok.tokenizeAll(List.of("abc", "a lesion"), 16);
      NDArray idArr = m.create(ids, new Shape(2, 16));
      NDArray f = model.encodeText(idArr);
      assertThat(f.getShape()).isEqualTo(new Shape(2, 16));
      assertThat(m.getManagedArrays()).as("only the ids and the features").hasSize(2);
      NDArray emb = model.tokenEmbedding(idArr);
      assertThat(emb.getShape()).isEqualTo(new Shape(2, 16, 32));
      NDArray causal = model.encodeTextEmbeddings(emb, idArr, true);
      assertThat(causal.sub(f).abs().max().getFloat()).isLessThan(1e-6f);
      NDArray open = model.encodeTextEmbeddings(emb, idArr);
      assertThat(open.sub(f).abs().max().getFloat()).as("no mask differs").isGreaterThan(1e-4f);
      // with the causal mask, tokens after EOT cannot change the feature
      int[] changed = ids.clone();
      changed[16 + 15] = 7; // padding position of row 1
      NDArray f2 = model.encodeText(m.create(changed, new Shape(2, 16)));
      assertThat(f2.sub(f).abs().max().getFloat()).isLessThan(1e-6f);
      // a shorter sequence (L < context) gives the same causal features
      NDArray shortIds = idArr.get(":, :12");
      assertThat(model.encodeText(shortIds).sub(f).abs().max().getFloat()).isLessThan(1e-5f);
    }
  }

  @Test
  void gradientsFlowIntoCallerEmbeddingsAndMatchFiniteDifference() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      ClipTokenizer tok = ClipTokenizer.byteLevel();
      NDArray ids = m.create(tok.tokenizeAll(List.of("x x tumor"), 16), new Shape(1, 16));
      NDArray emb = model.tokenEmbedding(ids);
      SplittableRandom r = new SplittableRandom(3);
      float[] wo = new float[16];
      for (int i = 0; i < wo.length; i++) {
        wo[i] = (float) r.nextGaussian();
      }
      NDArray weightsOut = m.create(wo, new Shape(1, 16)); // fixed weights of the scalar loss
      emb.setRequiresGradient(true);
      float[] grad;
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray loss = model.encodeTextEmbeddings(emb, ids).mul(weightsOut).sum();
        gc.backward(loss);
      }
      grad = emb.getGradient().toFloatArray();
      assertThat(model.weights().values()).allMatch(w -> !w.hasGradient());
      int idx = 2 * 32 + 5; // token 2, channel 5
      float[] base = emb.toFloatArray();
      float eps = 1e-3f; // embeddings are ~0.02 in size: a larger step leaves the linear regime
      double[] val = new double[2];
      for (int s = 0; s < 2; s++) {
        float[] p = base.clone();
        p[idx] += s == 0 ? eps : -eps;
        NDArray e2 = m.create(p, new Shape(1, 16, 32));
        val[s] = model.encodeTextEmbeddings(e2, ids).mul(weightsOut).sum().getFloat();
      }
      double fd = (val[0] - val[1]) / (2 * eps);
      assertThat(Math.abs(grad[idx])).isGreaterThan(0.1f);
      assertThat(grad[idx])
          .isCloseTo(
              (float) fd, org.assertj.core.data.Offset.offset((float) (1e-2 * Math.abs(fd))));
    }
  }

  @Test
  void gradientsReachLearnableContextInsideConcatenatedPrompt() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray ids =
          m.create(ClipTokenizer.byteLevel().tokenizeAll(List.of("x x ab"), 16), new Shape(1, 16));
      NDArray emb = model.tokenEmbedding(ids);
      NDArray ctx = emb.get(":, 1:3, :").duplicate(); // CoOp-style learnable context, a leaf
      ctx.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray prompt =
            ai.djl.ndarray.NDArrays.concat(
                new ai.djl.ndarray.NDList(emb.get(":, :1, :"), ctx, emb.get(":, 3:, :")), 1);
        gc.backward(model.encodeTextEmbeddings(prompt, ids).sum());
      }
      assertThat(ctx.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
      assertThat(model.weights().values()).allMatch(w -> !w.hasGradient());
    }
  }

  @Test
  void geluModelUsesExactErfGelu() {
    ClipConfig gelu = new ClipConfig(SMALL.embedDim(), SMALL.vision(), SMALL.text(), false);
    try (ClipModel g = ClipModel.fromWeights(gelu, weights, Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray img = images(m, 1, 32, 6);
      assertThat(
              g.encodeImage(img)
                  .pooled()
                  .sub(model.encodeImage(img).pooled())
                  .abs()
                  .max()
                  .getFloat())
          .isGreaterThan(1e-4f);
      NDArray x = m.create(new float[] {-3f, -1f, -0.25f, 0f, 0.5f, 2f});
      NDArray erfGelu = x.mul(0.5f).mul(x.div((float) Math.sqrt(2)).erf().add(1f));
      assertThat(ai.djl.nn.Activation.gelu(x).sub(erfGelu).abs().max().getFloat())
          .isLessThan(1e-6f);
    }
  }

  @Test
  void folderRoundTripReproducesOutputsAndHash() throws Exception {
    Path folder = tmp.resolve("model");
    model.writeFolder(folder, ClipTokenizer.byteLevel());
    assertThat(folder.resolve("open_clip_config.json")).exists();
    assertThat(folder.resolve("open_clip_model.safetensors")).exists();
    assertThat(folder.resolve("vocab.json")).exists();
    assertThat(folder.resolve("merges.txt")).exists();
    try (ClipModel loaded = ClipModel.load(folder, Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      assertThat(loaded.config()).isEqualTo(SMALL);
      assertThat(loaded.tokenizer()).isEqualTo(ClipTokenizer.byteLevel());
      NDArray img = images(m, 1, 32, 3);
      assertThat(
              loaded
                  .encodeImage(img, 2)
                  .layers()
                  .get(0)
                  .contentEquals(model.encodeImage(img, 2).layers().get(0)))
          .isTrue();
      NDArray ids = m.create(ClipTokenizer.byteLevel().tokenize("lesion", 16), new Shape(1, 16));
      assertThat(loaded.encodeText(ids).contentEquals(model.encodeText(ids))).isTrue();
      String sha = loaded.weightsSha256();
      assertThat(sha).hasSize(64).isEqualTo(sha256(folder.resolve("open_clip_model.safetensors")));
    }
    assertThat(model.weightsSha256()).hasSize(64).isEqualTo(model.weightsSha256());
  }

  @Test
  void folderWithHuggingFaceNamedWeightsLoadsLikeOpenClipNames() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("hf"));
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> hf = new LinkedHashMap<>();
      long w = SMALL.vision().width();
      for (Map.Entry<String, NDArray> e : weights.entrySet()) {
        String name = e.getKey();
        NDArray a = e.getValue();
        String hfName = HuggingFaceWeights.huggingFaceName(name);
        if (name.endsWith("attn.in_proj_weight") || name.endsWith("attn.in_proj_bias")) {
          long width = a.getShape().get(0) / 3;
          String[] qkv = {"q_proj", "k_proj", "v_proj"};
          for (int i = 0; i < 3; i++) {
            hf.put(
                hfName.replace("q_proj", qkv[i]),
                a.get(m, new ai.djl.ndarray.index.NDIndex("{}:{}", i * width, (i + 1) * width)));
          }
        } else if (name.equals("visual.proj") || name.equals("text_projection")) {
          hf.put(hfName, a.transpose().duplicate());
        } else {
          hf.put(hfName, a);
        }
      }
      assertThat(w).isEqualTo(32);
      SafetensorsWriter.write(folder.resolve("model.safetensors"), hf);
    }
    Files.writeString(folder.resolve("open_clip_config.json"), SMALL.toOpenClipJson());
    try (ClipModel loaded = ClipModel.load(folder, Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray img = images(m, 1, 32, 8);
      // same numbers up to float rounding (the re-transposed projections may take another GEMM
      // path)
      assertThat(
              loaded
                  .encodeImage(img)
                  .pooled()
                  .sub(model.encodeImage(img).pooled())
                  .abs()
                  .max()
                  .getFloat())
          .isLessThan(1e-6f);
      NDArray ids = m.create(ClipTokenizer.byteLevel().tokenize("hf", 16), new Shape(1, 16));
      assertThat(loaded.encodeText(ids).sub(model.encodeText(ids)).abs().max().getFloat())
          .isLessThan(1e-6f);
      assertThat(loaded.tokenizer()).isNull();
    }
  }

  @Test
  void concurrentCallsGiveTheSameResults() throws Exception {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray img = images(m, 2, 32, 12);
      float[] ref = model.encodeImage(img, 2).layers().get(0).toFloatArray();
      var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
      try {
        List<java.util.concurrent.Future<float[]>> futures = new java.util.ArrayList<>();
        for (int t = 0; t < 6; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    try (NDManager local = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                      NDArray x = local.create(img.toFloatArray(), img.getShape());
                      return model.encodeImage(x, 2).layers().get(0).toFloatArray();
                    }
                  }));
        }
        for (var f : futures) {
          assertThat(f.get()).containsExactly(ref);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void encodeTextsUsesTheModelTokenizer() {
    try (ClipModel withTok =
            ClipModel.loader()
                .optDevice(Device.cpu())
                .optTokenizer(ClipTokenizer.byteLevel())
                .fromWeights(SMALL, weights);
        NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray f = withTok.encodeTexts(List.of("a lesion", "normal"), m);
      NDArray ids =
          m.create(
              ClipTokenizer.byteLevel().tokenizeAll(List.of("a lesion", "normal"), 16),
              new Shape(2, 16));
      assertThat(f.contentEquals(model.encodeText(ids))).isTrue();
      assertThatThrownBy(() -> model.encodeTexts(List.of("x"), m))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("this ClipModel has no tokenizer");
    }
  }

  @Test
  void randomInitIsDeterministicPerSeed() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> a = ClipWeights.randomInit(SMALL, 7L, m);
      Map<String, NDArray> c = ClipWeights.randomInit(SMALL, 8L, m);
      assertThat(a.keySet()).containsExactlyElementsOf(ClipWeights.expectedShapes(SMALL).keySet());
      assertThat(a.get("visual.proj").contentEquals(weights.get("visual.proj"))).isTrue();
      assertThat(c.get("visual.proj").contentEquals(weights.get("visual.proj"))).isFalse();
      // init std of the token embedding is 0.02
      float std = a.get("token_embedding.weight").pow(2).mean().sqrt().getFloat();
      assertThat(std).isBetween(0.018f, 0.022f);
    }
  }

  @Test
  void strictLoadingListsMissingUnexpectedAndMisShapedTogether() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> w = new LinkedHashMap<>(weights);
      w.remove("ln_final.bias");
      w.remove("visual.ln_post.weight");
      w.put("extra.tensor", m.ones(new Shape(2)));
      w.put("visual.proj", m.ones(new Shape(32, 8)));
      assertThatThrownBy(() -> ClipModel.fromWeights(SMALL, w, Device.cpu()))
          .isInstanceOf(ClipWeightsException.class)
          .hasMessageContaining("2 missing: visual.ln_post.weight [32], ln_final.bias [32]")
          .hasMessageContaining("1 unexpected: extra.tensor [2]")
          .hasMessageContaining("1 mis-shaped: visual.proj has shape [32, 8], expected [32, 16]");
      // non-strict ignores the unexpected tensor only
      Map<String, NDArray> w2 = new LinkedHashMap<>(weights);
      w2.put("extra.tensor", m.ones(new Shape(2)));
      try (ClipModel lenient =
          ClipModel.loader().optDevice(Device.cpu()).optStrict(false).fromWeights(SMALL, w2)) {
        assertThat(lenient.config()).isEqualTo(SMALL);
      }
    }
  }

  @Test
  void configContradictingTensorsNamesTensorAndBothShapes() throws Exception {
    Path folder = tmp.resolve("bad");
    model.writeFolder(folder, null);
    // claim patch 16 in the config: conv1 and the positional grid no longer fit
    String json =
        Files.readString(folder.resolve("open_clip_config.json"))
            .replace("\"patch_size\": 8", "\"patch_size\": 16");
    Files.writeString(folder.resolve("open_clip_config.json"), json);
    assertThatThrownBy(() -> ClipModel.load(folder, Device.cpu()))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessageContaining(folder.resolve("open_clip_model.safetensors").toString())
        .hasMessageContaining(
            "visual.conv1.weight has shape [32, 3, 8, 8], expected [32, 3, 16, 16]");
  }

  @Test
  void folderWithoutWeightsOrMissingFolderIsClearError() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> ClipModel.load(empty, Device.cpu()))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessageContaining("has no weights");
    assertThatThrownBy(() -> ClipModel.load(tmp.resolve("nope"), Device.cpu()))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void otherImageSizeInterpolatesPositionalGrid() {
    try (ClipModel big =
            ClipModel.loader()
                .optDevice(Device.cpu())
                .optImageSize(48)
                .fromWeights(SMALL, weights);
        NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      assertThat(big.config().vision().imageSize()).isEqualTo(48);
      NDArray pos = big.weights().get("visual.positional_embedding");
      assertThat(pos.getShape()).isEqualTo(new Shape(1 + 36, 32));
      // class token kept as is
      assertThat(pos.get(m, 0).contentEquals(weights.get("visual.positional_embedding").get(0)))
          .isTrue();
      ClipModel.VisionOutput out = big.encodeImage(images(m, 1, 48, 4), 3);
      assertThat(out.layers().get(0).getShape()).isEqualTo(new Shape(1, 37, 32));
    }
  }

  @Test
  void positionalResizeIsIdentityAtSameSizeAndMatchesTorchAntialiasWeights() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray pos = m.randomNormal(new Shape(1 + 16, 3));
      NDArray same = ClipModel.resizePositionalEmbedding(pos, 4, m);
      assertThat(same.sub(pos).abs().max().getFloat()).isLessThan(1e-6f);
      // grid 2x2 -> 4x4, one channel, values [[0, 1], [0, 1]] (constant along y).
      // Upsampling x2 with torch's antialiased bicubic (a = -0.5, normalized, clipped window):
      // output column 0 has center 0.25 -> taps at 0 and 1 with weights k(0.25), k(1.25),
      // normalized.
      NDArray p2 = m.create(new float[] {9f, 0f, 1f, 0f, 1f}, new Shape(5, 1));
      float[] out = ClipModel.resizePositionalEmbedding(p2, 4, m).toFloatArray();
      double k0 = 1 - 2.5 * 0.0625 + 1.5 * 0.015625; // ((a+2)x - (a+3)) x^2 + 1 at x=0.25, a=-0.5
      double k1 = ((-0.5 * 1.25 + 2.5) * 1.25 - 4) * 1.25 + 2; // a x^3 - 5a x^2 + 8a x - 4a at 1.25
      double col0 = k1 / (k0 + k1);
      assertThat(out[0]).isEqualTo(9f);
      assertThat(out[1]).isCloseTo((float) col0, org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(out[4]).isCloseTo(1f - (float) col0, org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(out[5])
          .isCloseTo((float) col0, org.assertj.core.data.Offset.offset(1e-6f)); // next row equal
    }
  }

  @Test
  void float16TowersReturnFloat32CloseToFloat32() {
    try (ClipModel half =
            ClipModel.loader()
                .optDevice(Device.cpu())
                .optDataType(DataType.FLOAT16)
                .fromWeights(SMALL, weights);
        NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      assertThat(half.weights().get("visual.proj").getDataType()).isEqualTo(DataType.FLOAT16);
      assertThat(half.logitScale())
          .isCloseTo(model.logitScale(), org.assertj.core.data.Offset.offset(1e-2f));
      assertThat(model.logitScale()).isEqualTo((float) Math.log(1 / 0.07));
      NDArray img = images(m, 2, 32, 5);
      ClipModel.VisionOutput ref = model.encodeImage(img, 2);
      ClipModel.VisionOutput got = half.encodeImage(img, 2);
      assertThat(got.pooled().getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(got.layers().get(0).getDataType()).isEqualTo(DataType.FLOAT32);
      float scale = ref.pooled().abs().max().getFloat();
      assertThat(got.pooled().sub(ref.pooled()).abs().max().getFloat()).isLessThan(0.02f * scale);
      NDArray ids = m.create(ClipTokenizer.byteLevel().tokenize("a", 16), new Shape(1, 16));
      NDArray t = half.encodeText(ids);
      NDArray t32 = model.encodeText(ids);
      assertThat(t.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(t.sub(t32).abs().max().getFloat()).isLessThan(0.02f * t32.abs().max().getFloat());
    }
    assertThatThrownBy(() -> ClipModel.loader().optDataType(DataType.BFLOAT16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BFLOAT16 is not supported");
  }

  @Test
  void weightsAreFrozenAndModelManagerIsCapped() {
    assertThat(model.weights().values()).allMatch(w -> !w.hasGradient());
    NDArray any = model.weights().get("visual.proj");
    assertThatThrownBy(() -> any.add(1f)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void modelOwnsCopiesSoCallerMayCloseItsWeights() {
    NDArray img;
    float[] before;
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        NDManager src = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> w = ClipWeights.randomInit(SMALL, 7L, src);
      try (ClipModel copy = ClipModel.fromWeights(SMALL, w, Device.cpu())) {
        img = images(m, 1, 32, 9);
        before = copy.encodeImage(img).pooled().toFloatArray();
        src.close(); // the caller frees its arrays (and their Java-side buffers)
        System.gc();
        NDArray ids = m.create(ClipTokenizer.byteLevel().tokenize("ab", 16), new Shape(1, 16));
        assertThat(copy.tokenEmbedding(ids).sub(model.tokenEmbedding(ids)).abs().max().getFloat())
            .isZero();
        assertThat(copy.encodeImage(img).pooled().toFloatArray()).containsExactly(before);
      }
    }
  }

  static String sha256(Path f) throws Exception {
    var md = java.security.MessageDigest.getInstance("SHA-256");
    return java.util.HexFormat.of().formatHex(md.digest(Files.readAllBytes(f)));
  }
}
