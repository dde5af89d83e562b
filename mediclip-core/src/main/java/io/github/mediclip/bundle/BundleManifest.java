package io.github.mediclip.bundle;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.mediclip.OperatingPoint;
import io.github.mediclip.train.FitSummary;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON manifest of a detector bundle ({@code manifest.json}): what the detector is, what it was
 * trained on and how, and its operating point. Written and read with Gson; unknown fields are
 * ignored on read so that newer writers stay readable.
 *
 * @param format always {@value #FORMAT}
 * @param formatVersion manifest layout version ({@value #FORMAT_VERSION})
 * @param provenance library, DJL and engine versions, device, seed, time
 * @param backbone the CLIP backbone the heads were trained on (with its weights' SHA-256)
 * @param heads configuration of the heads (layers, n_ctx, prompts, ...)
 * @param imageSize model input size S (images are resized to S×S)
 * @param training training settings, data provenance and summary
 * @param operatingPoint thresholds and normalisation statistics
 * @param validationMetrics metrics of the kept heads on the validation data
 * @param integrity content hashes of the heads and of the model-defining manifest fields (version
 *     2; {@code null} in version-1 manifests), checked on load
 */
public record BundleManifest(
    String format,
    int formatVersion,
    Provenance provenance,
    Backbone backbone,
    Heads heads,
    int imageSize,
    Training training,
    OperatingPoint operatingPoint,
    Map<String, Double> validationMetrics,
    Integrity integrity) {

  /** Value of {@link #format()}. */
  public static final String FORMAT = "mediclip-detector";

  /**
   * Current manifest layout version. Version 2 added {@link #integrity()}; version-1 manifests are
   * still read (without the content check).
   */
  public static final int FORMAT_VERSION = 2;

  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  /**
   * Checks required parts.
   *
   * @param format always {@value #FORMAT}
   * @param formatVersion manifest layout version ({@value #FORMAT_VERSION})
   * @param provenance library, DJL and engine versions, device, seed, time
   * @param backbone the CLIP backbone the heads were trained on (with its weights' SHA-256)
   * @param heads configuration of the heads (layers, n_ctx, prompts, ...)
   * @param imageSize model input size S (images are resized to S×S)
   * @param training training settings, data provenance and summary
   * @param operatingPoint thresholds and normalisation statistics
   * @param validationMetrics metrics of the kept heads on the validation data
   * @param integrity content hashes ({@code null} before they are computed, and in version 1)
   */
  public BundleManifest {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(heads, "heads");
    Objects.requireNonNull(operatingPoint, "operatingPoint");
    validationMetrics = validationMetrics == null ? Map.of() : Map.copyOf(validationMetrics);
  }

  /**
   * Returns this manifest with other content hashes (used when a bundle is written).
   *
   * @param value the hashes
   * @return a copy
   */
  public BundleManifest withIntegrity(Integrity value) {
    return new BundleManifest(
        format,
        formatVersion,
        provenance,
        backbone,
        heads,
        imageSize,
        training,
        operatingPoint,
        validationMetrics,
        value);
  }

  /**
   * Content hashes written with the bundle and checked when it is loaded, so that a damaged or
   * edited bundle is refused instead of silently scoring differently.
   *
   * @param headsSha256 hex SHA-256 of the bytes of {@code heads.safetensors}
   * @param configSha256 hex SHA-256 over the heads hash and the fields that define the model:
   *     {@code imageSize}, {@code heads}, and {@code backbone} kind, preset, random seed, sha256
   *     and openClipConfig (not the backbone paths, which change when a bundle is moved, nor the
   *     operating point, provenance or training summary)
   */
  public record Integrity(String headsSha256, String configSha256) {}

  /**
   * Where and with what the bundle was produced.
   *
   * @param libraryVersion MediCLIP for Java version
   * @param djlVersion DJL version
   * @param engine engine name (PyTorch)
   * @param engineVersion engine version (e.g. 2.7.1)
   * @param device device trained on, e.g. {@code cpu()} or {@code gpu(0)}
   * @param seed the training seed
   * @param createdAt ISO-8601 instant of writing
   */
  public record Provenance(
      String libraryVersion,
      String djlVersion,
      String engine,
      String engineVersion,
      String device,
      long seed,
      String createdAt) {}

  /**
   * The backbone reference.
   *
   * @param kind {@code folder} (a model folder on disk) or {@code random} (random weights made from
   *     a preset and seed, for tests and demos)
   * @param path for {@code folder}: the folder relative to the bundle's parent folder (portable
   *     when both move together); {@code null} for {@code random} or when unknown
   * @param absolutePath for {@code folder}: the absolute folder at save time (tried second); may be
   *     {@code null}
   * @param preset for {@code random}: the preset name
   * @param randomSeed for {@code random}: the weight seed
   * @param sha256 hex SHA-256 of the weights (checked at load time)
   * @param openClipConfig the CLIP configuration as open_clip JSON text
   */
  public record Backbone(
      String kind,
      String path,
      String absolutePath,
      String preset,
      long randomSeed,
      String sha256,
      String openClipConfig) {
    /**
     * Checks the kind.
     *
     * @param kind {@code folder} (a model folder on disk) or {@code random} (random weights made
     *     from a preset and seed, for tests and demos)
     * @param path for {@code folder}: the folder relative to the bundle's parent folder (portable
     *     when both move together); {@code null} for {@code random} or when unknown
     * @param absolutePath for {@code folder}: the absolute folder at save time (tried second); may
     *     be {@code null}
     * @param preset for {@code random}: the preset name
     * @param randomSeed for {@code random}: the weight seed
     * @param sha256 hex SHA-256 of the weights (checked at load time)
     * @param openClipConfig the CLIP configuration as open_clip JSON text
     */
    public Backbone {
      if (!"folder".equals(kind) && !"random".equals(kind)) {
        throw new IllegalArgumentException(
            "backbone.kind must be 'folder' or 'random', got " + kind);
      }
      Objects.requireNonNull(sha256, "sha256");
    }
  }

  /**
   * Heads configuration (mirrors {@code io.github.mediclip.model.HeadsConfig}).
   *
   * @param layers 1-based backbone blocks whose residual streams feed the adapters
   * @param nCtx learnable context vectors per prompt
   * @param normalPrompts normal prompt phrases
   * @param abnormalPrompts abnormal prompt phrases
   * @param position class-token position (END, MIDDLE, FRONT)
   * @param classSpecificContext CoOp CSC
   * @param promptCausalMask causal mask in the prompt encoder
   * @param truncatePrompts prompts cut to the longest one
   */
  public record Heads(
      List<Integer> layers,
      int nCtx,
      List<String> normalPrompts,
      List<String> abnormalPrompts,
      String position,
      boolean classSpecificContext,
      boolean promptCausalMask,
      boolean truncatePrompts) {}

  /**
   * Training settings, data and outcome.
   *
   * @param k number of normal training images
   * @param shotIds ids (file names) of the k images, in sampling order
   * @param trainingFingerprint hex SHA-256 over ids and pixels of the k images
   * @param synthesis synthesizer names and weights (empty for a custom, unnamed synthesizer)
   * @param synthesisDescription {@code toString()} of the synthesizer
   * @param epochs maximum epochs
   * @param batchSize batch size
   * @param learningRate Adam learning rate
   * @param patience early-stop patience (0 = off)
   * @param thresholdPolicy threshold policy, e.g. {@code AUTO}
   * @param summary what happened
   * @param intensityPolicy the {@link io.github.mediclip.formats.IntensityPolicy#spec() spec} of
   *     the intensity policy the detector was trained with (e.g. {@code percentile:0.5/99.5}), used
   *     by default when volumes are scored and checked against an explicit policy at inference;
   *     {@code null} when none was set (detectors trained on 8-bit images, and bundles written
   *     before the field existed)
   */
  public record Training(
      int k,
      List<String> shotIds,
      String trainingFingerprint,
      Map<String, Double> synthesis,
      String synthesisDescription,
      int epochs,
      int batchSize,
      double learningRate,
      int patience,
      String thresholdPolicy,
      FitSummary summary,
      String intensityPolicy) {

    /**
     * A training record without an intensity policy (detectors trained on 8-bit images).
     *
     * @param k number of normal training images
     * @param shotIds ids (file names) of the k images, in sampling order
     * @param trainingFingerprint hex SHA-256 over ids and pixels of the k images
     * @param synthesis synthesizer names and weights
     * @param synthesisDescription {@code toString()} of the synthesizer
     * @param epochs maximum epochs
     * @param batchSize batch size
     * @param learningRate Adam learning rate
     * @param patience early-stop patience (0 = off)
     * @param thresholdPolicy threshold policy, e.g. {@code AUTO}
     * @param summary what happened
     */
    public Training(
        int k,
        List<String> shotIds,
        String trainingFingerprint,
        Map<String, Double> synthesis,
        String synthesisDescription,
        int epochs,
        int batchSize,
        double learningRate,
        int patience,
        String thresholdPolicy,
        FitSummary summary) {
      this(
          k,
          shotIds,
          trainingFingerprint,
          synthesis,
          synthesisDescription,
          epochs,
          batchSize,
          learningRate,
          patience,
          thresholdPolicy,
          summary,
          null);
    }
  }

  /**
   * Serialises to pretty JSON.
   *
   * @return the JSON text
   */
  public String toJson() {
    return GSON.toJson(this);
  }

  /**
   * Parses a manifest.
   *
   * @param json the text of {@code manifest.json}
   * @param source file name for error messages
   * @return the manifest
   * @throws io.github.mediclip.MediClipException naming the source and the field when the JSON is
   *     malformed, not a detector manifest, of an unsupported {@code formatVersion} (only integers
   *     1 to {@value #FORMAT_VERSION}), or holds a value out of range (e.g. {@code imageSize}
   *     outside 16 to 4096)
   */
  public static BundleManifest fromJson(String json, String source) {
    return io.github.mediclip.bundle.internal.ManifestParser.parse(json, source);
  }
}
