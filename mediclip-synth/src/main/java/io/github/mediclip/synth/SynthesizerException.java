package io.github.mediclip.synth;

import java.util.Objects;

/**
 * A fault in a synthesizer's code (usually user code behind the {@link AnomalySynthesizer} SPI): it
 * threw, returned {@code null}, or returned an image or mask of the wrong size or with values out
 * of range. Thrown by {@link ValidatingSynthesizer}, which the trainer wraps around every
 * synthesizer; {@link #synthesizerName()} names the offending class.
 *
 * <p>It extends {@link IllegalStateException} (what these faults were reported as before 0.1.0), so
 * existing handlers keep working. Library failures are {@code
 * io.github.mediclip.MediClipException}s instead: this type marks the fault as the synthesizer's,
 * not the library's.
 */
public final class SynthesizerException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** The class name of the faulty synthesizer. */
  private final String synthesizerName;

  /**
   * Creates the exception.
   *
   * @param synthesizerName the class name of the faulty synthesizer
   * @param message what the synthesizer did wrong, with the value (it should name the synthesizer)
   * @param cause what the synthesizer threw, or {@code null}
   */
  public SynthesizerException(String synthesizerName, String message, Throwable cause) {
    super(message, cause);
    this.synthesizerName = Objects.requireNonNull(synthesizerName, "synthesizerName");
  }

  /**
   * Returns the class name of the faulty synthesizer.
   *
   * @return e.g. {@code com.example.MyLesions}
   */
  public String synthesizerName() {
    return synthesizerName;
  }
}
