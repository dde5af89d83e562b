package io.github.mediclip.train;

import io.github.mediclip.ThresholdPolicy;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.SynthesisMixture;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of a training run ({@code MediClip.fit}) (formerly {@code TrainingConfig}, renamed so
 * that it does not clash with {@code ai.djl.training.TrainingConfig}). Usually made by {@code
 * MediClip.builder()}; made directly with {@link #builder()}. Every setter validates its value,
 * with the field name in the message. Immutable.
 */
public final class FitConfig {

  /** Reference number of epochs. */
  public static final int DEFAULT_EPOCHS = 200;

  /** Reference batch size. */
  public static final int DEFAULT_BATCH_SIZE = 8;

  /** Reference learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 1e-3;

  /** Default minimum number of synthesized anomalous validation images. */
  public static final int DEFAULT_VALIDATION_ANOMALIES = 16;

  private final int epochs;
  private final int batchSize;
  private final double learningRate;
  private final int shots;
  private final long seed;
  private final int patience;
  private final AnomalySynthesizer synthesis;
  private final ThresholdPolicy thresholdPolicy;
  private final int workers;
  private final Path checkpointDir;
  private final int validationAnomalies;
  private final boolean holdoutValidation;

  private FitConfig(Builder b) {
    epochs = b.epochs;
    batchSize = b.batchSize;
    learningRate = b.learningRate;
    shots = b.shots;
    seed = b.seed;
    patience = b.patience;
    synthesis = b.synthesis;
    thresholdPolicy = b.thresholdPolicy;
    workers = b.workers;
    checkpointDir = b.checkpointDir;
    validationAnomalies = b.validationAnomalies;
    holdoutValidation = b.holdoutValidation;
  }

  /**
   * A builder holding the reference settings (see each setter for its default).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The reference settings: 200 epochs, batch 8, lr 1e-3, all images, seed 0, no early stop,
   * reference synthesis mixture, automatic threshold, automatic workers, no checkpoints, 16
   * validation anomalies, validation on the shots only.
   *
   * @return the defaults
   */
  public static FitConfig defaults() {
    return builder().build();
  }

  /**
   * A builder holding these settings.
   *
   * @return a new builder initialised from this config
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.learningRate = learningRate;
    b.shots = shots;
    b.seed = seed;
    b.patience = patience;
    b.synthesis = synthesis;
    b.thresholdPolicy = thresholdPolicy;
    b.workers = workers;
    b.checkpointDir = checkpointDir;
    b.validationAnomalies = validationAnomalies;
    b.holdoutValidation = holdoutValidation;
    return b;
  }

  /**
   * Maximum number of epochs; each epoch synthesizes one sample per shot.
   *
   * @return epochs (reference: 200)
   */
  public int epochs() {
    return epochs;
  }

  /**
   * Samples per optimizer step.
   *
   * @return the batch size (reference: 8)
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Adam learning rate (betas (0.5, 0.999)).
   *
   * @return the learning rate (reference: 1e-3)
   */
  public double learningRate() {
    return learningRate;
  }

  /**
   * k, the number of normal images to train on, drawn with the seed by {@link KShotSampler}.
   *
   * @return k; 0 = every given image
   */
  public int shots() {
    return shots;
  }

  /**
   * Seed of everything random: k-shot draw, head initialisation, synthesis, validation set.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * Early stop after this many epochs without improvement of the selection metric.
   *
   * @return the patience; 0 = never stop early (the reference runs all epochs and keeps the best)
   */
  public int patience() {
    return patience;
  }

  /**
   * The anomaly synthesizer, called through a validating wrapper.
   *
   * @return the synthesizer (reference: {@link SynthesisMixture#reference()})
   */
  public AnomalySynthesizer synthesis() {
    return synthesis;
  }

  /**
   * How the operating point is chosen on the validation data.
   *
   * @return the policy
   */
  public ThresholdPolicy thresholdPolicy() {
    return thresholdPolicy;
  }

  /**
   * Threads that synthesize the next batches while the model computes. Results do not depend on it.
   *
   * @return the number; 0 = automatic ({@code availableProcessors - 1}, at least 1)
   */
  public int workers() {
    return workers;
  }

  /**
   * Folder where the best heads are written (atomically) each time they improve.
   *
   * @return the folder, or {@code null} for no checkpoints
   */
  public Path checkpointDir() {
    return checkpointDir;
  }

  /**
   * Minimum number of synthesized anomalous validation images when no validation data is given.
   *
   * @return the number (default 16)
   */
  public int validationAnomalies() {
    return validationAnomalies;
  }

  /**
   * Whether the normal images of the pool that are not shots are used for validation (model
   * selection and threshold calibration). Off by default: the k-shot protocol validates on
   * anomalies synthesized on the k shots, and the run sees only k normal images.
   *
   * @return {@code true} when held-out normals are used for validation
   */
  public boolean holdoutValidation() {
    return holdoutValidation;
  }

  /**
   * The number of synthesis threads actually used.
   *
   * @return {@code workers}, or {@code max(1, availableProcessors - 1)} when 0
   */
  public int effectiveWorkers() {
    return workers > 0 ? workers : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  }

  @Override
  public String toString() {
    return "FitConfig[epochs="
        + epochs
        + ", batchSize="
        + batchSize
        + ", learningRate="
        + learningRate
        + ", shots="
        + shots
        + ", seed="
        + seed
        + ", patience="
        + patience
        + ", synthesis="
        + synthesis
        + ", thresholdPolicy="
        + thresholdPolicy
        + ", workers="
        + workers
        + ", checkpointDir="
        + checkpointDir
        + ", validationAnomalies="
        + validationAnomalies
        + ", holdoutValidation="
        + holdoutValidation
        + "]";
  }

  /**
   * Builder of {@link FitConfig}; each setter rejects a bad value at once, naming the field. The
   * one home of these rules and defaults: {@code MediClip.Builder} delegates its training options
   * here.
   */
  public static final class Builder {
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private int shots;
    private long seed;
    private int patience;
    private AnomalySynthesizer synthesis = SynthesisMixture.reference();
    private ThresholdPolicy thresholdPolicy = ThresholdPolicy.auto();
    private int workers;
    private Path checkpointDir;
    private int validationAnomalies = DEFAULT_VALIDATION_ANOMALIES;
    private boolean holdoutValidation;

    private Builder() {}

    /**
     * Sets the maximum number of epochs. Default 200 (the reference's).
     *
     * @param n &gt;= 1
     * @return this builder
     */
    public Builder optEpochs(int n) {
      epochs = positive("epochs", n);
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
     * Sets k. Default 0 = every given image.
     *
     * @param k &gt;= 0
     * @return this builder
     */
    public Builder optShots(int k) {
      if (k < 0) {
        throw new IllegalArgumentException("shots must be >= 0 (0 = all), got " + k);
      }
      shots = k;
      return this;
    }

    /**
     * Sets the seed. Default 0.
     *
     * @param s the seed
     * @return this builder
     */
    public Builder optSeed(long s) {
      seed = s;
      return this;
    }

    /**
     * Sets the early-stop patience. Default 0 = off.
     *
     * @param n &gt;= 0
     * @return this builder
     */
    public Builder optPatience(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("patience must be >= 0 (0 = off), got " + n);
      }
      patience = n;
      return this;
    }

    /**
     * Sets the synthesizer. Default {@link SynthesisMixture#reference()}.
     *
     * @param s the synthesizer
     * @return this builder
     */
    public Builder optSynthesis(AnomalySynthesizer s) {
      synthesis = Objects.requireNonNull(s, "synthesis");
      return this;
    }

    /**
     * Sets the threshold policy. Default {@link ThresholdPolicy#auto()}.
     *
     * @param p the policy
     * @return this builder
     */
    public Builder optThresholdPolicy(ThresholdPolicy p) {
      thresholdPolicy = Objects.requireNonNull(p, "thresholdPolicy");
      return this;
    }

    /**
     * Sets the number of synthesis threads. Default 0 = automatic.
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
     * Sets the checkpoint folder. Default {@code null} = no checkpoints.
     *
     * @param dir the folder, or {@code null}
     * @return this builder
     */
    public Builder optCheckpointDir(Path dir) {
      checkpointDir = dir;
      return this;
    }

    /**
     * Sets the minimum number of synthesized anomalous validation images. Default 16.
     *
     * @param n &gt;= 1
     * @return this builder
     */
    public Builder optValidationAnomalies(int n) {
      validationAnomalies = positive("validationAnomalies", n);
      return this;
    }

    /**
     * Validates on the pool's normal images that are not shots (see {@link
     * FitConfig#holdoutValidation()}). Default {@code false}: the k-shot protocol.
     *
     * @param enabled whether to use held-out normals for validation
     * @return this builder
     */
    public Builder optHoldoutValidation(boolean enabled) {
      holdoutValidation = enabled;
      return this;
    }

    /**
     * Builds the immutable config; can be called again.
     *
     * @return the config
     */
    public FitConfig build() {
      return new FitConfig(this);
    }

    private static int positive(String field, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(field + " must be >= 1, got " + value);
      }
      return value;
    }
  }
}
