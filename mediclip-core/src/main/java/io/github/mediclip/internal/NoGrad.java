package io.github.mediclip.internal;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns libtorch's gradient recording off on this thread for a try-with-resources block and
 * restores the previous mode when it closes:
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *   ... forward passes that need no gradients ...
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {

  private final boolean previous;

  private NoGrad(boolean previous) {
    this.previous = previous;
  }

  /**
   * Saves the current grad mode and turns gradients off.
   *
   * @return the scope; close it to restore the saved mode
   */
  public static NoGrad enter() {
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    return new NoGrad(grad);
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
