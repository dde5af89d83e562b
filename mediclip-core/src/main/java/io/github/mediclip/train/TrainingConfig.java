package io.github.mediclip.train;

import io.github.mediclip.internal.train.FewShotTrainer;
import io.github.mediclip.ThresholdPolicy;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.SynthesisMixture;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of a {@link FewShotTrainer} run. Usually built by {@code MediClip.builder()}; every field is
 * validated here too, with the field name in the message.
 *
 * @param epochs maximum number of epochs (reference: 200); each epoch synthesizes one sample per shot
 * @param batchSize samples per optimizer step (reference: 8)
 * @param learningRate Adam learning rate (reference: 1e-3, betas (0.5, 0.999))
 * @param shots k, the number of normal images to train on, sampled with the seed from the images given;
 *     0 = use every given image
 * @param seed seed of everything random: k-shot sampling, head initialisation, synthesis, validation set
 * @param patience early stop after this many epochs without improvement of the selection metric; 0 =
 *     never stop early (the reference runs all epochs and keeps the best)
 * @param synthesis the anomaly synthesizer (reference: {@link SynthesisMixture#reference()}); called
 *     through a validating wrapper
 * @param thresholdPolicy how the operating point is chosen on the validation data
 * @param workers threads that synthesize the next batches while the model computes; 0 = automatic
 *     ({@code availableProcessors - 1}, at least 1). Results do not depend on this number.
 * @param checkpointDir folder where the best heads are written (atomically) each time they improve, so
 *     that an interrupted run leaves its last good state on disk; {@code null} = no checkpoints
 * @param validationAnomalies minimum number of synthesized anomalous validation images when no
 *     validation data is given (default 16)
 */
public record TrainingConfig(
    int epochs,
    int batchSize,
    double learningRate,
    int shots,
    long seed,
    int patience,
    AnomalySynthesizer synthesis,
    ThresholdPolicy thresholdPolicy,
    int workers,
    Path checkpointDir,
    int validationAnomalies) {

  /** Reference number of epochs. */
  public static final int DEFAULT_EPOCHS = 200;
  /** Reference batch size. */
  public static final int DEFAULT_BATCH_SIZE = 8;
  /** Reference learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  /** Default minimum number of synthesized anomalous validation images. */
  public static final int DEFAULT_VALIDATION_ANOMALIES = 16;

  /**
   * Validates every field.
   *
   * @param epochs maximum number of epochs (reference: 200); each epoch synthesizes one sample per shot
   * @param batchSize samples per optimizer step (reference: 8)
   * @param learningRate Adam learning rate (reference: 1e-3, betas (0.5, 0.999))
   * @param shots k, the number of normal images to train on, sampled with the seed from the images given;
   *     0 = use every given image
   * @param seed seed of everything random: k-shot sampling, head initialisation, synthesis, validation set
   * @param patience early stop after this many epochs without improvement of the selection metric; 0 =
   *     never stop early (the reference runs all epochs and keeps the best)
   * @param synthesis the anomaly synthesizer (reference: {@link SynthesisMixture#reference()}); called
   *     through a validating wrapper
   * @param thresholdPolicy how the operating point is chosen on the validation data
   * @param workers threads that synthesize the next batches while the model computes; 0 = automatic
   *     ({@code availableProcessors - 1}, at least 1). Results do not depend on this number.
   * @param checkpointDir folder where the best heads are written (atomically) each time they improve, so
   *     that an interrupted run leaves its last good state on disk; {@code null} = no checkpoints
   * @param validationAnomalies minimum number of synthesized anomalous validation images when no
   *     validation data is given (default 16)
   * @throws IllegalArgumentException naming the field and value
   */
  public TrainingConfig {
    positive("epochs", epochs);
    positive("batchSize", batchSize);
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be > 0 and finite, got " + learningRate);
    }
    if (shots < 0) {
      throw new IllegalArgumentException("shots must be >= 0 (0 = all images), got " + shots);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0 (0 = off), got " + patience);
    }
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0 (0 = automatic), got " + workers);
    }
    positive("validationAnomalies", validationAnomalies);
    Objects.requireNonNull(synthesis, "synthesis");
    Objects.requireNonNull(thresholdPolicy, "thresholdPolicy");
  }

  private static void positive(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " must be >= 1, got " + value);
    }
  }

  /**
   * The reference settings: 200 epochs, batch 8, lr 1e-3, all images, seed 0, no early stop, reference
   * synthesis mixture, automatic threshold, automatic workers, no checkpoints, 16 validation anomalies.
   *
   * @return the defaults
   */
  public static TrainingConfig defaults() {
    return new TrainingConfig(
        DEFAULT_EPOCHS,
        DEFAULT_BATCH_SIZE,
        DEFAULT_LEARNING_RATE,
        0,
        0L,
        0,
        SynthesisMixture.reference(),
        ThresholdPolicy.auto(),
        0,
        null,
        DEFAULT_VALIDATION_ANOMALIES);
  }

  /**
   * The number of synthesis threads actually used.
   *
   * @return {@code workers}, or {@code max(1, availableProcessors - 1)} when 0
   */
  public int effectiveWorkers() {
    return workers > 0 ? workers : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  }

  /**
   * Copy with another epoch count.
   *
   * @param n epochs
   * @return the copy
   */
  public TrainingConfig withEpochs(int n) {
    return new TrainingConfig(n, batchSize, learningRate, shots, seed, patience, synthesis,
        thresholdPolicy, workers, checkpointDir, validationAnomalies);
  }

  /**
   * Copy with another seed.
   *
   * @param s seed
   * @return the copy
   */
  public TrainingConfig withSeed(long s) {
    return new TrainingConfig(epochs, batchSize, learningRate, shots, s, patience, synthesis,
        thresholdPolicy, workers, checkpointDir, validationAnomalies);
  }
}
