package io.github.mediclip.clip;

import io.github.mediclip.MediClipException;

/**
 * Unchecked domain exception for CLIP weights and model folders that cannot be used: a corrupt or
 * truncated safetensors file, missing, unexpected or mis-shaped tensors, a configuration that
 * contradicts the tensors, a model folder without weights. The message names the file and the
 * tensor, with the offending values.
 */
public class ClipWeightsException extends MediClipException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the file / tensor and the values
   */
  public ClipWeightsException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong, naming the file / tensor and the values
   * @param cause the underlying error
   */
  public ClipWeightsException(String message, Throwable cause) {
    super(message, cause);
  }
}
