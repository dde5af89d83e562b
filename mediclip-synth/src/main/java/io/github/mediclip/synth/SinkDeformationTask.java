package io.github.mediclip.synth;

/**
 * {@code SinkTask}: pulls content towards a centre inside a deformed hypershape, new radius r' = R
 * − (R − r)^f / R^(f−1) with f = 2^U(0.5, 2) (reference {@code SinkDeformationTask} of MediCLIP's
 * {@code medsyn}); see {@link RadialDeformationTask} for the common parts. Immutable and
 * thread-safe.
 */
public final class SinkDeformationTask extends RadialDeformationTask {

  /** Registry name. */
  public static final String NAME = "SinkTask";

  private static final SinkDeformationTask INSTANCE = new SinkDeformationTask();

  private SinkDeformationTask() {
    super(NAME, true);
  }

  /**
   * @return the (shared, immutable) task
   */
  public static SinkDeformationTask create() {
    return INSTANCE;
  }
}
