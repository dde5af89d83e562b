package io.github.mediclip.synth;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Creates a synthetic anomaly in a normal image: the extension point of MediCLIP's training
 * (MediCLIP, MICCAI 2024, arXiv 2405.11315, anomaly synthesis after Baugh et al.'s "many tasks").
 *
 * <p>Contract for implementations (checked by {@code SynthesizerContract} in the test kit and at
 * run time by {@link ValidatingSynthesizer}):
 *
 * <ul>
 *   <li>immutable and thread-safe; all randomness comes from {@code random}, so the same seed gives
 *       the same output bit for bit, whichever thread runs it;
 *   <li>{@code normal} and {@code support} are not modified (they are immutable anyway);
 *   <li>the result's image and mask have the size of {@code normal}; the mask holds values in [0,
 *       1], the image finite values (0..255 scale).
 * </ul>
 */
@FunctionalInterface
public interface AnomalySynthesizer {

  /**
   * Synthesizes one sample.
   *
   * @param normal the normal image, (H, W) on the 0..255 scale
   * @param random the random source for this sample only (split one per sample)
   * @param support the other normal images of the k-shot set (may be empty for tasks that need
   *     none; CutPaste needs at least one)
   * @return the augmented image and its label mask, both (H, W)
   */
  SynthesizedSample synthesize(GrayImage normal, SplittableRandom random, List<GrayImage> support);
}
