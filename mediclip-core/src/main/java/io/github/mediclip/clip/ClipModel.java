package io.github.mediclip.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.common.io.ByteSource;
import com.google.common.io.MoreFiles;
import io.github.mediclip.internal.PosEmbedResize;
import io.github.mediclip.internal.clip.SafetensorsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

// Why this class is long (~800 lines, over a third javadoc): it is the documented public CLIP API
// (the Loader's options, accessors, both encoders) plus the forward pass of the vision and text
// towers, which mirrors open_clip's model.py and reads best in one place. Folder reading and
// weight import are in ClipModelLoading.
/**
 * A frozen CLIP (vision and text transformers) written with DJL NDArray operations, as open_clip's
 * OpenAI-style {@code CLIP}: patch convolution without bias, class token, positional embedding,
 * {@code ln_pre}, pre-norm residual blocks with fused q/k/v attention and QuickGELU or GELU MLPs,
 * {@code ln_post} on the class token and projection (vision); token embedding, positional
 * embedding, causal residual blocks, {@code ln_final}, EOT pooling at the argmax id and projection
 * (text).
 *
 * <p>Weights never require gradients. Gradients do flow from the outputs of {@link
 * #encodeTextEmbeddings} back into caller-supplied embeddings (CoOp prompt learning). Forward calls
 * are read-only and may run concurrently. Intermediate arrays are freed before each call returns;
 * results are attached to the manager of the input array.
 *
 * <h2>Model folder</h2>
 *
 * {@link #load(Path, Device)} reads a folder holding:
 *
 * <ul>
 *   <li>configuration: {@code open_clip_config.json} (open_clip's model config, optionally wrapped
 *       in {@code model_cfg} as on the Hugging Face hub), else {@code config.json} (Hugging Face
 *       {@code CLIPConfig}); without either, the architecture is inferred from the tensor shapes
 *       (OpenAI rules: head width 64, QuickGELU);
 *   <li>weights: {@code *.safetensors} (preferably one file, {@code open_clip_model.safetensors} or
 *       {@code model.safetensors}; several files are read together as shards) with OpenAI /
 *       open_clip names ({@code visual.transformer.resblocks.N.attn.in_proj_weight}, ...) or
 *       Hugging Face {@code CLIPModel} names ({@code
 *       vision_model.encoder.layers.N.self_attn.q_proj.weight}, ...), detected from the names; else
 *       one OpenAI TorchScript archive {@code *.pt} (parameters read through the PyTorch engine,
 *       nothing unpickled);
 *   <li>tokenizer (optional): {@code bpe_simple_vocab_16e6.txt.gz}, or {@code vocab.json} + {@code
 *       merges.txt}, or {@code tokenizer.json}.
 * </ul>
 *
 * {@link #writeFolder} and {@link ClipWeights#writeFolder} write {@code open_clip_config.json},
 * {@code open_clip_model.safetensors} and {@code vocab.json} + {@code merges.txt}.
 *
 * <p>Weight import is strict by default: missing, unexpected or mis-shaped tensors are reported
 * together in one {@link ClipWeightsException}. When the requested image size differs from the
 * checkpoint's, the visual positional-embedding grid is interpolated as open_clip's {@code
 * resize_pos_embed} does (bicubic, align_corners false, antialias, class token kept).
 *
 * <p>Precision: {@link Loader#optDataType} keeps the frozen weights and runs the towers in float16
 * (meant for GPUs); features are always returned as float32. bfloat16 weight files are read
 * (widened to float32), but bfloat16 compute is not offered: DJL 0.36's PyTorch engine cannot
 * create bfloat16 tensors.
 */
public final class ClipModel implements AutoCloseable {

  /**
   * Output of the vision tower.
   *
   * @param pooled the projected class-token embedding (B, D), float32
   * @param layers the residual stream after each requested block, in request order, each (B, 1 +
   *     g·g, W) including the class token at index 0, float32
   */
  public record VisionOutput(NDArray pooled, List<NDArray> layers) {
    // pooled is null only internally, for encodeImageLayers
    /**
     * Copies the list.
     *
     * @param pooled the projected class-token embedding (B, D), float32
     * @param layers the residual stream after each requested block, in request order, each (B, 1 +
     *     g·g, W) including the class token at index 0, float32
     */
    public VisionOutput {
      layers = List.copyOf(layers);
    }
  }

  private final ClipConfig config;
  private final NDManager manager;
  private final Device device;
  private final DataType dataType;
  private final ClipTokenizer tokenizer;
  private final List<Path> weightFiles;
  private final Map<String, NDArray> weights;
  private volatile String sha256;

  // vision
  private final NDArray patchW; // (W, 3·p·p)
  private final NDArray classEmb; // (W)
  private final NDArray visualPos; // (1 + g·g, W)
  private final NDArray lnPreW;
  private final NDArray lnPreB;
  private final List<ResidualBlock> visualBlocks;
  private final NDArray lnPostW;
  private final NDArray lnPostB;
  private final NDArray visualProj; // (W, D)
  // text
  private final NDArray tokenEmb; // (V, Wt)
  private final NDArray textPos; // (L, Wt)
  private final List<ResidualBlock> textBlocks;
  private final NDArray lnFinalW;
  private final NDArray lnFinalB;
  private final NDArray textProj; // (Wt, D)
  private final float logitScale;

  /** Made by {@link ClipModelLoading} only: takes ownership of the manager and the weights. */
  ClipModel(
      ClipConfig config,
      NDManager manager,
      DataType dataType,
      Map<String, NDArray> w,
      ClipTokenizer tokenizer,
      List<Path> weightFiles) {
    this.config = config;
    this.manager = manager;
    this.device = manager.getDevice();
    this.dataType = dataType;
    this.tokenizer = tokenizer;
    this.weightFiles = List.copyOf(weightFiles);
    this.weights = w;
    ClipConfig.VisionConfig v = config.vision();
    ClipConfig.TextConfig t = config.text();
    NDArray conv = w.get("visual.conv1.weight");
    this.patchW = conv.reshape(v.width(), 3L * v.patchSize() * v.patchSize());
    this.classEmb = w.get("visual.class_embedding");
    this.visualPos = w.get("visual.positional_embedding");
    this.lnPreW = w.get("visual.ln_pre.weight");
    this.lnPreB = w.get("visual.ln_pre.bias");
    List<ResidualBlock> vb = new ArrayList<>();
    for (int i = 0; i < v.layers(); i++) {
      vb.add(
          new ResidualBlock(
              w,
              "visual.transformer.resblocks." + i + ".",
              v.width(),
              v.heads(),
              config.quickGelu()));
    }
    this.visualBlocks = List.copyOf(vb);
    this.lnPostW = w.get("visual.ln_post.weight");
    this.lnPostB = w.get("visual.ln_post.bias");
    this.visualProj = w.get("visual.proj");
    this.tokenEmb = w.get("token_embedding.weight");
    this.textPos = w.get("positional_embedding");
    List<ResidualBlock> tb = new ArrayList<>();
    for (int i = 0; i < t.layers(); i++) {
      tb.add(
          new ResidualBlock(
              w, "transformer.resblocks." + i + ".", t.width(), t.heads(), config.quickGelu()));
    }
    this.textBlocks = List.copyOf(tb);
    this.lnFinalW = w.get("ln_final.weight");
    this.lnFinalB = w.get("ln_final.bias");
    this.textProj = w.get("text_projection");
    // Read now: once the manager is capped, a float16 -> float32 conversion could not be made.
    try (NDArray f = w.get("logit_scale").toType(DataType.FLOAT32, true)) {
      this.logitScale = f.getFloat();
    }
    // Nothing may attach to the weights' manager from now on: a forward op whose result landed
    // there
    // would leak, so make it fail loudly instead.
    manager.cap();
  }

  // ------------------------------------------------------------------------------------ factories

  /**
   * Loads a model folder (format in the class documentation) in float32, strictly, at the
   * configuration's image size.
   *
   * @param modelFolder the folder
   * @param device where the weights live and the towers run ({@code Device.cpu()}, {@code
   *     Device.gpu()})
   * @return the model (close it)
   * @throws ClipWeightsException for unusable files (the message names file and tensor)
   */
  public static ClipModel load(Path modelFolder, Device device) {
    return loader().optDevice(device).load(modelFolder);
  }

  /**
   * Reads the architecture of a model folder without building the model, by the rules {@link
   * Loader#load} uses: {@code open_clip_config.json}, else {@code config.json}, else inferred from
   * the shapes of the OpenAI-named weights (the layout of OpenAI's {@code ViT-L-14.pt} next to
   * {@code bpe_simple_vocab_16e6.txt.gz}). For safetensors only the headers are read; a {@code .pt}
   * archive is read once on the CPU and released.
   *
   * @param folder the model folder
   * @return the configuration at the checkpoint's image size
   * @throws ClipWeightsException when the folder is missing, holds no weights, several {@code .pt}
   *     files, or Hugging Face-named weights without {@code config.json} (the message names the
   *     folder and what to add)
   */
  public static ClipConfig readConfig(Path folder) {
    return ClipModelLoading.readConfig(folder);
  }

  /**
   * Builds a model from OpenAI / open_clip-named tensors (strict; the arrays are copied, the caller
   * keeps ownership of the map's arrays, so both copies are held until the caller closes its own;
   * see {@link Loader#fromWeightsTakingOwnership} to hold one).
   *
   * @param config the architecture (its image size is the one the model runs at)
   * @param openClipNamedTensors name to array, e.g. from {@link ClipWeights#randomInit} or a {@link
   *     SafetensorsReader}
   * @param device where the model runs
   * @return the model (close it); it has no tokenizer
   */
  public static ClipModel fromWeights(
      ClipConfig config, Map<String, NDArray> openClipNamedTensors, Device device) {
    return loader().optDevice(device).fromWeights(config, openClipNamedTensors);
  }

  /**
   * Returns a loader with options (device, precision, image size, strictness, tokenizer).
   *
   * @return a loader with options (device, precision, image size, strictness, tokenizer)
   */
  public static Loader loader() {
    return new Loader();
  }

  /** Options for loading a {@link ClipModel}. Not thread-safe; reusable. */
  public static final class Loader {
    // Read by ClipModelLoading, which does the loading with these options.
    Device device;
    DataType dataType = DataType.FLOAT32;
    int imageSize;
    boolean strict = true;
    ClipTokenizer tokenizer;

    private Loader() {}

    /**
     * Sets the device (default: DJL's default device of the PyTorch engine, a GPU when one is
     * seen).
     *
     * @param device the device
     * @return this
     */
    public Loader optDevice(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /**
     * Sets the precision of the frozen towers: {@code FLOAT32} (default) or {@code FLOAT16} (meant
     * for GPUs; it also runs, slowly, on CPU). Features are returned as float32 either way. {@code
     * BFLOAT16} is rejected: DJL 0.36's PyTorch engine aborts the process when it creates a
     * bfloat16 tensor.
     *
     * @param dataType the compute type
     * @return this
     */
    public Loader optDataType(DataType dataType) {
      Objects.requireNonNull(dataType, "dataType");
      if (dataType == DataType.BFLOAT16) {
        throw new IllegalArgumentException(
            "dataType BFLOAT16 is not supported: DJL 0.36's PyTorch engine "
                + "cannot create bfloat16 tensors; use FLOAT16 (GPU) or FLOAT32");
      }
      if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT16) {
        throw new IllegalArgumentException("dataType must be FLOAT32 or FLOAT16, got " + dataType);
      }
      this.dataType = dataType;
      return this;
    }

    /**
     * Sets the input image size S (default: the configuration's). The positional-embedding grid is
     * interpolated when it differs from the checkpoint's.
     *
     * @param imageSize S, a positive multiple of the patch size
     * @return this
     */
    public Loader optImageSize(int imageSize) {
      if (imageSize <= 0) {
        throw new IllegalArgumentException("imageSize must be positive, got " + imageSize);
      }
      this.imageSize = imageSize;
      return this;
    }

    /**
     * Sets whether unexpected tensors are errors (default true). Missing and mis-shaped tensors are
     * always errors.
     *
     * @param strict strictness
     * @return this
     */
    public Loader optStrict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Sets the tokenizer, replacing the one of the folder (default: the folder's, or none).
     *
     * @param tokenizer the tokenizer
     * @return this
     */
    public Loader optTokenizer(ClipTokenizer tokenizer) {
      this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
      return this;
    }

    /**
     * Loads a model folder (see {@link ClipModel}).
     *
     * @param folder the folder
     * @return the model
     */
    public ClipModel load(Path folder) {
      return ClipModelLoading.load(this, folder);
    }

    /**
     * Builds a model from OpenAI / open_clip-named tensors (see {@link ClipModel#fromWeights}).
     *
     * @param config the architecture
     * @param tensors name to array (copied)
     * @return the model
     */
    public ClipModel fromWeights(ClipConfig config, Map<String, NDArray> tensors) {
      return ClipModelLoading.fromWeights(this, config, tensors);
    }

    /**
     * Builds a model from OpenAI / open_clip-named tensors as {@link #fromWeights} does (same
     * checks, same resulting weights), but takes ownership of the map's arrays: each array is
     * closed as soon as the model's copy of it is made, so that peak memory stays near one copy of
     * the weights (plus one tensor) instead of two. Meant for weights made only to build a model,
     * such as {@link ClipWeights#randomInit}.
     *
     * <p>Every array of the map is closed when this method returns, also when it throws (a {@link
     * ClipWeightsException} for unusable tensors, for instance) and also arrays it does not use
     * (unexpected tensors under {@code optStrict(false)}). The map itself is not modified; do not
     * use its arrays afterwards. Arrays are copied rather than adopted, so views of other arrays
     * and arrays that wrap Java buffers are fine.
     *
     * @param config the architecture
     * @param tensors name to array (closed by this call)
     * @return the model
     */
    public ClipModel fromWeightsTakingOwnership(ClipConfig config, Map<String, NDArray> tensors) {
      return ClipModelLoading.fromWeightsTakingOwnership(this, config, tensors);
    }
  }

  /**
   * Resizes a visual positional embedding (1 + h·h, W) to (1 + g·g, W) as open_clip's {@code
   * resize_pos_embed}: bicubic, align_corners false, antialias, class token kept.
   *
   * @param pos the embedding (1 + h·h, W)
   * @param grid the new grid side g
   * @param manager owner of the result
   * @return (1 + g·g, W) float32
   */
  public static NDArray resizePositionalEmbedding(NDArray pos, int grid, NDManager manager) {
    long[] s = pos.getShape().getShape();
    int h = io.github.mediclip.internal.clip.WeightShapes.squareSide(s[0] - 1);
    if (s.length != 2 || h <= 0) {
      throw new ClipWeightsException(
          "visual.positional_embedding has shape "
              + Arrays.toString(s)
              + ", which is not (1 + h*h, W)");
    }
    int w = (int) s[1];
    float[] all;
    if (pos.getDataType() == DataType.FLOAT32) {
      all = pos.toFloatArray();
    } else {
      try (NDArray f = pos.toType(DataType.FLOAT32, true)) {
        all = f.toFloatArray();
      }
    }
    float[] gridIn = Arrays.copyOfRange(all, w, all.length);
    float[] gridOut = PosEmbedResize.resize(gridIn, h, h, w, grid, grid, true);
    float[] out = new float[(1 + grid * grid) * w];
    System.arraycopy(all, 0, out, 0, w);
    System.arraycopy(gridOut, 0, out, w, gridOut.length);
    try (NDArray wrapped = manager.create(out, new Shape(1L + (long) grid * grid, w))) {
      return wrapped.duplicate(); // libtorch-owned memory rather than a Java direct buffer
    }
  }

  // ------------------------------------------------------------------------------------ accessors

  /**
   * Returns the architecture (with the image size the model runs at).
   *
   * @return the architecture (with the image size the model runs at)
   */
  public ClipConfig config() {
    return config;
  }

  /**
   * Returns the tokenizer of the model folder, or {@code null} when there is none.
   *
   * @return the tokenizer of the model folder, or {@code null} when there is none
   */
  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * Returns the device the weights live on.
   *
   * @return the device the weights live on
   */
  public Device device() {
    return device;
  }

  /**
   * Returns the compute precision of the towers (float32 unless loaded otherwise).
   *
   * @return the compute precision of the towers (float32 unless loaded otherwise)
   */
  public DataType dataType() {
    return dataType;
  }

  /**
   * Returns the learned logit scale (a scalar; CLIP's temperature is its exp).
   *
   * @return the learned logit scale (a scalar; CLIP's temperature is its exp)
   */
  public float logitScale() {
    return logitScale;
  }

  /**
   * Returns the hex SHA-256 of the weight file(s) the model was loaded from (several files: their
   * bytes in name order), or, for {@link #fromWeights}, of the tensors as held (names in order,
   * shapes, dtypes and bytes). Computed once, on first call.
   *
   * @return 64 hex digits
   */
  public String weightsSha256() {
    String s = sha256;
    if (s == null) {
      synchronized (this) {
        if (sha256 == null) {
          sha256 = computeSha256();
        }
        s = sha256;
      }
    }
    return s;
  }

  private String computeSha256() {
    if (!weightFiles.isEmpty()) {
      // the digest of the files' bytes one after the other, as sha256sum of their concatenation
      ByteSource all =
          ByteSource.concat(weightFiles.stream().map(MoreFiles::asByteSource).toList());
      try {
        return all.hash(Hashing.sha256()).toString();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot hash weight files " + weightFiles + ": " + e.getMessage(), e);
      }
    }
    Hasher h = Hashing.sha256().newHasher();
    for (Map.Entry<String, NDArray> e : new TreeMap<>(weights).entrySet()) {
      NDArray a = e.getValue();
      h.putString(
          e.getKey() + "|" + a.getShape() + "|" + a.getDataType() + "\n", StandardCharsets.UTF_8);
      h.putBytes(a.toByteBuffer());
    }
    return h.hash().toString();
  }

  /**
   * Returns the weights under their OpenAI / open_clip names (shared, read-only: do not close or
   * modify them). The model's manager is capped, so an operation whose result would land in it (any
   * op with a weight as its first operand, including {@code duplicate()}) fails with an {@link
   * IllegalStateException}; read values with {@code toFloatArray()} or use a weight as a second
   * operand.
   *
   * @return an unmodifiable view
   */
  public Map<String, NDArray> weights() {
    return java.util.Collections.unmodifiableMap(weights);
  }

  /**
   * Writes this model as a model folder (see the class documentation).
   *
   * @param folder the target folder
   * @param tokenizer the tokenizer to store, or {@code null} to store this model's (if any)
   */
  public void writeFolder(Path folder, ClipTokenizer tokenizer) {
    ClipWeights.writeFolder(
        folder, config, weights, tokenizer != null ? tokenizer : this.tokenizer);
  }

  // ------------------------------------------------------------------------------------ vision

  /**
   * Runs the vision tower once and returns the pooled embedding and the residual stream after the
   * requested blocks.
   *
   * @param images normalized images (B, 3, S, S), S the configured image size, float32
   * @param layers1Based blocks after which to return the residual stream, 1-based (1..layers), like
   *     the reference; may be empty
   * @return pooled (B, D) and one (B, 1 + g·g, W) array per requested block, attached to the
   *     manager of {@code images}
   */
  public VisionOutput encodeImage(NDArray images, int... layers1Based) {
    return vision(images, layers1Based, true);
  }

  /**
   * Runs the vision tower only up to the deepest requested block and returns the residual streams
   * after the requested blocks (no pooled embedding: the remaining blocks are skipped).
   *
   * @param images normalized images (B, 3, S, S), S the configured image size, float32
   * @param layers1Based blocks after which to return the residual stream, 1-based (1..layers)
   * @return one (B, 1 + g·g, W) float32 array per requested block, in request order, attached to
   *     the manager of {@code images}
   */
  public List<NDArray> encodeImageLayers(NDArray images, int... layers1Based) {
    return vision(images, layers1Based, false).layers();
  }

  private VisionOutput vision(NDArray images, int[] layers1Based, boolean withPooled) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(layers1Based, "layers1Based");
    ClipConfig.VisionConfig v = config.vision();
    Shape s = images.getShape();
    int size = v.imageSize();
    if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != size || s.get(3) != size) {
      throw new IllegalArgumentException(
          "images must have shape (B, 3, " + size + ", " + size + "), got " + s);
    }
    for (int l : layers1Based) {
      if (l < 1 || l > v.layers()) {
        throw new IllegalArgumentException("layer " + l + " is out of range 1.." + v.layers());
      }
    }
    NDManager outer = images.getManager();
    long b = s.get(0);
    int p = v.patchSize();
    int g = v.gridSize();
    int width = v.width();
    try (NDManager scope = outer.newSubManager(device)) {
      scope.tempAttachAll(images);
      NDArray x = images.toDevice(device, false).toType(dataType, false);
      // Patch "convolution" (stride = kernel = p, no bias) as one matmul over flattened patches.
      x =
          x.reshape(b, 3, g, p, g, p)
              .transpose(0, 2, 4, 1, 3, 5)
              .reshape(b, (long) g * g, 3L * p * p);
      x = Linear.linear(x, patchW).singletonOrThrow(); // (B, g·g, W)
      NDArray cls = scope.zeros(new Shape(b, 1, width), dataType).add(classEmb);
      x = NDArrays.concat(new NDList(cls, x), 1).add(visualPos); // (B, 1 + g·g, W)
      x = ResidualBlock.layerNorm(x, lnPreW, lnPreB);
      NDArray[] kept = new NDArray[layers1Based.length];
      boolean prevKept = false;
      int depth = withPooled ? visualBlocks.size() : Arrays.stream(layers1Based).max().orElse(0);
      for (int i = 0; i < depth; i++) {
        NDArray prev = x;
        x = visualBlocks.get(i).forward(x, null);
        boolean keep = false;
        for (int k = 0; k < layers1Based.length; k++) {
          if (layers1Based[k] == i + 1) {
            kept[k] = x.toType(DataType.FLOAT32, false);
            keep |= kept[k] == x;
          }
        }
        if (i > 0 && !prevKept) {
          prev.close(); // free the residual stream of the previous block early
        }
        prevKept = keep;
      }
      NDArray pooled = null;
      if (withPooled) {
        pooled =
            ResidualBlock.layerNorm(x.get(":, 0, :"), lnPostW, lnPostB)
                .matMul(visualProj)
                .toType(DataType.FLOAT32, false);
        pooled = pooled.toDevice(outer.getDevice(), false);
        pooled.attach(outer);
      }
      List<NDArray> out = new ArrayList<>(kept.length);
      for (NDArray k : kept) {
        NDArray o = k.toDevice(outer.getDevice(), false);
        o.attach(outer);
        out.add(o);
      }
      return new VisionOutput(pooled, out);
    }
  }

  // ------------------------------------------------------------------------------------ text

  /**
   * Encodes token ids with the causal mask (CLIP's text features).
   *
   * @param ids token ids (N, L), int32 or int64, L ≤ context length, EOT the largest id of each row
   * @return features (N, D), float32, attached to the manager of {@code ids}
   */
  public NDArray encodeText(NDArray ids) {
    NDManager outer = ids.getManager();
    try (NDManager scope = outer.newSubManager()) {
      scope.tempAttachAll(ids);
      NDArray emb = tokenEmbedding(ids);
      NDArray out = encodeTextEmbeddings(emb, ids, true);
      out.attach(outer);
      return out;
    }
  }

  /**
   * Tokenizes texts with this model's tokenizer (context length of the configuration) and encodes
   * them with the causal mask.
   *
   * @param texts the texts
   * @param manager owner of the result
   * @return features (N, D), float32
   * @throws IllegalStateException when the model has no tokenizer
   */
  public NDArray encodeTexts(List<String> texts, NDManager manager) {
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(manager, "manager");
    if (tokenizer == null) {
      throw new IllegalStateException(
          "this ClipModel has no tokenizer: load it from a folder with "
              + ClipTokenizer.BPE_FILE
              + " (or vocab.json + merges.txt), or set one with ClipModel.loader()"
              + ".optTokenizer(...)");
    }
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("texts is empty");
    }
    int len = config.text().contextLength();
    try (NDManager scope = manager.newSubManager()) {
      NDArray ids = scope.create(tokenizer.tokenizeAll(texts, len), new Shape(texts.size(), len));
      NDArray out = encodeText(ids);
      out.attach(manager);
      return out;
    }
  }

  /**
   * Looks up token embeddings.
   *
   * @param ids token ids (N, L)
   * @return embeddings (N, L, Wt), float32, attached to the manager of {@code ids}
   */
  public NDArray tokenEmbedding(NDArray ids) {
    checkIds(ids);
    NDManager outer = ids.getManager();
    try (NDManager scope = outer.newSubManager(device)) {
      scope.tempAttachAll(ids);
      NDArray idx = ids.toDevice(device, false).toType(DataType.INT64, false);
      NDArray e =
          Embedding.embedding(idx, tokenEmb, SparseFormat.DENSE)
              .singletonOrThrow()
              .toType(DataType.FLOAT32, false)
              .toDevice(outer.getDevice(), false);
      e.attach(outer);
      return e;
    }
  }

  /**
   * Encodes caller-supplied token embeddings without the causal mask, as the reference prompt
   * encoder (MediCLIP's CoOp text encoder) does.
   *
   * @param embeddings (N, L, Wt), may require gradients
   * @param ids token ids (N, L); the EOT position of each row is the argmax
   * @return features (N, D), float32
   */
  public NDArray encodeTextEmbeddings(NDArray embeddings, NDArray ids) {
    return encodeTextEmbeddings(embeddings, ids, false);
  }

  /**
   * Encodes caller-supplied token embeddings: adds the positional embedding, runs the text
   * transformer (with or without the causal mask), pools at the EOT position (argmax of {@code
   * ids}), applies {@code ln_final} and the text projection. Gradients flow back into {@code
   * embeddings}.
   *
   * @param embeddings (N, L, Wt) with L ≤ context length, float32; may require gradients
   * @param ids token ids (N, L); the EOT position of each row is the argmax
   * @param causalMask whether to apply CLIP's causal attention mask (the reference prompt encoder
   *     does not)
   * @return features (N, D), float32, attached to the manager of {@code embeddings}
   */
  public NDArray encodeTextEmbeddings(NDArray embeddings, NDArray ids, boolean causalMask) {
    Objects.requireNonNull(embeddings, "embeddings");
    checkIds(ids);
    ClipConfig.TextConfig t = config.text();
    Shape es = embeddings.getShape();
    Shape is = ids.getShape();
    if (es.dimension() != 3
        || es.get(2) != t.width()
        || es.get(0) != is.get(0)
        || es.get(1) != is.get(1)) {
      throw new IllegalArgumentException(
          "embeddings must have shape (N, L, "
              + t.width()
              + ") matching ids "
              + is
              + ", got "
              + es);
    }
    NDManager outer = embeddings.getManager();
    long n = es.get(0);
    int len = (int) es.get(1);
    try (NDManager scope = outer.newSubManager(device)) {
      scope.tempAttachAll(embeddings, ids);
      NDArray x = embeddings.toDevice(device, false).toType(dataType, false);
      NDArray pos =
          len == t.contextLength() ? textPos : textPos.get(scope, new NDIndex(":{}", len));
      x = x.add(pos);
      NDArray mask = causalMask ? causalMask(scope, len) : null;
      for (ResidualBlock blk : textBlocks) {
        x = blk.forward(x, mask);
      }
      NDArray eot = ids.toDevice(device, false).argMax(1); // (N)
      NDArray select = eot.oneHot(len, dataType).reshape(n, 1, len);
      NDArray pooled = select.matMul(x).reshape(n, t.width()); // (N, Wt)
      pooled = ResidualBlock.layerNorm(pooled, lnFinalW, lnFinalB).matMul(textProj);
      NDArray out = pooled.toType(DataType.FLOAT32, false).toDevice(outer.getDevice(), false);
      out.attach(outer);
      return out;
    }
  }

  private NDArray causalMask(NDManager m, int len) {
    float[] mask = new float[len * len];
    for (int i = 0; i < len; i++) {
      for (int j = i + 1; j < len; j++) {
        mask[i * len + j] = Float.NEGATIVE_INFINITY;
      }
    }
    return m.create(mask, new Shape(len, len)).toDevice(device, false).toType(dataType, false);
  }

  private void checkIds(NDArray ids) {
    Objects.requireNonNull(ids, "ids");
    Shape s = ids.getShape();
    if (s.dimension() != 2 || s.get(1) < 1 || s.get(1) > config.text().contextLength()) {
      throw new IllegalArgumentException(
          "ids must have shape (N, L) with 1 <= L <= "
              + config.text().contextLength()
              + ", got "
              + s);
    }
    DataType t = ids.getDataType();
    if (t != DataType.INT32 && t != DataType.INT64) {
      throw new IllegalArgumentException("ids must be int32 or int64, got " + t);
    }
  }

  /** Frees the weights. */
  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "ClipModel[" + config + ", device=" + device + ", dataType=" + dataType + "]";
  }
}
