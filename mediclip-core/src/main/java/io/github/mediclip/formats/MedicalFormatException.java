package io.github.mediclip.formats;

import io.github.mediclip.MediClipException;
import java.nio.file.Path;

/**
 * A medical image file (DICOM, NIfTI) or series that cannot be read: malformed, truncated, of an
 * unsupported encoding, inconsistent, or larger than the configured memory limit. The message names
 * the file, and where it applies the DICOM tag and the byte offset, and says what to do.
 */
public class MedicalFormatException extends MediClipException {

  private static final long serialVersionUID = 1L;

  /** The file or folder at fault (as a string, so that the exception stays serialisable). */
  private final String source;

  /**
   * Creates an exception for a file.
   *
   * @param source the file or series folder at fault
   * @param message what is wrong and what to do; the file name is prefixed
   */
  public MedicalFormatException(Path source, String message) {
    super(source + ": " + message);
    this.source = String.valueOf(source);
  }

  /**
   * Creates an exception for a file with a cause.
   *
   * @param source the file or series folder at fault
   * @param message what is wrong and what to do; the file name is prefixed
   * @param cause the underlying failure
   */
  public MedicalFormatException(Path source, String message, Throwable cause) {
    super(source + ": " + message, cause);
    this.source = String.valueOf(source);
  }

  /**
   * Returns the file or folder at fault.
   *
   * @return its path as given to the reader
   */
  public String source() {
    return source;
  }
}
