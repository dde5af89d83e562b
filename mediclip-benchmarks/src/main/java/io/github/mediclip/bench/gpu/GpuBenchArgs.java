package io.github.mediclip.bench.gpu;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;
import com.google.gson.GsonBuilder;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipWeights;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared plumbing of the GPU bench mains: options, device, memory figures and the RESULT lines. */
final class GpuBenchArgs {

  private GpuBenchArgs() {}

  /**
   * Parses {@code --name value} pairs against defaults given as name, value, name, value, ...
   *
   * @throws IllegalArgumentException naming an unknown option or a missing value
   */
  static Map<String, String> parse(String[] args, String... defaults) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < defaults.length; i += 2) {
      out.put(defaults[i], defaults[i + 1]);
    }
    for (int i = 0; i < args.length; i++) {
      String k = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (k == null || !out.containsKey(k)) {
        throw new IllegalArgumentException(
            "unknown option '" + args[i] + "'; options: --" + String.join(" --", out.keySet()));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option --" + k + " needs a value");
      }
      out.put(k, args[++i]);
    }
    return out;
  }

  static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }

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

  /**
   * Random float32 weights with CLIP's names and shapes, drawn by libtorch on the manager's device
   * (N(0, 0.02), LayerNorm weights 1, biases 0, logit scale ln(1/0.07)): values do not matter for
   * speed, only that they stay finite, and drawing them on the GPU takes milliseconds where the
   * seeded Java draw of {@link ClipWeights#randomInit} takes seconds for ViT-L-14.
   */
  static Map<String, NDArray> randomWeights(ClipConfig cfg, NDManager m) {
    Map<String, NDArray> w = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ClipWeights.expectedShapes(cfg).entrySet()) {
      String n = e.getKey();
      Shape shape = new Shape(e.getValue());
      NDArray a;
      if (n.equals("logit_scale")) {
        a = m.full(shape, (float) Math.log(1 / 0.07));
      } else if (n.matches(".*(ln_1|ln_2|ln_pre|ln_post|ln_final)\\.weight")) {
        a = m.ones(shape);
      } else if (n.endsWith("bias")) {
        a = m.zeros(shape);
      } else {
        a = m.randomNormal(0, 0.02f, shape, DataType.FLOAT32);
      }
      a.setName(n);
      w.put(n, a);
    }
    return w;
  }

  /** Prints one result row as {@code RESULT {json}} on standard output. */
  static void emit(Map<String, Object> row) {
    System.out.println(
        "RESULT " + new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(row));
    System.out.flush();
  }
}
