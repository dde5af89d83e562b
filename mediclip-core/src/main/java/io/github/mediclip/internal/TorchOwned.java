package io.github.mediclip.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays made from Java values whose memory libtorch owns, and the scalar operations that need them
 * on a gradient path.
 *
 * <p>On the CPU, DJL 0.36's PyTorch engine makes an array from Java data by copying it into a
 * direct {@link java.nio.ByteBuffer} and wrapping that buffer's memory in a tensor without a copy
 * ({@code torch::from_blob}); only the Java array object keeps the buffer alive. A tensor that
 * libtorch keeps after that Java array is closed still points into the buffer, and once the garbage
 * collector has freed it, into memory that the allocator reuses. Autograd keeps exactly such
 * tensors: the operands it saves for {@code backward} outlive the sub-managers of the forward pass.
 * DJL's scalar operations ({@code mul(Number)}, {@code div(Number)}, {@code pow(Number)}) wrap the
 * scalar this way and close it at once, so {@code backward} reads whatever lies at its address when
 * a collection happened in between; training then gave different losses, or NaN, only when the
 * timing of the collections changed (under CPU load).
 *
 * <p>The methods here copy such data into memory libtorch allocates and reference-counts ({@code
 * duplicate()}, a clone), so saved tensors stay valid however long autograd holds them. The values
 * and the operations are the same as with DJL's own methods, so the results are bit-identical.
 */
public final class TorchOwned {

  private TorchOwned() {}

  /**
   * Creates an array from Java data in libtorch-owned memory.
   *
   * @param manager owner of the result (its device is used)
   * @param data the values, row-major
   * @param shape the shape
   * @return the array, attached to {@code manager}
   */
  public static NDArray create(NDManager manager, float[] data, Shape shape) {
    try (NDArray wrapped = manager.create(data, shape)) {
      return wrapped.duplicate();
    }
  }

  /**
   * A 0-dimensional float32 array in libtorch-owned memory, as DJL's {@code create(float)} makes
   * for its scalar operations.
   *
   * @param manager owner of the result (its device is used)
   * @param value the value
   * @return the scalar, attached to {@code manager}
   */
  public static NDArray scalar(NDManager manager, float value) {
    try (NDArray wrapped = manager.create(value)) {
      return wrapped.duplicate();
    }
  }

  /**
   * {@code x * value}, safe on a gradient path (DJL's {@code x.mul(value)} is not, see the class
   * documentation).
   *
   * @param x the array
   * @param value the factor
   * @return a new array, attached to the manager of {@code x}
   */
  public static NDArray mul(NDArray x, float value) {
    try (NDArray s = scalar(x.getManager(), value)) {
      return x.mul(s);
    }
  }

  /**
   * {@code x / value}, safe on a gradient path (DJL's {@code x.div(value)} is not, see the class
   * documentation).
   *
   * @param x the array
   * @param value the divisor
   * @return a new array, attached to the manager of {@code x}
   */
  public static NDArray div(NDArray x, float value) {
    try (NDArray s = scalar(x.getManager(), value)) {
      return x.div(s);
    }
  }

  /**
   * {@code x ^ value}, safe on a gradient path (DJL's {@code x.pow(value)} is not, see the class
   * documentation).
   *
   * @param x the array
   * @param value the exponent
   * @return a new array, attached to the manager of {@code x}
   */
  public static NDArray pow(NDArray x, float value) {
    try (NDArray s = scalar(x.getManager(), value)) {
      return x.pow(s);
    }
  }
}
