package io.github.mediclip.synth;

import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code IdentityTask}: the image unchanged with an empty mask, which teaches the model what
 * "normal" looks like (MediCLIP, MICCAI 2024, arXiv 2405.11315). Accepts any image size, including
 * 1×1; rejects non-finite pixels like every built-in task. Consumes no randomness.
 */
public final class IdentityTask implements AnomalySynthesizer {

  /** Registry name. */
  public static final String NAME = "IdentityTask";

  private static final IdentityTask INSTANCE = new IdentityTask();

  private IdentityTask() {}

  /**
   * @return the (shared, stateless) instance
   */
  public static IdentityTask create() {
    return INSTANCE;
  }

  @Override
  public SynthesizedSample synthesize(
      GrayImage normal, SplittableRandom random, List<GrayImage> support) {
    Checks.requireArguments(normal, random, support);
    Checks.requireFinite(normal, "normal");
    return SynthesizedSample.normal(normal);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
