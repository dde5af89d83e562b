package io.github.mediclip.cli;

/**
 * A failure that the command-line tool reports as one line {@code mediclip: <message>} on standard
 * error, with exit code 1 (or the code given).
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * Creates a failure with exit code 1.
   *
   * @param message the one-line reason shown to the user
   */
  public CliException(String message) {
    this(message, MediClipCli.EXIT_FAILURE);
  }

  /**
   * Creates a failure with the given exit code.
   *
   * @param message the one-line reason shown to the user
   * @param exitCode the process exit code
   */
  public CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * Returns the exit code.
   *
   * @return the process exit code
   */
  public int exitCode() {
    return exitCode;
  }
}
