package io.github.mediclip.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import io.github.mediclip.MediClipException;

/**
 * The one place where the library asks DJL for its PyTorch engine, so that a missing native library
 * fails with one message that says what to add, instead of DJL's {@code Failed to save pytorch
 * index file ... UnknownHostException} or {@code Cannot download jni files ...}, and where the
 * libtorch flags that DJL does not expose are set, once ({@link TorchFlags}).
 */
public final class PyTorchEngines {

  /** DJL's name of the PyTorch engine. */
  public static final String ENGINE = "PyTorch";

  private PyTorchEngines() {}

  /**
   * Returns DJL's PyTorch engine, loading the native library and setting {@link TorchFlags} on the
   * first call.
   *
   * @return the engine
   * @throws MediClipException when the native libtorch or DJL's JNI glue cannot be loaded; the
   *     message names the Maven artifacts to add and DJL's own reason, with DJL's exception as the
   *     cause
   */
  public static Engine get() {
    Engine engine;
    try {
      engine = Engine.getEngine(ENGINE);
    } catch (EngineException e) {
      throw explain(e);
    }
    TorchFlags.applyOnce(); // libtorch is loaded now; quiets its NNPACK warning (see TorchFlags)
    return engine;
  }

  /**
   * The default device: the first GPU when DJL's PyTorch engine sees one, else the CPU.
   *
   * @return the device
   * @throws MediClipException when the engine cannot be loaded (see {@link #get()})
   */
  public static Device defaultDevice() {
    Engine e = get();
    return e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
  }

  /**
   * The exception thrown when DJL cannot load the PyTorch engine.
   *
   * @param cause DJL's failure
   * @return the exception, with {@code cause} as its cause
   */
  static MediClipException explain(Throwable cause) {
    return new MediClipException(
        "cannot load DJL's PyTorch engine ("
            + innermost(cause)
            + "). Add the native library to the application's runtime class path: "
            + "ai.djl.pytorch:pytorch-jni and ai.djl.pytorch:pytorch-native-cpu with the classifier of "
            + "this platform (e.g. linux-x86_64), scope runtime, versions from io.github.mediclip:"
            + "mediclip-bom; for CUDA or a local libtorch see docs/gpu.md. Without them DJL tries to "
            + "download libtorch, which fails offline or with -Dai.djl.offline=true.",
        cause);
  }

  private static String innermost(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (sb.length() > 0) {
        sb.append(": ");
      }
      String m = c.getMessage();
      sb.append(m == null || m.isBlank() ? c.getClass().getSimpleName() : m);
    }
    return sb.toString();
  }
}
