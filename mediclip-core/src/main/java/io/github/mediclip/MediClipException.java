package io.github.mediclip;

/**
 * Unchecked domain exception of the MediCLIP library for failures that are not plain caller
 * mistakes: a detector bundle that is corrupt or does not match its backbone, training that cannot
 * proceed, and similar. Caller mistakes (a bad argument) are reported with the JDK's {@link
 * IllegalArgumentException} / {@link IllegalStateException} / {@link NullPointerException} instead.
 *
 * <p>Every message says what is wrong, with the offending value, and what to do about it.
 */
public class MediClipException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong and what to do
   */
  public MediClipException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure
   */
  public MediClipException(String message, Throwable cause) {
    super(message, cause);
  }
}
