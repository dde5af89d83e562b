package io.github.mediclip.synth;

/**
 * {@code SourceTask}: pushes content outwards from a centre inside a deformed hypershape, new
 * radius r' = r^f / R^(f−1) with f = 2^U(0.5, 2) (reference {@code SourceDeformationTask} of
 * MediCLIP's {@code medsyn}); see {@link RadialDeformationTask} for the common parts. Immutable and
 * thread-safe.
 */
public final class SourceDeformationTask extends RadialDeformationTask {

  /** Registry name. */
  public static final String NAME = "SourceTask";

  private static final SourceDeformationTask INSTANCE = new SourceDeformationTask();

  private SourceDeformationTask() {
    super(NAME, false);
  }

  /**
   * @return the (shared, immutable) task
   */
  public static SourceDeformationTask create() {
    return INSTANCE;
  }
}
