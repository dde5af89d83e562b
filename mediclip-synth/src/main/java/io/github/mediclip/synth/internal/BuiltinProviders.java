package io.github.mediclip.synth.internal;

import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.CutPasteTask;
import io.github.mediclip.synth.GaussIntensityChangeTask;
import io.github.mediclip.synth.IdentityTask;
import io.github.mediclip.synth.SinkDeformationTask;
import io.github.mediclip.synth.SmoothIntensityChangeTask;
import io.github.mediclip.synth.SourceDeformationTask;
import io.github.mediclip.synth.SynthesizerProvider;
import java.util.List;
import java.util.function.Supplier;

/**
 * The providers of the six reference tasks (not exported; public only because {@link
 * java.util.ServiceLoader} needs public provider classes on the class path). Use {@code
 * io.github.mediclip.synth.Synthesizers}.
 */
public final class BuiltinProviders {

  private BuiltinProviders() {}

  /**
   * @return one provider per reference task
   */
  public static List<SynthesizerProvider> all() {
    return List.of(
        new CutPaste(),
        new GaussIntensity(),
        new SmoothIntensity(),
        new Source(),
        new Sink(),
        new Identity());
  }

  private abstract static class Base implements SynthesizerProvider {
    private final String name;
    private final Supplier<AnomalySynthesizer> factory;

    Base(String name, Supplier<AnomalySynthesizer> factory) {
      this.name = name;
      this.factory = factory;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public AnomalySynthesizer create() {
      return factory.get();
    }
  }

  /** Provider of {@code CutpasteTask}. */
  public static final class CutPaste extends Base {
    /** Creates the provider. */
    public CutPaste() {
      super(CutPasteTask.NAME, CutPasteTask::create);
    }
  }

  /** Provider of {@code GaussIntensityChangeTask}. */
  public static final class GaussIntensity extends Base {
    /** Creates the provider. */
    public GaussIntensity() {
      super(GaussIntensityChangeTask.NAME, GaussIntensityChangeTask::create);
    }
  }

  /** Provider of {@code SmoothIntensityTask}. */
  public static final class SmoothIntensity extends Base {
    /** Creates the provider. */
    public SmoothIntensity() {
      super(SmoothIntensityChangeTask.NAME, SmoothIntensityChangeTask::create);
    }
  }

  /** Provider of {@code SourceTask}. */
  public static final class Source extends Base {
    /** Creates the provider. */
    public Source() {
      super(SourceDeformationTask.NAME, SourceDeformationTask::create);
    }
  }

  /** Provider of {@code SinkTask}. */
  public static final class Sink extends Base {
    /** Creates the provider. */
    public Sink() {
      super(SinkDeformationTask.NAME, SinkDeformationTask::create);
    }
  }

  /** Provider of {@code IdentityTask}. */
  public static final class Identity extends Base {
    /** Creates the provider. */
    public Identity() {
      super(IdentityTask.NAME, IdentityTask::create);
    }
  }
}
