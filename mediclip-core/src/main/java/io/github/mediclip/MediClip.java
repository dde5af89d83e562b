package io.github.mediclip;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.clip.ClipWeights;
import io.github.mediclip.internal.PyTorchEngines;
import io.github.mediclip.model.ClassTokenPosition;
import io.github.mediclip.model.HeadsConfig;
import io.github.mediclip.model.MediClipHeads;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesisMixture;
import io.github.mediclip.train.FewShotTrainer;
import io.github.mediclip.train.FitConfig;
import io.github.mediclip.train.FitListener;
import io.github.mediclip.train.FitResult;
import io.github.mediclip.train.KShotSampler;
import io.github.mediclip.train.LabeledImage;
import io.github.mediclip.train.ShotFile;
import io.github.mediclip.train.ValidationSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The entry point of MediCLIP for Java: configure with {@link #builder()}, train with {@link #fit}, or
 * load a saved detector with {@link #load(Path)}.
 *
 * <p>MediCLIP (Zhang et al., "MediCLIP: Adapting CLIP for Few-shot Medical Image Anomaly Detection",
 * MICCAI 2024, arXiv 2405.11315) keeps CLIP frozen and trains small heads (per-layer adapters and a
 * CoOp prompt learner) on anomalies synthesized from k normal images.
 *
 * <pre>{@code
 * MediClip mediclip = MediClip.builder()
 *     .setBackbone(Path.of("models/ViT-L-14"))   // folder with open_clip_config.json + weights
 *     .optShots(16)
 *     .optSeed(1)
 *     .build();
 * try (MediClipDetector detector = mediclip.fit(normalImagePaths)) {
 *   Prediction p = detector.predict(Path.of("scan.png"));
 *   detector.save(Path.of("brain-detector"));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #fit} can be called several times (each call trains anew).
 */
public final class MediClip {

  private final Builder b;
  private final ClipConfig clipConfig;
  private final HeadsConfig headsConfig;
  private final FitConfig fitConfig;

  private MediClip(Builder b, ClipConfig clipConfig, HeadsConfig headsConfig, FitConfig tc) {
    this.b = b.copy();
    this.clipConfig = clipConfig;
    this.headsConfig = headsConfig;
    this.fitConfig = tc;
  }

  /**
   * Creates a builder.
   *
   * @return a new builder with every default as documented on its methods
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the CLIP configuration (with the chosen image size).
   *
   * @return the backbone's configuration
   */
  public ClipConfig clipConfig() {
    return clipConfig;
  }

  /**
   * Returns the heads configuration.
   *
   * @return layers, n_ctx, prompts, ...
   */
  public HeadsConfig headsConfig() {
    return headsConfig;
  }

  /**
   * Returns the training configuration (formerly {@code trainingConfig()}).
   *
   * @return epochs, batch size, learning rate, k, seed, ...
   */
  public FitConfig fitConfig() {
    return fitConfig;
  }

  /**
   * Returns the device training and inference run on.
   *
   * @return the configured device, else a GPU when DJL sees one, else the CPU
   */
  public Device device() {
    return b.device != null ? b.device : defaultDevice();
  }

  /**
   * Trains a detector on normal images.
   *
   * <p>The k shots are drawn from {@code normals} with {@link KShotSampler} ({@link
   * Builder#optShots(int)}; a pool of files is put in path order first, other pools are taken in the
   * order given), or are the files given to {@link Builder#optShots(List)}. Only the shots are read:
   * in the k-shot protocol (the default) the other images of the pool are never opened. With {@link
   * Builder#optHoldoutValidation(boolean)} the other images are read too and used for validation.
   *
   * @param normals the pool of normal images: each a {@link Path} (image file), {@link BufferedImage},
   *     {@link GrayImage} or {@link LabeledImage}; any size
   * @return the trained detector (close it when done)
   * @throws IllegalArgumentException when the list is empty, holds an unsupported element (the
   *     message names its index and class), is smaller than k, or lacks a shot given to {@link
   *     Builder#optShots(List)}
   * @throws java.io.UncheckedIOException naming the file when an image that is used cannot be read
   */
  public MediClipDetector fit(List<?> normals) {
    Objects.requireNonNull(normals, "normals");
    checkInputs(normals, "normals");
    if (normals.isEmpty()) {
      throw new IllegalArgumentException("normals must not be empty: give at least one normal image");
    }
    KShotSampler.Split<Integer> drawn = drawShots(normals);
    boolean readRest = fitConfig.holdoutValidation() && b.validation.isEmpty();
    KShotSampler.Split<LabeledImage> split =
        new KShotSampler.Split<>(
            toLabeled(normals, drawn.shots(), "normals"),
            readRest ? toLabeled(normals, drawn.rest(), "normals") : List.of());
    Backbone backbone = openBackbone(clipConfig.vision().imageSize(), device());
    MediClipHeads heads = null;
    try {
      heads = MediClipHeads.create(backbone.model, headsConfig, fitConfig.seed());
      FewShotTrainer trainer =
          new FewShotTrainer(
              fitConfig, b.listener != null ? b.listener : FitListener.console());
      ValidationSource source =
          b.legacyTestSet ? ValidationSource.LEGACY_TEST_SET : ValidationSource.USER;
      FitResult r = trainer.train(backbone.model, heads, split, b.validation, source);
      BundleManifest manifest = manifest(backbone, r);
      MediClipDetector d =
          new MediClipDetector(backbone.model, backbone.owned, backbone.folder, heads, manifest);
      return d;
    } catch (RuntimeException | Error e) {
      if (heads != null) {
        heads.close();
      }
      if (backbone.owned) {
        backbone.model.close();
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Loading.

  /**
   * Loads a detector bundle (folder or {@code .zip}) on the default device, with the backbone recorded
   * in its manifest (path relative to the bundle's parent folder, then the absolute path at save time).
   *
   * @param bundle the bundle folder or zip
   * @return the detector
   * @throws MediClipException when the bundle is malformed or the backbone cannot be found
   * @throws BackboneMismatchException when the backbone's weights differ from the ones trained on
   */
  public static MediClipDetector load(Path bundle) {
    return load(bundle, null, null);
  }

  /**
   * Loads a detector bundle with an explicit backbone folder.
   *
   * @param bundle the bundle folder or zip
   * @param backboneFolder the CLIP model folder the detector was trained with ({@code null} = as
   *     recorded in the manifest)
   * @return the detector
   * @throws BackboneMismatchException when the folder's weights differ from the ones trained on
   */
  public static MediClipDetector load(Path bundle, Path backboneFolder) {
    return load(bundle, backboneFolder, null);
  }

  /**
   * Loads a detector bundle with an explicit backbone folder and device.
   *
   * @param bundle the bundle folder or zip
   * @param backboneFolder the CLIP model folder ({@code null} = as recorded in the manifest)
   * @param device the device ({@code null} = a GPU when DJL sees one, else the CPU)
   * @return the detector
   * @throws BackboneMismatchException when the folder's weights differ from the ones trained on
   */
  public static MediClipDetector load(Path bundle, Path backboneFolder, Device device) {
    return DetectorLoader.load(bundle, backboneFolder, device);
  }

  // ---------------------------------------------------------------------------------------------
  // Backbones.

  /** An opened backbone with its provenance. */
  record Backbone(ClipModel model, boolean owned, Path folder, String preset, long randomSeed,
      String sha256) {
    Backbone(ClipModel model, boolean owned, Path folder, String preset, long randomSeed) {
      this(model, owned, folder, preset, randomSeed, sha256Of(model));
    }
  }

  private static String sha256Of(ClipModel model) {
    String s = model.weightsSha256();
    if (s == null || s.isEmpty()) {
      throw new MediClipException("Backbone has no weights hash; cannot record its provenance");
    }
    return s;
  }

  private Backbone openBackbone(int imageSize, Device device) {
    if (b.clipModel != null) {
      return new Backbone(b.clipModel, false, null, null, 0);
    }
    if (b.backboneFolder != null) {
      return new Backbone(loadClip(b.backboneFolder, imageSize, device, b.mixedPrecision), true,
          b.backboneFolder.toAbsolutePath().normalize(), null, 0);
    }
    return randomBackbone(b.randomPreset, b.randomSeed, imageSize, device, b.mixedPrecision);
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
  static Backbone randomBackbone(
      String preset, long seed, int imageSize, Device device, boolean half) {
    ClipConfig cfg = ClipConfig.preset(preset);
    if (imageSize > 0 && imageSize != cfg.vision().imageSize()) {
      cfg = cfg.withImageSize(imageSize);
    }
    ClipModel model;
    PyTorchEngines.get(); // a missing native library fails here, with what to add
    try (NDManager tmp = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      ClipModel.Loader loader =
          ClipModel.loader().optDevice(device).optTokenizer(ClipTokenizer.byteLevel());
      if (half && device.isGpu()) {
        loader.optDataType(DataType.FLOAT16);
      }
      // randomInit's arrays own libtorch memory; the loader copies each one and frees it at once, so
      // that only one copy of the weights is held at a time.
      model = loader.fromWeightsTakingOwnership(cfg, ClipWeights.randomInit(cfg, seed, tmp));
    }
    return new Backbone(model, true, null, preset, seed);
  }

  /**
   * Reads the configuration of a CLIP model folder without building the model ({@link
   * ClipModel#readConfig}): {@code open_clip_config.json}, else {@code config.json}, else inferred
   * from the tensor shapes of OpenAI-named weights (a config-less {@code ViT-L-14.pt} folder).
   *
   * @param folder the model folder
   * @return the configuration
   * @throws IllegalArgumentException naming the folder when it has no usable configuration or weights
   */
  static ClipConfig readConfig(Path folder) {
    try {
      return ClipModel.readConfig(folder);
    } catch (io.github.mediclip.clip.ClipWeightsException e) {
      throw new IllegalArgumentException(
          "backbone: " + e.getMessage() + "; see docs/weights.md for the model folder layout", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Manifest.

  private BundleManifest manifest(Backbone bb, FitResult r) {
    Engine engine = Engine.getEngine("PyTorch");
    BundleManifest.Provenance prov =
        new BundleManifest.Provenance(
            libraryVersion(),
            Engine.getDjlVersion(),
            engine.getEngineName(),
            engine.getVersion(),
            bb.model.device().toString(),
            fitConfig.seed(),
            Instant.now().toString());
    BundleManifest.Backbone ref =
        new BundleManifest.Backbone(
            bb.preset != null ? "random" : "folder",
            null,
            bb.folder != null ? bb.folder.toString() : null,
            bb.preset,
            bb.randomSeed,
            bb.sha256,
            bb.model.config().toOpenClipJson());
    AnomalySynthesizer s = fitConfig.synthesis();
    Map<String, Double> weights =
        s instanceof SynthesisMixture mix ? mix.weights() : Map.of();
    BundleManifest.Training t =
        new BundleManifest.Training(
            r.shotIds().size(),
            r.shotIds(),
            r.trainingFingerprint(),
            weights,
            s.toString(),
            fitConfig.epochs(),
            fitConfig.batchSize(),
            fitConfig.learningRate(),
            fitConfig.patience(),
            fitConfig.thresholdPolicy().kind().name()
                + (Double.isNaN(fitConfig.thresholdPolicy().value())
                    ? ""
                    : ":" + fitConfig.thresholdPolicy().value()),
            r.summary());
    return new BundleManifest(
        BundleManifest.FORMAT,
        BundleManifest.FORMAT_VERSION,
        prov,
        ref,
        io.github.mediclip.bundle.internal.BundleCodec.heads(headsConfig),
        bb.model.config().vision().imageSize(),
        t,
        r.operatingPoint(),
        r.validationMetrics(),
        null);
  }

  /**
   * The library version, read from the Maven metadata in the jar ({@code pom.properties}); {@code
   * "dev"} when running from classes (tests).
   *
   * @return the version string
   */
  public static String libraryVersion() {
    try (InputStream is =
        MediClip.class.getResourceAsStream(
            "/META-INF/maven/io.github.mediclip/mediclip-core/pom.properties")) {
      if (is != null) {
        Properties p = new Properties();
        p.load(is);
        String v = p.getProperty("version");
        if (v != null) {
          return v;
        }
      }
    } catch (IOException ignored) {
      // fall through
    }
    String v = MediClip.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  /**
   * The default device: the first GPU when DJL's PyTorch engine sees one, else the CPU.
   *
   * @return the device
   */
  public static Device defaultDevice() {
    Engine e = PyTorchEngines.get();
    return e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
  }

  // ---------------------------------------------------------------------------------------------
  // Inputs.

  /** Converts (and reads, for files) the elements at the given indices only. */
  static List<LabeledImage> toLabeled(List<?> items, List<Integer> indices, String field) {
    List<LabeledImage> out = new ArrayList<>(indices.size());
    for (int i : indices) {
      Object o = items.get(i);
      if (o == null) {
        throw new NullPointerException(field + "[" + i + "] is null");
      }
      if (o instanceof LabeledImage li) {
        out.add(li);
      } else if (o instanceof GrayImage g) {
        out.add(LabeledImage.normal(field + "[" + i + "]", g));
      } else if (o instanceof BufferedImage bi) {
        out.add(LabeledImage.normal(field + "[" + i + "]", GrayImage.fromBufferedImage(bi)));
      } else if (o instanceof Path p) {
        out.add(LabeledImage.normal(p.getFileName().toString(), GrayImage.read(p)));
      } else if (o instanceof java.io.File f) {
        out.add(LabeledImage.normal(f.getName(), GrayImage.read(f.toPath())));
      } else {
        throw new IllegalArgumentException(
            field + "[" + i + "] has unsupported type " + o.getClass().getName()
                + "; expected Path, File, BufferedImage, GrayImage or LabeledImage");
      }
    }
    return out;
  }

  /** Checks every element's type without reading any file. */
  private static void checkInputs(List<?> items, String field) {
    for (int i = 0; i < items.size(); i++) {
      Object o = items.get(i);
      if (o == null) {
        throw new NullPointerException(field + "[" + i + "] is null");
      }
      if (!(o instanceof LabeledImage || o instanceof GrayImage || o instanceof BufferedImage
          || o instanceof Path || o instanceof java.io.File)) {
        throw new IllegalArgumentException(
            field + "[" + i + "] has unsupported type " + o.getClass().getName()
                + "; expected Path, File, BufferedImage, GrayImage or LabeledImage");
      }
    }
  }

  private static Path asPath(Object o) {
    return o instanceof Path q ? q : o instanceof java.io.File f ? f.toPath() : null;
  }

  /** The pool indices of the shots (drawn, or the files given to optShots(List)) and the rest. */
  private KShotSampler.Split<Integer> drawShots(List<?> pool) {
    if (b.shotFiles == null) {
      if (fitConfig.shots() > pool.size()) {
        throw new IllegalArgumentException(
            "shots (k = " + fitConfig.shots() + ") exceeds the number of normal images given ("
                + pool.size() + ")");
      }
      List<Integer> indices = new ArrayList<>(pool.size());
      for (int i = 0; i < pool.size(); i++) {
        indices.add(i);
      }
      if (pool.stream().allMatch(o -> o instanceof Path || o instanceof java.io.File)) {
        indices = KShotSampler.inPathOrder(indices, i -> asPath(pool.get(i)));
      }
      return KShotSampler.split(indices, fitConfig.shots(), fitConfig.seed());
    }
    Map<Path, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < pool.size(); i++) {
      Path p = asPath(pool.get(i));
      if (p != null) {
        index.putIfAbsent(p.toAbsolutePath().normalize(), i);
      }
    }
    List<Integer> shots = new ArrayList<>();
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (Path shot : b.shotFiles) {
      Integer i = index.get(shot.toAbsolutePath().normalize());
      if (i == null) {
        throw new IllegalArgumentException(
            "shot " + shot + " (from optShots) is not among the " + pool.size()
                + " normal image files given to fit; give the pool the shots were drawn from");
      }
      used.add(i);
      shots.add(i);
    }
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      if (!used.contains(i)) {
        rest.add(i);
      }
    }
    return new KShotSampler.Split<>(shots, rest);
  }

  // ---------------------------------------------------------------------------------------------
  // Builder.

  /**
   * Fluent configuration of {@link MediClip}, in DJL's naming: {@code set*} for required values (one
   * backbone), {@code opt*} for optional ones. Each setter rejects a bad value at once with an {@link
   * IllegalArgumentException} naming the field and value; setting the backbone twice is an {@link
   * IllegalStateException}; {@link #build()} checks cross-field rules (image size vs patch size,
   * layers vs backbone depth) and can be called again.
   */
  public static final class Builder {
    private Path backboneFolder;
    private ClipModel clipModel;
    private String randomPreset;
    private long randomSeed;
    private int imageSize;
    private int[] layers;
    private List<String> normalPrompts = HeadsConfig.REFERENCE_NORMAL_PROMPTS;
    private List<String> abnormalPrompts = HeadsConfig.REFERENCE_ABNORMAL_PROMPTS;
    private int nCtx = HeadsConfig.DEFAULT_N_CTX;
    private boolean fastPromptEncoder;
    private AnomalySynthesizer synthesis = SynthesisMixture.reference();
    private int epochs = FitConfig.DEFAULT_EPOCHS;
    private int batchSize = FitConfig.DEFAULT_BATCH_SIZE;
    private double learningRate = FitConfig.DEFAULT_LEARNING_RATE;
    private int shots;
    private int patience;
    private int workers;
    private Path checkpointDir;
    private Device device;
    private boolean mixedPrecision = true;
    private long seed;
    private FitListener listener;
    private List<LabeledImage> validation = List.of();
    private boolean legacyTestSet;
    private boolean userValidation;
    private ThresholdPolicy thresholdPolicy = ThresholdPolicy.auto();
    private int validationAnomalies = FitConfig.DEFAULT_VALIDATION_ANOMALIES;
    private List<Path> shotFiles;
    private boolean holdoutValidation;

    Builder() {}

    Builder copy() {
      Builder c = new Builder();
      c.backboneFolder = backboneFolder;
      c.clipModel = clipModel;
      c.randomPreset = randomPreset;
      c.randomSeed = randomSeed;
      c.imageSize = imageSize;
      c.layers = layers == null ? null : layers.clone();
      c.normalPrompts = normalPrompts;
      c.abnormalPrompts = abnormalPrompts;
      c.nCtx = nCtx;
      c.fastPromptEncoder = fastPromptEncoder;
      c.synthesis = synthesis;
      c.epochs = epochs;
      c.batchSize = batchSize;
      c.learningRate = learningRate;
      c.shots = shots;
      c.patience = patience;
      c.workers = workers;
      c.checkpointDir = checkpointDir;
      c.device = device;
      c.mixedPrecision = mixedPrecision;
      c.seed = seed;
      c.listener = listener;
      c.validation = validation;
      c.legacyTestSet = legacyTestSet;
      c.userValidation = userValidation;
      c.thresholdPolicy = thresholdPolicy;
      c.validationAnomalies = validationAnomalies;
      c.shotFiles = shotFiles;
      c.holdoutValidation = holdoutValidation;
      return c;
    }

    private void checkNoBackbone() {
      if (backboneFolder != null || clipModel != null || randomPreset != null) {
        throw new IllegalStateException(
            "backbone was already set (" + describeBackbone() + "); set it only once");
      }
    }

    private String describeBackbone() {
      if (backboneFolder != null) {
        return "folder " + backboneFolder;
      }
      if (clipModel != null) {
        return "a ClipModel";
      }
      return "random preset " + randomPreset;
    }

    /**
     * Sets the backbone to a CLIP model folder ({@code open_clip_config.json} or {@code config.json},
     * weights as safetensors or OpenAI {@code .pt}, tokenizer files; see docs/weights.md). Required:
     * exactly one of the {@code setBackbone*} / {@link #setRandomBackbone} methods.
     *
     * @param folder the model folder
     * @return this builder
     * @throws IllegalArgumentException when the folder does not exist
     * @throws IllegalStateException when a backbone was already set
     */
    public Builder setBackbone(Path folder) {
      Objects.requireNonNull(folder, "backbone");
      checkNoBackbone();
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException("backbone folder does not exist: " + folder);
      }
      backboneFolder = folder;
      return this;
    }

    /**
     * Sets an already loaded backbone. The detector uses it without taking ownership (closing the
     * detector does not close it). A bundle saved from such a detector must be loaded with an explicit
     * backbone folder.
     *
     * @param model the backbone
     * @return this builder
     * @throws IllegalStateException when a backbone was already set
     */
    public Builder setBackbone(ClipModel model) {
      Objects.requireNonNull(model, "backbone");
      checkNoBackbone();
      clipModel = model;
      return this;
    }

    /**
     * Uses a RANDOMLY INITIALISED (untrained) CLIP of a preset as backbone, for tests, demos and
     * benchmarks. The bundle records the preset and seed and re-creates the same weights on load.
     *
     * @param preset a {@link ClipConfig#preset} name, e.g. {@code "tiny"} or {@code "ViT-B-16"}
     * @param weightSeed the seed of the random weights
     * @return this builder
     * @throws IllegalArgumentException for an unknown preset (the message lists the known ones)
     * @throws IllegalStateException when a backbone was already set
     */
    public Builder setRandomBackbone(String preset, long weightSeed) {
      Objects.requireNonNull(preset, "preset");
      checkNoBackbone();
      if (!ClipConfig.presetNames().contains(preset)) {
        throw new IllegalArgumentException(
            "preset: unknown CLIP preset '" + preset + "'; known: " + ClipConfig.presetNames());
      }
      randomPreset = preset;
      randomSeed = weightSeed;
      return this;
    }

    /**
     * Sets the model input size S (images are resized to S×S). Default: the backbone's configured
     * size (224 for the ViT presets, 64 for {@code tiny}). Must be a multiple of the patch size; a
     * different size than the checkpoint's interpolates the positional embedding.
     *
     * @param size pixels, 16..4096
     * @return this builder
     */
    public Builder optImageSize(int size) {
      if (size < 16 || size > 4096) {
        throw new IllegalArgumentException("imageSize must be in [16, 4096], got " + size);
      }
      imageSize = size;
      return this;
    }

    /**
     * Sets the 1-based backbone blocks whose residual streams feed the adapters. Default: {@code L/2,
     * 3L/4, L} when the depth L is a multiple of 4 (ViT-B: 6, 9, 12; ViT-L: 12, 18, 24, the paper's),
     * else {@code L/3, 2L/3, L} (tiny: 2, 4, 6).
     *
     * @param layers1Based distinct block numbers &gt;= 1
     * @return this builder
     */
    public Builder optLayers(int... layers1Based) {
      Objects.requireNonNull(layers1Based, "layers");
      if (layers1Based.length == 0) {
        throw new IllegalArgumentException("layers must not be empty");
      }
      for (int l : layers1Based) {
        if (l < 1) {
          throw new IllegalArgumentException(
              "layers must be >= 1 (1-based), got " + Arrays.toString(layers1Based));
        }
      }
      if (Arrays.stream(layers1Based).distinct().count() != layers1Based.length) {
        throw new IllegalArgumentException(
            "layers must be distinct, got " + Arrays.toString(layers1Based));
      }
      layers = layers1Based.clone();
      return this;
    }

    /**
     * Sets the prompt phrases. Default: the reference lists ({@link
     * HeadsConfig#REFERENCE_NORMAL_PROMPTS}, {@link HeadsConfig#REFERENCE_ABNORMAL_PROMPTS}).
     *
     * @param normal phrases for the normal class
     * @param abnormal phrases for the abnormal class
     * @return this builder
     */
    public Builder optPrompts(List<String> normal, List<String> abnormal) {
      checkPrompts("normalPrompts", normal);
      checkPrompts("abnormalPrompts", abnormal);
      normalPrompts = List.copyOf(normal);
      abnormalPrompts = List.copyOf(abnormal);
      return this;
    }

    private static void checkPrompts(String field, List<String> p) {
      Objects.requireNonNull(p, field);
      if (p.isEmpty()) {
        throw new IllegalArgumentException(field + " must not be empty");
      }
      for (int i = 0; i < p.size(); i++) {
        if (p.get(i) == null || p.get(i).isBlank()) {
          throw new IllegalArgumentException(field + "[" + i + "] must not be blank");
        }
      }
    }

    /**
     * Sets the number of learnable context vectors per prompt (CoOp's n_ctx). Default 8.
     *
     * @param n 1..32
     * @return this builder
     */
    public Builder optNCtx(int n) {
      if (n < 1 || n > 32) {
        throw new IllegalArgumentException("nCtx must be in [1, 32], got " + n);
      }
      nCtx = n;
      return this;
    }

    /**
     * Uses the faster prompt encoder (causal mask, prompts cut to the longest one) instead of the
     * reference's (no causal mask, full 77 tokens). Default {@code false} (reference behaviour).
     *
     * @param fast whether to use the fast encoder
     * @return this builder
     */
    public Builder optFastPromptEncoder(boolean fast) {
      fastPromptEncoder = fast;
      return this;
    }

    /**
     * Sets the anomaly synthesizer. Default {@link SynthesisMixture#reference()} (CutPaste,
     * GaussIntensityChange, Source, Identity at 0.25 each).
     *
     * @param synthesizer a mixture or any synthesizer (called through a validating wrapper)
     * @return this builder
     */
    public Builder optSynthesis(AnomalySynthesizer synthesizer) {
      synthesis = Objects.requireNonNull(synthesizer, "synthesis");
      return this;
    }

    /**
     * Sets the maximum number of epochs. Default 200 (the reference's).
     *
     * @param n &gt;= 1
     * @return this builder
     */
    public Builder optEpochs(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, got " + n);
      }
      epochs = n;
      return this;
    }

    /**
     * Sets the batch size. Default 8 (the reference's).
     *
     * @param n 1..1024
     * @return this builder
     */
    public Builder optBatchSize(int n) {
      if (n < 1 || n > 1024) {
        throw new IllegalArgumentException("batchSize must be in [1, 1024], got " + n);
      }
      batchSize = n;
      return this;
    }

    /**
     * Sets the Adam learning rate. Default 1e-3 (the reference's; betas (0.5, 0.999)).
     *
     * @param lr in (0, 1]
     * @return this builder
     */
    public Builder optLearningRate(double lr) {
      if (!(lr > 0 && lr <= 1)) {
        throw new IllegalArgumentException("learningRate must be in (0, 1], got " + lr);
      }
      learningRate = lr;
      return this;
    }

    /**
     * Sets k, the number of normal images to train on, drawn with the seed by {@link KShotSampler}
     * from the images passed to {@link MediClip#fit}. Default 0 = all images. The other images are
     * not read, unless {@link #optHoldoutValidation(boolean)} asks for them.
     *
     * @param k &gt;= 0
     * @return this builder
     * @throws IllegalStateException when the shots were already given as files
     */
    public Builder optShots(int k) {
      if (k < 0) {
        throw new IllegalArgumentException("shots must be >= 0 (0 = all), got " + k);
      }
      if (shotFiles != null) {
        throw new IllegalStateException("shots: the shots were already given as files");
      }
      shots = k;
      return this;
    }

    /**
     * Trains on exactly these image files, in this order, instead of drawing k of them: for
     * repeating a published run from its shot file ({@link ShotFile#read}). Each file must be among
     * the paths passed to {@link MediClip#fit}, which form the pool (compared as absolute,
     * normalised paths). k becomes the number of files. Default: none (shots are drawn).
     *
     * @param files the shot files, distinct, at least one
     * @return this builder
     * @throws IllegalStateException when k was already set with {@link #optShots(int)}
     */
    public Builder optShots(List<Path> files) {
      Objects.requireNonNull(files, "shots");
      if (files.isEmpty()) {
        throw new IllegalArgumentException("shots must not be empty: give at least one file");
      }
      for (int i = 0; i < files.size(); i++) {
        Objects.requireNonNull(files.get(i), "shots[" + i + "]");
      }
      if (files.stream().map(p -> p.toAbsolutePath().normalize()).distinct().count()
          != files.size()) {
        throw new IllegalArgumentException("shots lists a file twice: " + files);
      }
      if (shots != 0) {
        throw new IllegalStateException("shots: k was already set to " + shots);
      }
      shotFiles = List.copyOf(files);
      return this;
    }

    /**
     * Validates (selects the best epoch and calibrates the thresholds) on the pool's normal images
     * that are not shots, with anomalies synthesized on them, instead of on the k shots alone. The
     * run then reads and sees more than k normal images, which is not the k-shot protocol; the
     * manifest records how many ({@code normalsSeen}). Default {@code false}: only the k shots are
     * read and used.
     *
     * @param enabled whether to validate on held-out normal images
     * @return this builder
     */
    public Builder optHoldoutValidation(boolean enabled) {
      holdoutValidation = enabled;
      return this;
    }

    /**
     * Early stop after this many epochs without improvement. Default 0 = off (the reference runs
     * every epoch and keeps the best).
     *
     * @param epochsWithoutImprovement &gt;= 0
     * @return this builder
     */
    public Builder optPatience(int epochsWithoutImprovement) {
      if (epochsWithoutImprovement < 0) {
        throw new IllegalArgumentException(
            "patience must be >= 0 (0 = off), got " + epochsWithoutImprovement);
      }
      patience = epochsWithoutImprovement;
      return this;
    }

    /**
     * Sets the number of synthesis threads. Default 0 = {@code availableProcessors - 1} (at least 1).
     * Results do not depend on it.
     *
     * @param n &gt;= 0
     * @return this builder
     */
    public Builder optWorkers(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("workers must be >= 0 (0 = automatic), got " + n);
      }
      workers = n;
      return this;
    }

    /**
     * Writes the best heads to {@code dir/best-heads.safetensors} (atomically) whenever they improve.
     * Default: no checkpoints.
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder optCheckpointDir(Path dir) {
      checkpointDir = Objects.requireNonNull(dir, "checkpointDir");
      return this;
    }

    /**
     * Sets the device. Default: a GPU when DJL's PyTorch engine sees one, else the CPU.
     *
     * @param d the device
     * @return this builder
     */
    public Builder optDevice(Device d) {
      device = Objects.requireNonNull(d, "device");
      return this;
    }

    /**
     * Runs the frozen backbone in float16 on a GPU (features are returned as float32; the heads and
     * their gradients stay float32). Default {@code true}; has no effect on the CPU, which always runs
     * float32.
     *
     * @param enabled whether to use float16 for the backbone on GPU
     * @return this builder
     */
    public Builder optMixedPrecision(boolean enabled) {
      mixedPrecision = enabled;
      return this;
    }

    /**
     * Sets the seed of everything random (k-shot sampling, head initialisation, synthesis,
     * validation set). Default 0.
     *
     * @param s the seed
     * @return this builder
     */
    public Builder optSeed(long s) {
      seed = s;
      return this;
    }

    /**
     * Sets the training listener. Default: {@link FitListener#console()} (progress on stderr).
     *
     * @param l the listener ({@link FitListener#silent()} for none)
     * @return this builder
     */
    public Builder optListener(FitListener l) {
      listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /**
     * Sets the validation data used to select the best epoch and to choose the operating point.
     * Default: none, in which case a fixed seeded set of synthesized anomalies is used (see {@link
     * FewShotTrainer}). Never pass the test set here; see {@link #optLegacyTestSetSelection}.
     *
     * @param data labelled validation images (masks optional)
     * @return this builder
     * @throws IllegalStateException when legacy test-set selection was already set
     */
    public Builder optValidation(List<LabeledImage> data) {
      Objects.requireNonNull(data, "validation");
      if (legacyTestSet) {
        throw new IllegalStateException("validation: legacy test-set selection was already set");
      }
      validation = List.copyOf(data);
      userValidation = true;
      return this;
    }

    /**
     * LEGACY MODE, off by default: selects the best epoch and the operating point on the given TEST
     * set, as the reference implementation does. This inflates reported metrics; use it only to
     * reproduce published numbers. The manifest records {@code legacy-test-set} as validation source.
     *
     * @param testSet the labelled test images
     * @return this builder
     * @throws IllegalStateException when validation data was already set
     */
    public Builder optLegacyTestSetSelection(List<LabeledImage> testSet) {
      Objects.requireNonNull(testSet, "testSet");
      if (userValidation) {
        throw new IllegalStateException("testSet: validation data was already set");
      }
      validation = List.copyOf(testSet);
      legacyTestSet = true;
      return this;
    }

    /**
     * Sets how the operating point is chosen. Default {@link ThresholdPolicy#auto()}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder optThresholdPolicy(ThresholdPolicy policy) {
      thresholdPolicy = Objects.requireNonNull(policy, "thresholdPolicy");
      return this;
    }

    /**
     * Sets the minimum number of synthesized anomalous validation images used when no validation
     * data is given. Default 16.
     *
     * @param n &gt;= 1
     * @return this builder
     */
    public Builder optValidationAnomalies(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("validationAnomalies must be >= 1, got " + n);
      }
      validationAnomalies = n;
      return this;
    }

    /**
     * Validates the configuration and builds an immutable {@link MediClip}. Reads the backbone's
     * configuration (not its weights) to check cross-field rules.
     *
     * @return the configured entry point
     * @throws IllegalStateException when no backbone was set
     * @throws IllegalArgumentException naming the field when a cross-field rule fails
     */
    public MediClip build() {
      ClipConfig cfg;
      if (clipModel != null) {
        cfg = clipModel.config();
        if (imageSize != 0 && imageSize != cfg.vision().imageSize()) {
          throw new IllegalArgumentException(
              "imageSize " + imageSize + " differs from the given ClipModel's "
                  + cfg.vision().imageSize() + "; load the ClipModel at that size instead");
        }
      } else if (backboneFolder != null) {
        cfg = readConfig(backboneFolder);
      } else if (randomPreset != null) {
        cfg = ClipConfig.preset(randomPreset);
      } else {
        throw new IllegalStateException(
            "backbone is required: call setBackbone(folder), setBackbone(ClipModel) or"
                + " setRandomBackbone(preset, seed)");
      }
      if (imageSize != 0 && imageSize != cfg.vision().imageSize()) {
        if (imageSize % cfg.vision().patchSize() != 0) {
          throw new IllegalArgumentException(
              "imageSize " + imageSize + " must be a multiple of the backbone's patch size "
                  + cfg.vision().patchSize());
        }
        cfg = cfg.withImageSize(imageSize);
      }
      int depth = cfg.vision().layers();
      int[] ls = layers != null ? layers : defaultLayers(depth);
      for (int l : ls) {
        if (l > depth) {
          throw new IllegalArgumentException(
              "layers " + Arrays.toString(ls) + ": block " + l + " exceeds the backbone depth "
                  + depth);
        }
      }
      List<Integer> layerList = Arrays.stream(ls).boxed().toList();
      HeadsConfig hc =
          new HeadsConfig(
              layerList,
              nCtx,
              normalPrompts,
              abnormalPrompts,
              ClassTokenPosition.END,
              true,
              fastPromptEncoder,
              fastPromptEncoder);
      FitConfig tc =
          FitConfig.builder()
              .optEpochs(epochs)
              .optBatchSize(batchSize)
              .optLearningRate(learningRate)
              .optSeed(seed)
              .optPatience(patience)
              .optSynthesis(synthesis)
              .optThresholdPolicy(thresholdPolicy)
              .optWorkers(workers)
              .optCheckpointDir(checkpointDir)
              .optValidationAnomalies(validationAnomalies)
              .optShots(shotFiles != null ? shotFiles.size() : shots)
              .optHoldoutValidation(holdoutValidation)
              .build();
      return new MediClip(this, cfg, hc, tc);
    }

    /**
     * The default adapter layers for a backbone depth.
     *
     * @param depth number of vision blocks L
     * @return {@code L/2, 3L/4, L} when L % 4 == 0, else {@code L/3, 2L/3, L} (deduplicated)
     */
    static int[] defaultLayers(int depth) {
      int[] l =
          depth % 4 == 0
              ? new int[] {depth / 2, 3 * depth / 4, depth}
              : new int[] {Math.max(1, depth / 3), Math.max(1, 2 * depth / 3), depth};
      return Arrays.stream(l).distinct().toArray();
    }
  }
}
