package io.github.mediclip;

import ai.djl.Device;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.internal.LibraryVersion;
import io.github.mediclip.internal.PyTorchEngines;
import io.github.mediclip.internal.model.HeadsRules;
import io.github.mediclip.internal.train.FewShotTrainer;
import io.github.mediclip.model.ClassTokenPosition;
import io.github.mediclip.model.HeadsConfig;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesisMixture;
import io.github.mediclip.train.FitConfig;
import io.github.mediclip.train.FitListener;
import io.github.mediclip.train.LabeledImage;
import io.github.mediclip.train.ValidationSource;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

// Why this class is long (~790 lines, half javadoc): it holds only the immutable spec and its
// Builder, and each of the Builder's ~25 options documents its range and default here, the
// reference users read. The rules and defaults of the training options live in FitConfig.Builder
// (the Builder delegates to it), fit orchestration in DetectorFitting, backbone configuration in
// Backbones, bundle loading in DetectorLoader/BundleLoading, heads defaults in HeadsRules.
/**
 * The entry point of MediCLIP for Java: configure with {@link #builder()}, train with {@link #fit},
 * or load a saved detector with {@link #load(Path)}.
 *
 * <p>MediCLIP (Zhang et al., "MediCLIP: Adapting CLIP for Few-shot Medical Image Anomaly
 * Detection", MICCAI 2024, arXiv 2405.11315) keeps CLIP frozen and trains small heads (per-layer
 * adapters and a CoOp prompt learner) on anomalies synthesized from k normal images.
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

  private final BackboneSource backbone;
  private final ClipConfig clipConfig;
  private final HeadsConfig headsConfig;
  private final FitConfig fitConfig;
  private final List<Path> shotFiles;
  private final Device device;
  private final boolean mixedPrecision;
  private final FitListener listener;
  private final List<LabeledImage> validation;
  private final boolean legacyTestSet;
  private final io.github.mediclip.formats.IntensityPolicy intensityPolicy;

  private MediClip(
      Builder b, ClipConfig clipConfig, HeadsConfig headsConfig, FitConfig trainingConfig) {
    this.backbone = b.backbone;
    this.clipConfig = clipConfig;
    this.headsConfig = headsConfig;
    this.fitConfig = trainingConfig;
    this.shotFiles = b.shotFiles;
    this.device = b.device;
    this.mixedPrecision = b.mixedPrecision;
    this.listener = b.listener;
    this.validation = b.validation;
    this.legacyTestSet = b.legacyTestSet;
    this.intensityPolicy = b.intensityPolicy;
  }

  /**
   * Returns the intensity policy recorded in the bundle ({@link Builder#optIntensityPolicy}).
   *
   * @return the policy, or {@code null} when none is set
   */
  public io.github.mediclip.formats.IntensityPolicy intensityPolicy() {
    return intensityPolicy;
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
   * Returns the shot files given with {@link Builder#optShots(List)}.
   *
   * @return the files, or {@code null} when the k shots are drawn with the seed
   */
  public List<Path> shotFiles() {
    return shotFiles;
  }

  /**
   * Returns the device training and inference run on.
   *
   * @return the configured device, else a GPU when DJL sees one, else the CPU
   */
  public Device device() {
    return device != null ? device : PyTorchEngines.defaultDevice();
  }

  /**
   * Returns where the backbone comes from.
   *
   * @return the folder, loaded model or random preset set on the builder
   */
  public BackboneSource backbone() {
    return backbone;
  }

  /**
   * Returns whether the backbone runs in float16 on a GPU.
   *
   * @return the mixed-precision setting (default {@code true}; no effect on the CPU)
   */
  public boolean mixedPrecision() {
    return mixedPrecision;
  }

  /**
   * Returns the validation images given with {@link Builder#optValidation} or {@link
   * Builder#optLegacyTestSetSelection}.
   *
   * @return the images (empty: synthesized validation anomalies are used)
   */
  public List<LabeledImage> validation() {
    return validation;
  }

  /** The listener that receives training progress (the console one unless set). */
  FitListener listener() {
    return listener != null ? listener : FitListener.console();
  }

  /** The validation source recorded for user-given validation data. */
  ValidationSource validationSource() {
    return legacyTestSet ? ValidationSource.LEGACY_TEST_SET : ValidationSource.USER;
  }

  /**
   * Returns a loader for detector bundles, in DJL's {@code Criteria} style: optional settings with
   * {@code opt*}, then {@link DetectorLoader#load(Path)}.
   *
   * <pre>{@code
   * MediClipDetector d = MediClip.loader().optBackbone(Path.of("models/ViT-L-14"))
   *     .optDevice(Device.cpu()).load(Path.of("brain-detector.zip"));
   * }</pre>
   *
   * @return a new loader with every default as documented on its methods
   */
  public static DetectorLoader loader() {
    return new DetectorLoader();
  }

  /**
   * Trains a detector on normal image files.
   *
   * @param normalImages the normal image files (any size); k of them are used ({@link
   *     Builder#optShots})
   * @return the trained detector (close it when done)
   * @throws IllegalArgumentException when the collection is empty or names a folder
   * @throws java.io.UncheckedIOException naming the file when an image cannot be read
   */
  public MediClipDetector fit(Collection<Path> normalImages) {
    return DetectorFitting.fit(this, TrainingInputs.files(normalImages, "normals"));
  }

  /**
   * Trains a detector on labelled in-memory images (normal ones, or with {@link
   * LabeledImage#anomalous()} set when known; masks optional).
   *
   * @param images the images; k of them are used ({@link Builder#optShots})
   * @return the trained detector (close it when done)
   * @throws IllegalArgumentException when the list is empty
   */
  public MediClipDetector fit(List<LabeledImage> images) {
    return DetectorFitting.fit(this, TrainingInputs.inMemory(images, "normals"));
  }

  /**
   * Trains a detector on normal in-memory images (converted to grayscale luminance).
   *
   * @param normalImages the normal images, any size and type; k of them are used ({@link
   *     Builder#optShots})
   * @return the trained detector (close it when done)
   * @throws IllegalArgumentException when the list is empty
   */
  public MediClipDetector fitImages(List<? extends BufferedImage> normalImages) {
    return DetectorFitting.fit(this, TrainingInputs.inMemory(normalImages, "normals"));
  }

  /**
   * Trains a detector on normal grayscale rasters (as {@link MediClipDetector#predictGray} takes).
   *
   * @param normalImages the normal images, any size; k of them are used ({@link Builder#optShots})
   * @return the trained detector (close it when done)
   * @throws IllegalArgumentException when the list is empty
   */
  public MediClipDetector fitGray(List<GrayImage> normalImages) {
    return DetectorFitting.fit(this, TrainingInputs.inMemory(normalImages, "normals"));
  }

  /**
   * Loads a detector bundle (folder or {@code .zip}) on the default device, with the backbone
   * recorded in its manifest (path relative to the bundle's parent folder, then the absolute path
   * at save time). Short for {@code loader().load(bundle)}.
   *
   * @param bundle the bundle folder or zip
   * @return the detector
   * @throws MediClipException when the bundle is malformed or the backbone cannot be found
   * @throws BackboneMismatchException when the backbone's weights differ from the ones trained on
   */
  public static MediClipDetector load(Path bundle) {
    return loader().load(bundle);
  }

  /**
   * The library version, read from the Maven metadata in the jar ({@code pom.properties}); {@code
   * "dev"} when running from classes (tests). Recorded in every bundle's provenance.
   *
   * @return the version string
   */
  public static String libraryVersion() {
    return LibraryVersion.get();
  }

  /**
   * The default device: the first GPU when DJL's PyTorch engine sees one, else the CPU.
   *
   * @return the device
   */
  public static Device defaultDevice() {
    return PyTorchEngines.defaultDevice();
  }

  // ---------------------------------------------------------------------------------------------
  // Builder.

  /**
   * Fluent configuration of {@link MediClip}, in DJL's naming: {@code set*} for required values
   * (one backbone), {@code opt*} for optional ones. Each setter rejects a bad value at once with an
   * {@link IllegalArgumentException} naming the field and value; setting the backbone twice is an
   * {@link IllegalStateException}; {@link #build()} checks cross-field rules (image size vs patch
   * size, layers vs backbone depth) and can be called again.
   */
  public static final class Builder {
    private BackboneSource backbone;
    private int imageSize;
    private int[] layers;
    private List<String> normalPrompts = HeadsConfig.REFERENCE_NORMAL_PROMPTS;
    private List<String> abnormalPrompts = HeadsConfig.REFERENCE_ABNORMAL_PROMPTS;
    private int nCtx = HeadsConfig.DEFAULT_N_CTX;
    private boolean fastPromptEncoder;
    // The training options, their validation and their defaults live in FitConfig.Builder; the
    // opt* methods below delegate to it (only the shot files are MediClip's own).
    private final FitConfig.Builder fit = FitConfig.builder();
    private List<Path> shotFiles;
    private Device device;
    private boolean mixedPrecision = true;
    private FitListener listener;
    private List<LabeledImage> validation = List.of();
    private boolean legacyTestSet;
    private boolean userValidation;
    private io.github.mediclip.formats.IntensityPolicy intensityPolicy;

    Builder() {}

    private void checkNoBackbone() {
      if (backbone != null) {
        throw new IllegalStateException(
            "backbone was already set (" + describeBackbone() + "); set it only once");
      }
    }

    private String describeBackbone() {
      if (backbone instanceof BackboneSource.Folder f) {
        return "folder " + f.folder();
      }
      if (backbone instanceof BackboneSource.Random r) {
        return "random preset " + r.preset();
      }
      return "a ClipModel";
    }

    /**
     * Sets the backbone. Required: exactly one call of a {@code setBackbone*} / {@link
     * #setRandomBackbone} method.
     *
     * @param source a {@link BackboneSource.Folder}, {@link BackboneSource.Loaded} or {@link
     *     BackboneSource.Random}
     * @return this builder
     * @throws IllegalStateException when a backbone was already set
     */
    public Builder setBackbone(BackboneSource source) {
      Objects.requireNonNull(source, "backbone");
      checkNoBackbone();
      backbone = source;
      return this;
    }

    /**
     * Sets the backbone to a CLIP model folder ({@code open_clip_config.json} or {@code
     * config.json}, weights as safetensors or OpenAI {@code .pt}, tokenizer files; see
     * docs/weights.md). Required: exactly one of the {@code setBackbone*} / {@link
     * #setRandomBackbone} methods.
     *
     * @param folder the model folder
     * @return this builder
     * @throws IllegalArgumentException when the folder does not exist
     * @throws IllegalStateException when a backbone was already set
     */
    public Builder setBackbone(Path folder) {
      Objects.requireNonNull(folder, "backbone");
      checkNoBackbone();
      return setBackbone(new BackboneSource.Folder(folder));
    }

    /**
     * Sets an already loaded backbone. The detector uses it without taking ownership (closing the
     * detector does not close it). A bundle saved from such a detector must be loaded with an
     * explicit backbone folder.
     *
     * @param model the backbone
     * @return this builder
     * @throws IllegalStateException when a backbone was already set
     */
    public Builder setBackbone(ClipModel model) {
      return setBackbone(new BackboneSource.Loaded(model));
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
      return setBackbone(new BackboneSource.Random(preset, weightSeed));
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
     * Sets the 1-based backbone blocks whose residual streams feed the adapters. Default: {@code
     * L/2, 3L/4, L} when the depth L is a multiple of 4 (ViT-B: 6, 9, 12; ViT-L: 12, 18, 24, the
     * paper's), else {@code L/3, 2L/3, L} (tiny: 2, 4, 6).
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
      HeadsRules.checkPrompts("normalPrompts", normal);
      HeadsRules.checkPrompts("abnormalPrompts", abnormal);
      normalPrompts = List.copyOf(normal);
      abnormalPrompts = List.copyOf(abnormal);
      return this;
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
      fit.optSynthesis(synthesizer);
      return this;
    }

    /**
     * Sets the maximum number of epochs. Default 200 (the reference's).
     *
     * @param n &gt;= 1
     * @return this builder
     */
    public Builder optEpochs(int n) {
      fit.optEpochs(n);
      return this;
    }

    /**
     * Sets the batch size. Default 8 (the reference's).
     *
     * @param n 1..1024
     * @return this builder
     */
    public Builder optBatchSize(int n) {
      fit.optBatchSize(n);
      return this;
    }

    /**
     * Sets the Adam learning rate. Default 1e-3 (the reference's; betas (0.5, 0.999)).
     *
     * @param lr in (0, 1]
     * @return this builder
     */
    public Builder optLearningRate(double lr) {
      fit.optLearningRate(lr);
      return this;
    }

    /**
     * Sets k, the number of normal images to train on, drawn with the seed by {@link
     * io.github.mediclip.train.KShotSampler} from the images passed to {@link MediClip#fit}.
     * Default 0 = all images. The other images are not read, unless {@link
     * #optHoldoutValidation(boolean)} asks for them.
     *
     * @param k &gt;= 0
     * @return this builder
     * @throws IllegalStateException when the shots were already given as files
     */
    public Builder optShots(int k) {
      if (shotFiles != null) {
        throw new IllegalStateException("shots: the shots were already given as files");
      }
      fit.optShots(k);
      return this;
    }

    /**
     * Trains on exactly these image files, in this order, instead of drawing k of them: for
     * repeating a published run from its shot file ({@link
     * io.github.mediclip.train.ShotFile#read}). Each file must be among the paths passed to {@link
     * MediClip#fit}, which form the pool (compared as absolute, normalised paths). k becomes the
     * number of files. Default: none (shots are drawn).
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
      int k = fit.build().shots();
      if (k != 0) {
        throw new IllegalStateException("shots: k was already set to " + k);
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
      fit.optHoldoutValidation(enabled);
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
      fit.optPatience(epochsWithoutImprovement);
      return this;
    }

    /**
     * Sets the number of synthesis threads. Default 0 = {@code availableProcessors - 1} (at least
     * 1). Results do not depend on it.
     *
     * @param n &gt;= 0
     * @return this builder
     */
    public Builder optWorkers(int n) {
      fit.optWorkers(n);
      return this;
    }

    /**
     * Writes the best heads to {@code dir/best-heads.safetensors} (atomically) whenever they
     * improve. Default: no checkpoints.
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder optCheckpointDir(Path dir) {
      fit.optCheckpointDir(Objects.requireNonNull(dir, "checkpointDir"));
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
     * their gradients stay float32). Default {@code true}; has no effect on the CPU, which always
     * runs float32.
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
      fit.optSeed(s);
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
     * reproduce published numbers. The manifest records {@code legacy-test-set} as validation
     * source.
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
      fit.optThresholdPolicy(policy);
      return this;
    }

    /**
     * Records the intensity policy that mapped the training volumes' modality values to the 0..255
     * images given to {@link MediClip#fitGray} (e.g. {@code IntensityPolicy.percentile(0.5,
     * 99.5)}). It is written to the bundle manifest ({@code training.intensityPolicy}); {@link
     * MediClipDetector#predictVolume(Path)} then uses it instead of the modality default, and an
     * explicit different policy at inference is an error. Not set by default (8-bit image
     * training).
     *
     * @param policy the policy, or {@code null} for none
     * @return this builder
     */
    public Builder optIntensityPolicy(io.github.mediclip.formats.IntensityPolicy policy) {
      intensityPolicy = policy;
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
      fit.optValidationAnomalies(n);
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
      ClipConfig cfg = Backbones.config(backbone, imageSize);
      int depth = cfg.vision().layers();
      int[] ls = layers != null ? layers : HeadsRules.defaultLayers(depth);
      for (int l : ls) {
        if (l > depth) {
          throw new IllegalArgumentException(
              "layers "
                  + Arrays.toString(ls)
                  + ": block "
                  + l
                  + " exceeds the backbone depth "
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
          shotFiles == null
              ? fit.build()
              : fit.build().toBuilder().optShots(shotFiles.size()).build();
      return new MediClip(this, cfg, hc, tc);
    }
  }
}
