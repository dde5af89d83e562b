package io.github.mediclip.bench.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.cuda.CudaUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads DJL's PyTorch engine the way the environment says (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION,
 * PYTORCH_FLAVOR, DJL_OFFLINE, DJL_CACHE_DIR) and prints one {@code RESULT {json}} line: engine
 * version, the libtorch folder and JNI library in use, the engine's capabilities, the GPUs DJL
 * sees, CUDA runtime version, and a small matrix product on every device as a smoke test. Exits
 * with status 1 when the engine cannot be loaded.
 */
public final class EngineInfo {

  private EngineInfo() {}

  /**
   * Entry point.
   *
   * @param args none
   */
  public static void main(String[] args) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("bench", "engine");
    for (String k :
        new String[] {
          "PYTORCH_LIBRARY_PATH",
          "PYTORCH_VERSION",
          "PYTORCH_FLAVOR",
          "DJL_OFFLINE",
          "DJL_CACHE_DIR",
          "NVIDIA_TF32_OVERRIDE"
        }) {
      row.put(k, System.getenv(k));
    }
    try {
      Engine e = Engine.getEngine("PyTorch");
      row.put("engine_version", e.getVersion());
      row.put("libtorch_dir", ai.djl.pytorch.jni.LibUtils.getLibtorchPath());
      row.put("cuda_capability", e.hasCapability("CUDA"));
      row.put("cudnn_capability", e.hasCapability("CUDNN"));
      int gpus = e.getGpuCount();
      row.put("gpu_count", gpus);
      if (gpus > 0) {
        row.put("cuda_runtime_version", CudaUtils.getCudaVersionString());
        row.put("compute_capability", CudaUtils.getComputeCapability(0));
        row.put("device_memory", GpuBenchArgs.deviceMemory(Device.gpu()));
      }
      row.put("cpu_matmul_ok", smoke(Device.cpu()));
      if (gpus > 0) {
        row.put("gpu_matmul_ok", smoke(Device.gpu()));
      }
    } catch (RuntimeException | LinkageError ex) {
      row.put("error", ex.toString());
      Throwable c = ex.getCause();
      if (c != null) {
        row.put("cause", c.toString());
      }
      GpuBenchArgs.emit(row);
      ex.printStackTrace();
      System.exit(1);
    }
    GpuBenchArgs.emit(row);
  }

  /** (2x3)·(3x2) of known numbers on the device, compared with the exact result. */
  private static boolean smoke(Device d) {
    try (NDManager m = NDManager.newBaseManager(d, "PyTorch")) {
      NDArray a = m.create(new float[] {1, 2, 3, 4, 5, 6}, new ai.djl.ndarray.types.Shape(2, 3));
      NDArray b = m.create(new float[] {7, 8, 9, 10, 11, 12}, new ai.djl.ndarray.types.Shape(3, 2));
      float[] c = a.matMul(b).toFloatArray();
      return c[0] == 58f && c[1] == 64f && c[2] == 139f && c[3] == 154f;
    }
  }
}
