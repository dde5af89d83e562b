package io.github.mediclip.train;

import io.github.mediclip.internal.train.ConsoleProgressListener;
import java.util.Map;

/**
 * Receives progress events from a training run ({@code MediClip.fit}; formerly {@code
 * TrainingListener}, renamed so that it does not clash with {@code
 * ai.djl.training.listener.TrainingListener}). All methods have empty defaults; implement the ones
 * you need. Events arrive on the training thread, in order. A listener can stop training early by
 * returning {@code false} from {@link #onStep} or {@link #onEpochEnd}: training then ends with the
 * best state seen so far (exactly like an early stop or a {@link Thread#interrupt()}).
 *
 * <p>Epochs and steps are 1-based.
 */
public interface FitListener {

  /**
   * Called once before the first epoch.
   *
   * @param epochs the maximum number of epochs
   * @param stepsPerEpoch optimizer steps per epoch ({@code ceil(k / batchSize)})
   */
  default void onTrainingStart(int epochs, int stepsPerEpoch) {}

  /**
   * Called at the start of every epoch.
   *
   * @param epoch 1-based epoch number
   */
  default void onEpochStart(int epoch) {}

  /**
   * Called after every optimizer step.
   *
   * @param epoch 1-based epoch number
   * @param step 1-based step number within the epoch
   * @param loss the step's loss (focal + dice)
   * @return {@code true} to continue, {@code false} to stop training (the best state is kept)
   */
  default boolean onStep(int epoch, int step, double loss) {
    return true;
  }

  /**
   * Called after every epoch and its validation.
   *
   * @param epoch 1-based epoch number
   * @param trainLoss mean training loss of the epoch
   * @param metrics validation metrics of the epoch: {@code image_auroc}, {@code pixel_auroc} (when
   *     masks exist), {@code selection} (the metric used to select the best epoch), {@code best}
   *     (best selection metric so far)
   * @return {@code true} to continue, {@code false} to stop training (the best state is kept)
   */
  default boolean onEpochEnd(int epoch, double trainLoss, Map<String, Double> metrics) {
    return true;
  }

  /**
   * Called once when training ends (normally, by early stop, by a listener or by interruption).
   *
   * @param summary what happened
   */
  default void onTrainingEnd(FitSummary summary) {}

  /**
   * A listener that ignores every event.
   *
   * @return a no-op listener
   */
  static FitListener silent() {
    return new FitListener() {};
  }

  /**
   * The default listener: a progress bar on standard error (a redrawn bar on a terminal, one plain
   * line per epoch otherwise).
   *
   * @return a new console listener
   */
  static FitListener console() {
    return new ConsoleProgressListener(System.err, System.console() != null);
  }
}
