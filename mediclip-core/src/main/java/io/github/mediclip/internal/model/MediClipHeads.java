package io.github.mediclip.internal.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.internal.TorchOwned;
import io.github.mediclip.model.ClassTokenPosition;
import io.github.mediclip.model.HeadsConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;

// Over 500 lines on purpose: adapters, CoOp prompt learner and map head are trained together and
// share
// one parameter map and its safetensors names; it mirrors the reference's model module.
/**
 * The trainable heads of MediCLIP (Zhang et al., "MediCLIP: Adapting CLIP for Few-shot Medical
 * Image Anomaly Detection", MICCAI 2024, arXiv 2405.11315) on top of a frozen {@link ClipModel}:
 *
 * <ol>
 *   <li><b>Layer alignment</b>: the residual stream after each configured vision block, (B, 1+g·g,
 *       W), loses its class token and becomes a grid (B, W, g, g); grids smaller than the largest
 *       are upsampled to it (bilinear, align-corners; a no-op for ViTs, whose layers share one
 *       grid).
 *   <li><b>Adapters</b>: per layer a 1×1 convolution W → D (D = CLIP embedding dimension), then L2
 *       normalization of every pixel's D-vector; output channels-last (B, g, g, D).
 *   <li><b>Prompt learner</b> (CoOp): for each class (normal, abnormal) and each prompt phrase, the
 *       token sequence of {@code "X X X X X X X X phrase."} whose X embeddings are replaced by
 *       learnable context vectors (initialized N(0, 0.02)); the frozen text tower encodes them, the
 *       features of a class are averaged over its phrases and L2-normalized, giving the text matrix
 *       T (D, 2).
 *   <li><b>Map</b>: per layer (B, g·g, D) @ T → (B, g, g, 2); mean over layers; bilinear upsampling
 *       to S×S with align-corners; softmax over the 2 channels. Channel 1 is the anomaly map, the
 *       image score its maximum.
 * </ol>
 *
 * <p>Only the adapters and the context vectors are trainable ({@link #parameters()}); CLIP stays
 * frozen. Parameter names and layouts are those of the reference implementation's state dicts, so
 * weights move between the two: {@code adapter.{i}_adapter.0.weight} (D, W, 1, 1) and {@code
 * adapter.{i}_adapter.0.bias} (D) for the i-th configured layer, and {@code
 * prompt.ctx.{class}_{position}} with class {@code normal} / {@code abnormal} and position {@code
 * end} / {@code middle} / {@code front}: shape (P, nCtx, W_text) with class-specific context (one
 * context per phrase, P phrases), (nCtx, W_text) with one shared context per class (the reference
 * keeps the same name in both cases).
 *
 * <p><b>Memory.</b> Parameters and the fixed prompt token embeddings live in a manager owned by the
 * heads ({@link #close()} frees them). Every array returned by a method is attached to the manager
 * named in its documentation; intermediates are freed before returning.
 *
 * <p><b>Threads.</b> {@link #forward} and {@link #textFeatures} only read the parameters and may
 * run concurrently; {@link #loadParameters} and optimizer steps must not overlap with them.
 */
public final class MediClipHeads implements AutoCloseable {

  /** Standard deviation of the context-vector initialization (CoOp / reference). */
  public static final double CTX_INIT_STD = 0.02;

  /** The two classes, in the column order of the text matrix T. */
  public static final List<String> CLASS_NAMES = List.of("normal", "abnormal");

  private final HeadsConfig config;
  private final NDManager manager;
  private final int visionWidth;
  private final int embedDim;
  private final int textWidth;
  private final int contextLength;
  private final int[] layers;
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  private final List<NDArray> adapterWeights = new ArrayList<>();
  private final List<NDArray> adapterBiases = new ArrayList<>();
  private final List<PromptClass> classes = new ArrayList<>();
  private final int longestPrompt;
  private final Object cacheLock = new Object();
  private NDArray cachedText; // (D, 2), detached, in manager; guarded by cacheLock

  /** Fixed per-class prompt data plus the class's context parameter. */
  private static final class PromptClass {
    final String name;
    final List<String> phrases;
    final long[][] ids; // (P, L)
    final int[] phraseLens; // BPE tokens of each phrase (without the full stop)
    final NDArray prefix; // (P, 1, Wt) SOS embedding
    final NDArray suffix; // (P, L - 1 - nCtx, Wt) phrase, '.', EOT, padding embeddings
    final NDArray ctx; // (P, nCtx, Wt) or (nCtx, Wt)
    final String paramName;

    PromptClass(
        String name,
        List<String> phrases,
        long[][] ids,
        int[] phraseLens,
        NDArray prefix,
        NDArray suffix,
        NDArray ctx,
        String paramName) {
      this.name = name;
      this.phrases = phrases;
      this.ids = ids;
      this.phraseLens = phraseLens;
      this.prefix = prefix;
      this.suffix = suffix;
      this.ctx = ctx;
      this.paramName = paramName;
    }
  }

  /**
   * Output of {@link #forward}.
   *
   * @param adapted per configured layer, the adapted and L2-normalized pixel features (B, g, g, D)
   * @param anomalyMap softmax map (B, 2, S, S); channel 1 is the anomaly probability
   * @param imageScores per image, the maximum of channel 1 (B)
   */
  public record HeadsOutput(List<NDArray> adapted, NDArray anomalyMap, NDArray imageScores) {
    /**
     * Copies the list.
     *
     * @param adapted per configured layer, the adapted and L2-normalized pixel features (B, g, g,
     *     D)
     * @param anomalyMap softmax map (B, 2, S, S); channel 1 is the anomaly probability
     * @param imageScores per image, the maximum of channel 1 (B)
     */
    public HeadsOutput {
      adapted = List.copyOf(adapted);
      Objects.requireNonNull(anomalyMap, "anomalyMap");
      Objects.requireNonNull(imageScores, "imageScores");
    }
  }

  private MediClipHeads(ClipModel clip, ClipTokenizer tokenizer, HeadsConfig config, long seed) {
    this.config = config;
    ClipConfig cc = clip.config();
    this.visionWidth = cc.vision().width();
    this.embedDim = cc.embedDim();
    this.textWidth = cc.text().width();
    this.contextLength = cc.text().contextLength();
    this.layers = config.layers1Based().stream().mapToInt(Integer::intValue).toArray();
    for (int layer : layers) {
      if (layer > cc.vision().layers()) {
        throw new IllegalArgumentException(
            "HeadsConfig.layers1Based entry "
                + layer
                + " exceeds the vision tower's "
                + cc.vision().layers()
                + " blocks (layers are 1-based), got: "
                + config.layers1Based());
      }
    }
    Device device = clip.device();
    this.manager = NDManager.newBaseManager(device);
    this.manager.setName("MediClipHeads");
    boolean ok = false;
    try {
      SplittableRandom root = new SplittableRandom(seed);
      // Adapters: torch Conv2d default init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and
      // bias.
      double bound = 1.0 / Math.sqrt(visionWidth);
      for (int i = 0; i < layers.length; i++) {
        SplittableRandom r = root.split();
        float[] w = new float[embedDim * visionWidth];
        for (int j = 0; j < w.length; j++) {
          w[j] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
        float[] b = new float[embedDim];
        for (int j = 0; j < b.length; j++) {
          b[j] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
        NDArray wa = manager.create(w, new Shape(embedDim, visionWidth, 1, 1));
        NDArray ba = manager.create(b, new Shape(embedDim));
        wa.setRequiresGradient(true);
        ba.setRequiresGradient(true);
        adapterWeights.add(wa);
        adapterBiases.add(ba);
        params.put(adapterWeightName(i), wa);
        params.put(adapterBiasName(i), ba);
      }
      int longest = 0;
      List<List<String>> lists = List.of(config.normalPrompts(), config.abnormalPrompts());
      for (int c = 0; c < 2; c++) {
        PromptClass pc =
            buildClass(clip, tokenizer, CLASS_NAMES.get(c), lists.get(c), root.split());
        classes.add(pc);
        params.put(pc.paramName, pc.ctx);
        for (long[] row : pc.ids) {
          longest = Math.max(longest, argmax(row) + 1);
        }
      }
      this.longestPrompt = longest;
      ok = true;
    } finally {
      if (!ok) {
        manager.close();
      }
    }
  }

  /**
   * Creates heads with freshly initialized parameters, using the backbone's own tokenizer.
   *
   * @param clip the frozen backbone (its configuration fixes W, D and the context length)
   * @param cfg the heads configuration
   * @param seed seed of the parameter initialization (adapters: U(±1/sqrt(W)); context: N(0, 0.02))
   * @return the heads, on the backbone's device
   * @throws IllegalArgumentException if the backbone has no tokenizer, a layer exceeds its depth,
   *     or a prompt does not fit its context length
   */
  public static MediClipHeads create(ClipModel clip, HeadsConfig cfg, long seed) {
    Objects.requireNonNull(clip, "clip");
    ClipTokenizer tok = clip.tokenizer();
    if (tok == null) {
      throw new IllegalArgumentException(
          "the ClipModel has no tokenizer, but the prompt learner needs one: load the backbone from a folder"
              + " with bpe_simple_vocab_16e6.txt.gz (or vocab.json + merges.txt), or pass a ClipTokenizer to"
              + " MediClipHeads.create(clip, tokenizer, cfg, seed)");
    }
    return create(clip, tok, cfg, seed);
  }

  /**
   * Creates heads with freshly initialized parameters and an explicit tokenizer.
   *
   * @param clip the frozen backbone
   * @param tokenizer the CLIP BPE tokenizer for the prompt phrases
   * @param cfg the heads configuration
   * @param seed seed of the parameter initialization
   * @return the heads, on the backbone's device
   */
  public static MediClipHeads create(
      ClipModel clip, ClipTokenizer tokenizer, HeadsConfig cfg, long seed) {
    Objects.requireNonNull(clip, "clip");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(cfg, "cfg");
    return new MediClipHeads(clip, tokenizer, cfg, seed);
  }

  private PromptClass buildClass(
      ClipModel clip,
      ClipTokenizer tokenizer,
      String cls,
      List<String> phrases,
      SplittableRandom r) {
    int nCtx = config.nCtx();
    int p = phrases.size();
    String prefixText = String.join(" ", Collections.nCopies(nCtx, "X"));
    long[][] ids = new long[p][];
    int[] lens = new int[p];
    for (int i = 0; i < p; i++) {
      String phrase = phrases.get(i).replace('_', ' ');
      lens[i] = tokenizer.encode(phrase).length;
      int needed = tokenizer.encode(phrase + ".").length + nCtx + 2;
      if (needed > contextLength) {
        throw new IllegalArgumentException(
            "prompt '"
                + phrases.get(i)
                + "' of class "
                + cls
                + " needs "
                + needed
                + " tokens with "
                + nCtx
                + " context vectors, more than the context length "
                + contextLength
                + "; shorten it or lower nCtx");
      }
      int[] t = tokenizer.tokenize(prefixText + " " + phrase + ".", contextLength);
      ids[i] = new long[t.length];
      for (int j = 0; j < t.length; j++) {
        ids[i][j] = t[j];
      }
    }
    NDArray prefix;
    NDArray suffix;
    try (NDManager scope = manager.newSubManager()) {
      NDArray idArray = scope.create(ids);
      NDArray emb = clip.tokenEmbedding(idArray); // (P, L, Wt)
      emb.attach(scope);
      emb = emb.stopGradient();
      emb.attach(scope);
      prefix = emb.get(":, 0:1, :");
      suffix = emb.get(":, " + (1 + nCtx) + ":, :");
      prefix = prefix.toType(DataType.FLOAT32, true);
      suffix = suffix.toType(DataType.FLOAT32, true);
      prefix.attach(manager);
      suffix.attach(manager);
    }
    Shape ctxShape =
        config.classSpecificContext() ? new Shape(p, nCtx, textWidth) : new Shape(nCtx, textWidth);
    float[] ctx = new float[(int) ctxShape.size()];
    for (int j = 0; j < ctx.length; j++) {
      ctx[j] = (float) (r.nextGaussian() * CTX_INIT_STD);
    }
    NDArray ctxArray = manager.create(ctx, ctxShape);
    ctxArray.setRequiresGradient(true);
    String name = "prompt.ctx." + cls + "_" + config.position().referenceName();
    return new PromptClass(cls, List.copyOf(phrases), ids, lens, prefix, suffix, ctxArray, name);
  }

  private static int argmax(long[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * Name of the i-th adapter's weight, {@code adapter.{i}_adapter.0.weight}.
   *
   * @param i index into the configured layers (0-based)
   * @return the parameter name
   */
  public static String adapterWeightName(int i) {
    return "adapter." + i + "_adapter.0.weight";
  }

  /**
   * Name of the i-th adapter's bias, {@code adapter.{i}_adapter.0.bias}.
   *
   * @param i index into the configured layers (0-based)
   * @return the parameter name
   */
  public static String adapterBiasName(int i) {
    return "adapter." + i + "_adapter.0.bias";
  }

  /**
   * @return the configuration
   */
  public HeadsConfig config() {
    return config;
  }

  /**
   * The trainable parameters, by reference name (adapters first, then {@code prompt.ctx.normal_*},
   * {@code prompt.ctx.abnormal_*}). The arrays are the live parameters (they require gradients); do
   * not close them. The map is unmodifiable.
   *
   * @return the parameters
   */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /**
   * Copies values into the parameters. Strict: the key set must equal {@link #parameters()}'s and
   * every shape must match; the arrays may live on any device and have any floating-point type.
   *
   * @param values parameter values by name
   * @throws IllegalArgumentException listing missing or unexpected names, or naming a shape
   *     mismatch
   */
  public void loadParameters(Map<String, NDArray> values) {
    Objects.requireNonNull(values, "values");
    TreeSet<String> missing = new TreeSet<>(params.keySet());
    missing.removeAll(values.keySet());
    TreeSet<String> unexpected = new TreeSet<>(values.keySet());
    unexpected.removeAll(params.keySet());
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new IllegalArgumentException(
          "head parameters do not match this configuration: missing "
              + missing
              + ", unexpected "
              + unexpected
              + " (expected names: "
              + params.keySet()
              + ")");
    }
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray src = values.get(e.getKey());
      if (!src.getShape().equals(e.getValue().getShape())) {
        throw new IllegalArgumentException(
            "head parameter '"
                + e.getKey()
                + "' has shape "
                + src.getShape()
                + ", expected "
                + e.getValue().getShape());
      }
    }
    // NDArray.set(float[]) goes through DJL's torchSet, whose deprecated AutoNonVariableTypeMode
    // guard makes
    // libtorch print a 500-character warning; an index-put copy with grad mode off writes the same
    // values
    // without it (grad mode off because the parameters are leaves that require gradients).
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray param = e.getValue();
        float[] data = values.get(e.getKey()).toType(DataType.FLOAT32, false).toFloatArray();
        try (NDManager scope = param.getManager().newSubManager()) {
          param.set(new NDIndex("..."), scope.create(data, param.getShape()));
        }
      }
    } finally {
      JniUtils.setGradMode(grad);
    }
    invalidateTextFeatures();
  }

  /**
   * The token ids of one class's prompts, {@code "X X ... X phrase."} tokenized to the context
   * length.
   *
   * @param classIndex 0 normal, 1 abnormal
   * @return one row per phrase, each of length L (a copy)
   */
  public long[][] promptTokenIds(int classIndex) {
    if (classIndex < 0 || classIndex > 1) {
      throw new IllegalArgumentException(
          "classIndex must be 0 (normal) or 1 (abnormal), got: " + classIndex);
    }
    long[][] ids = classes.get(classIndex).ids;
    long[][] copy = new long[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      copy[i] = ids[i].clone();
    }
    return copy;
  }

  /**
   * Length of the longest prompt including start and end token: the sequence length used by the
   * prompt encoder when {@link HeadsConfig#truncatePrompts()} is on.
   *
   * @return the number of token positions
   */
  public int longestPromptLength() {
    return longestPrompt;
  }

  // ------------------------------------------------------------------------------------------
  // prompts

  /**
   * The prompt embeddings (N, L, W_text) of all prompts, normal phrases first, context vectors
   * inserted. Differentiable with respect to the context parameters. Attached to {@code m}.
   */
  NDArray promptEmbeddings(NDManager m) {
    NDList all = new NDList();
    for (PromptClass pc : classes) {
      all.add(classEmbeddings(pc, m));
    }
    NDArray out = NDArrays.concat(all, 0);
    out.attach(m);
    return out;
  }

  private NDArray classEmbeddings(PromptClass pc, NDManager m) {
    int p = pc.phrases.size();
    int nCtx = config.nCtx();
    NDArray ctx = pc.ctx;
    if (ctx.getShape().dimension() == 2) {
      ctx = own(own(ctx.expandDims(0), m).broadcast(p, nCtx, textWidth), m);
    }
    switch (config.position()) {
      case END:
        return own(NDArrays.concat(new NDList(pc.prefix, ctx, pc.suffix), 1), m);
      case MIDDLE:
      case FRONT:
        {
          // FRONT is MIDDLE with no context vectors before the phrase.
          int half = config.position() == ClassTokenPosition.MIDDLE ? nCtx / 2 : 0;
          NDList rows = new NDList();
          for (int i = 0; i < p; i++) {
            int len = pc.phraseLens[i];
            String r = i + ":" + (i + 1);
            NDList parts = new NDList();
            parts.add(own(pc.prefix.get(r + ", :, :"), m));
            if (half > 0) {
              parts.add(own(ctx.get(r + ", :" + half + ", :"), m));
            }
            parts.add(own(pc.suffix.get(r + ", :" + len + ", :"), m));
            parts.add(own(ctx.get(r + ", " + half + ":, :"), m));
            parts.add(own(pc.suffix.get(r + ", " + len + ":, :"), m));
            rows.add(own(NDArrays.concat(parts, 1), m));
          }
          return own(NDArrays.concat(rows, 0), m);
        }
      default:
        throw new AssertionError(config.position());
    }
  }

  private static NDArray own(NDArray a, NDManager m) {
    a.attach(m);
    return a;
  }

  /**
   * The text matrix T (D, 2): column 0 "normal", column 1 "abnormal". Each prompt (context vectors
   * plus phrase) goes through the frozen text tower (with or without causal mask and truncation as
   * configured), the features of a class are averaged over its phrases and L2-normalized.
   * Differentiable with respect to the context parameters (call inside a {@code GradientCollector}
   * when training). Runs the prompt encoder every call: at inference use {@link
   * #cachedTextFeatures}.
   *
   * @param clip the frozen backbone the heads were created for
   * @param m manager of the result
   * @return T (D, 2), attached to {@code m}
   */
  public NDArray textFeatures(ClipModel clip, NDManager m) {
    Objects.requireNonNull(clip, "clip");
    Objects.requireNonNull(m, "m");
    try (NDManager scope = m.newSubManager()) {
      NDArray emb = promptEmbeddings(scope); // (N, L, Wt)
      int n = (int) emb.getShape().get(0);
      long[][] ids = new long[n][];
      int k = 0;
      for (PromptClass pc : classes) {
        for (long[] row : pc.ids) {
          ids[k++] = row;
        }
      }
      NDArray idArray = scope.create(ids);
      if (config.truncatePrompts()) {
        emb = own(emb.get(":, :" + longestPrompt + ", :"), scope);
        idArray = own(idArray.get(":, :" + longestPrompt), scope);
      }
      NDArray feats =
          own(clip.encodeTextEmbeddings(emb, idArray, config.promptCausalMask()), scope);
      NDList cols = new NDList();
      int start = 0;
      for (PromptClass pc : classes) {
        int p = pc.phrases.size();
        NDArray f = own(feats.get(start + ":" + (start + p)), scope);
        NDArray mean = own(f.mean(new int[] {0}), scope);
        NDArray norm = own(mean.norm(), scope);
        cols.add(own(mean.div(norm), scope));
        start += p;
      }
      NDArray t = NDArrays.stack(cols, 1); // (D, 2)
      t.attach(m);
      return t;
    }
  }

  /**
   * The text matrix T (D, 2) for inference, computed once (without gradients) and cached until
   * {@link #loadParameters} or {@link #invalidateTextFeatures()}; the prompt encoder is the most
   * expensive part of a training step, and at inference its output is constant. Callers that change
   * the parameters in place (an optimizer) must call {@link #invalidateTextFeatures()}.
   *
   * @param clip the frozen backbone the heads were created for
   * @param m manager of the result
   * @return a copy of the cached T (D, 2), attached to {@code m}
   */
  public NDArray cachedTextFeatures(ClipModel clip, NDManager m) {
    synchronized (cacheLock) {
      if (cachedText == null) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray t = textFeatures(clip, scope).stopGradient();
          t.attach(manager);
          cachedText = t;
        }
      }
      NDArray copy = cachedText.duplicate();
      copy.attach(m);
      return copy;
    }
  }

  /** Drops the cached inference text features (call after changing the parameters in place). */
  public void invalidateTextFeatures() {
    synchronized (cacheLock) {
      if (cachedText != null) {
        cachedText.close();
        cachedText = null;
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // images

  /**
   * Runs the frozen vision tower on the images and the heads on its layers.
   *
   * @param clip the frozen backbone
   * @param images normalized images (B, 3, S, S)
   * @param textFeatures T (D, 2) from {@link #textFeatures} or {@link #cachedTextFeatures}
   * @return adapted features, softmax map (B, 2, S, S) and image scores (B), attached to the
   *     manager of {@code images}
   */
  public HeadsOutput forward(ClipModel clip, NDArray images, NDArray textFeatures) {
    Objects.requireNonNull(clip, "clip");
    Objects.requireNonNull(images, "images");
    Shape s = images.getShape();
    if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != s.get(3)) {
      throw new IllegalArgumentException("images must have shape (B, 3, S, S), got: " + s);
    }
    NDManager caller = images.getManager();
    try (NDManager scope = caller.newSubManager()) {
      ClipModel.VisionOutput vo = clip.encodeImage(images, layers);
      List<NDArray> tokens = new ArrayList<>();
      for (NDArray l : vo.layers()) {
        tokens.add(own(l, scope));
      }
      own(vo.pooled(), scope);
      HeadsOutput out = forwardLayers(tokens, (int) s.get(2), textFeatures);
      for (NDArray a : out.adapted()) {
        a.attach(caller);
      }
      out.anomalyMap().attach(caller);
      out.imageScores().attach(caller);
      return out;
    }
  }

  /**
   * The heads on precomputed residual-stream tokens (steps 2–4 of the class documentation), for
   * callers that run the backbone themselves.
   *
   * @param layerTokens per configured layer, the residual stream (B, 1+g·g, W) including the class
   *     token
   * @param imageSize side S of the output map
   * @param textFeatures T (D, 2)
   * @return adapted features (B, g, g, D) per layer, softmax map (B, 2, S, S) and image scores (B),
   *     attached to the manager of {@code layerTokens.get(0)}
   * @throws IllegalArgumentException if the number of layers or a shape does not fit
   */
  public HeadsOutput forwardLayers(List<NDArray> layerTokens, int imageSize, NDArray textFeatures) {
    Objects.requireNonNull(layerTokens, "layerTokens");
    Objects.requireNonNull(textFeatures, "textFeatures");
    if (layerTokens.size() != layers.length) {
      throw new IllegalArgumentException(
          "layerTokens must hold one array per configured layer "
              + config.layers1Based()
              + ", got: "
              + layerTokens.size());
    }
    if (!textFeatures.getShape().equals(new Shape(embedDim, 2))) {
      throw new IllegalArgumentException(
          "textFeatures must have shape (D, 2) = ("
              + embedDim
              + ", 2), got: "
              + textFeatures.getShape());
    }
    if (imageSize < 1) {
      throw new IllegalArgumentException("imageSize must be >= 1, got: " + imageSize);
    }
    NDManager out = layerTokens.get(0).getManager();
    try (NDManager m = out.newSubManager()) {
      long batch = -1;
      int[] grids = new int[layers.length];
      int target = 0;
      for (int i = 0; i < layers.length; i++) {
        Shape ts = layerTokens.get(i).getShape();
        int g = ts.dimension() == 3 ? (int) Math.round(Math.sqrt(ts.get(1) - 1)) : -1;
        if (ts.dimension() != 3
            || (long) g * g != ts.get(1) - 1
            || ts.get(2) != visionWidth
            || (batch >= 0 && ts.get(0) != batch)) {
          throw new IllegalArgumentException(
              "layerTokens["
                  + i
                  + "] must have shape (B, 1+g*g, W) with W = "
                  + visionWidth
                  + " and one batch size, got: "
                  + ts);
        }
        batch = ts.get(0);
        grids[i] = g;
        target = Math.max(target, g);
      }
      List<NDArray> adapted = new ArrayList<>();
      for (int i = 0; i < layers.length; i++) {
        int g = grids[i];
        NDArray tok = layerTokens.get(i);
        NDArray x = own(tok.get(":, 1:, :"), m); // (B, g*g, W)
        x = own(x.reshape(batch, g, g, visionWidth), m);
        x = own(x.transpose(0, 3, 1, 2), m); // (B, W, g, g)
        if (g != target) {
          x = upsampleAlignCorners(x, target, m);
        }
        NDArray y =
            own(
                Conv2d.conv2d(x, adapterWeights.get(i), adapterBiases.get(i)).singletonOrThrow(),
                m);
        y = own(y.transpose(0, 2, 3, 1), m); // (B, G, G, D)
        NDArray norm = own(y.norm(new int[] {3}, true), m);
        adapted.add(own(y.div(norm), m));
      }
      NDArray t = textFeatures;
      NDArray sum = null;
      for (NDArray a : adapted) {
        NDArray flat = own(a.reshape(batch, (long) target * target, embedDim), m);
        NDArray sim = own(flat.matMul(t), m); // (B, G*G, 2)
        sum = sum == null ? sim : own(sum.add(sim), m);
      }
      NDArray mean = own(TorchOwned.div(sum, (float) adapted.size()), m); // kept by autograd
      NDArray grid = own(own(mean.reshape(batch, target, target, 2), m).transpose(0, 3, 1, 2), m);
      NDArray up = target == imageSize ? grid : upsampleAlignCorners(grid, imageSize, m);
      NDArray map = up.softmax(1);
      NDArray scores = own(own(map.get(":, 1, :, :"), m).reshape(batch, -1), m).max(new int[] {1});
      map.attach(out);
      scores.attach(out);
      for (NDArray a : adapted) {
        a.attach(out);
      }
      return new HeadsOutput(adapted, map, scores);
    }
  }

  /**
   * Bilinear resize of the last two axes with align_corners = true, as two matrix products (exact,
   * differentiable, engine independent): out = R · x · Rᵀ with R (size, g).
   */
  static NDArray upsampleAlignCorners(NDArray x, int size, NDManager m) {
    Shape s = x.getShape();
    int h = (int) s.get(s.dimension() - 2);
    int w = (int) s.get(s.dimension() - 1);
    // libtorch-owned: autograd keeps both matrices for backward, after m is closed (TorchOwned)
    NDArray rh =
        TorchOwned.create(m, interpolationMatrix(h, size), new Shape(size, h))
            .toDevice(x.getDevice(), false);
    NDArray rw =
        TorchOwned.create(m, interpolationMatrix(w, size), new Shape(size, w))
            .toDevice(x.getDevice(), false);
    own(rh, m);
    own(rw, m);
    NDArray rwT = own(rw.transpose(), m);
    NDArray a = own(x.matMul(rwT), m); // (..., h, size)
    return own(rh.matMul(a), m); // (..., size, size)
  }

  /** Row-major (out, in) matrix of 1-D linear interpolation with align_corners = true. */
  static float[] interpolationMatrix(int in, int out) {
    float[] r = new float[out * in];
    if (in == 1 || out == 1) {
      for (int i = 0; i < out; i++) {
        r[i * in] = 1f;
      }
      return r;
    }
    // torch computes the source coordinate in float: scale = (in - 1) / (out - 1)
    float scale = (float) (in - 1) / (out - 1);
    for (int i = 0; i < out; i++) {
      float src = scale * i;
      int i0 = Math.min((int) Math.floor(src), in - 1);
      int i1 = Math.min(i0 + 1, in - 1);
      float l1 = src - i0;
      float l0 = 1f - l1;
      r[i * in + i0] += l0;
      r[i * in + i1] += l1;
    }
    return r;
  }

  /**
   * Number of arrays the heads' own manager holds (parameters, fixed prompt embeddings, cache); for
   * leak tests.
   */
  int ownedArrayCount() {
    return manager instanceof ai.djl.ndarray.BaseNDManager b ? b.getManagedArrays().size() : -1;
  }

  /** Frees the parameters, the fixed prompt embeddings and the cached text features. */
  @Override
  public void close() {
    synchronized (cacheLock) {
      cachedText = null;
    }
    manager.close();
  }
}
