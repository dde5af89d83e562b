package io.github.mediclip.synth;

/**
 * {@code SinkTask}: pulls content towards a centre inside a deformed hypershape, new radius
 * r' = R − (R − r)^f / R^(f−1) with f = 2^U(0.5, 2) (reference {@code SinkDeformationTask} of MediCLIP's
 * {@code medsyn}); see {@link RadialDeformationTask} for the common parts. Immutable and thread-safe.
 */
public final class SinkDeformationTask extends RadialDeformationTask {

  /** Registry name. */
  public static final String NAME = "SinkTask";

  private static final SinkDeformationTask INSTANCE = new SinkDeformationTask();

  private SinkDeformationTask() {
    super(NAME);
  }

  /** @return the (shared, immutable) task */
  public static SinkDeformationTask create() {
    return INSTANCE;
  }

  @Override
  double ratio(double s, double f) {
    // with R = s r: r' / r = s (1 - (1 - 1/s)^f)
    return s * (1 - Math.pow(1 - 1 / s, f));
  }
}
