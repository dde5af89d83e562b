package io.github.mediclip.internal;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * Sets libtorch's global flags that DJL's JNI does not expose, once, after the engine has loaded
 * libtorch ({@link PyTorchEngines#get()}).
 *
 * <p><b>NNPACK off</b> ({@code torch.backends.nnpack.enabled = False} in Python). For a CPU
 * convolution that oneDNN does not take, libtorch asks whether NNPACK can run before it falls back
 * to its own kernel, and on a CPU that NNPACK does not support (many x86 servers, AMD EPYC among
 * them) every such call prints {@code Could not initialize NNPACK! Reason: Unsupported hardware.}
 * to standard error, where no logging configuration can filter it. The heads' 1×1 adapter
 * convolutions of a single small image are such calls (oneDNN takes batches of two or more, and
 * large inputs), so every {@code predict} of one image printed three lines. With the flag off,
 * libtorch skips the question and goes straight to the kernel it used anyway: NNPACK is never
 * chosen for our convolutions (it needs a batch of at least 16, which oneDNN always takes first),
 * so the results are bit for bit the same.
 *
 * <p>The flag is set through {@code at::globalContext().setUserEnabledNNPACK(false)}, a C++ symbol
 * of {@code libtorch_cpu} called with JNA (which DJL already depends on). Where it is not found (a
 * platform with another C++ name mangling such as Windows, or a libtorch without it), nothing is
 * changed and {@link #nnpackStatus()} says why: the only consequence is the warning.
 */
public final class TorchFlags {

  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SET_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";
  private static final String GET_NNPACK = "_ZNK2at7Context17userEnabledNNPACKEv";

  private static volatile String nnpackStatus = "not set yet";
  private static boolean applied;

  private TorchFlags() {}

  /**
   * Turns NNPACK off, once per JVM; later calls do nothing. Call only after libtorch is loaded.
   * Never throws: a failure is recorded in {@link #nnpackStatus()}.
   */
  static synchronized void applyOnce() {
    if (applied) {
      return;
    }
    applied = true;
    try {
      Path lib = Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu"));
      NativeLibrary torch = NativeLibrary.getInstance(lib.toString());
      Pointer context = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
      torch.getFunction(SET_NNPACK).invokeVoid(new Object[] {context, Boolean.FALSE});
      Function get = torch.getFunction(GET_NNPACK);
      boolean enabled = (get.invokeInt(new Object[] {context}) & 0xFF) != 0;
      nnpackStatus = enabled ? "still enabled after setUserEnabledNNPACK(false)" : "disabled";
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // Not fatal: without the flag libtorch computes the same, it only prints its warning.
      nnpackStatus = "left enabled: " + e;
    }
  }

  /**
   * Whether NNPACK was turned off, for diagnostics and tests.
   *
   * @return {@code "disabled"}, {@code "not set yet"} before the engine was loaded through {@link
   *     PyTorchEngines#get()}, or why the flag could not be set
   */
  public static String nnpackStatus() {
    return nnpackStatus;
  }
}
