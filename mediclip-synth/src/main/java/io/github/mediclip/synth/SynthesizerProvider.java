package io.github.mediclip.synth;

/**
 * Service-provider interface for named synthesizers, discovered with {@link
 * java.util.ServiceLoader} (register the implementation in {@code
 * META-INF/services/io.github.mediclip.synth.SynthesizerProvider} or with {@code provides} in
 * {@code module-info.java}). See {@link Synthesizers}.
 */
public interface SynthesizerProvider {

  /**
   * @return the declared name used in configurations, e.g. {@code "CutpasteTask"}
   */
  String name();

  /**
   * @return a synthesizer (may be a shared immutable instance)
   */
  AnomalySynthesizer create();
}
