package io.github.mediclip.bench.gpu;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import com.google.gson.GsonBuilder;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shared plumbing of the GPU bench mains: device, memory figures and the RESULT lines (options are
 * parsed by {@link io.github.mediclip.bench.BenchArgs}, as in the CPU benches).
 */
final class GpuBenchArgs {

  private GpuBenchArgs() {}

  /** {@code cpu}, {@code gpu} or {@code gpu:N}. */
  static Device device(String s) {
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("gpu")) {
      return Device.gpu();
    }
    if (s.startsWith("gpu:")) {
      return Device.gpu(Integer.parseInt(s.substring(4)));
    }
    throw new IllegalArgumentException("--device must be cpu, gpu or gpu:N, got '" + s + "'");
  }

  /**
   * Memory of the device: for a GPU, the bytes in use on the whole card and its total as the CUDA
   * runtime reports them (cudaMemGetInfo, through DJL's CudaUtils: this counts libtorch's cached
   * blocks and every process on the card); for the CPU, this process's resident and peak resident
   * set (VmRSS, VmHWM).
   */
  static Map<String, Object> deviceMemory(Device device) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (device.isGpu()) {
      try {
        MemoryUsage u = CudaUtils.getGpuMemory(device);
        m.put("gpu_used_mib", u.getUsed() / 1048576.0);
        m.put("gpu_total_mib", u.getMax() / 1048576.0);
      } catch (RuntimeException | LinkageError e) {
        m.put("gpu_error", e.toString());
      }
    }
    m.put("rss_mib", procStatusMiB("VmRSS:"));
    m.put("peak_rss_mib", procStatusMiB("VmHWM:"));
    return m;
  }

  private static double procStatusMiB(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  /** Prints one result row as {@code RESULT {json}} on standard output. */
  static void emit(Map<String, Object> row) {
    System.out.println(
        "RESULT " + new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(row));
    System.out.flush();
  }
}
