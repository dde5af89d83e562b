package io.github.mediclip.bench.clip;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shared helpers of the CLIP bench mains: what the native libraries will see (environment variables
 * must be set before the JVM starts, the library cannot set them), thread settings, peak resident
 * memory and the CPU model.
 */
public final class BenchEnv {

  /**
   * Environment variables that change how libtorch's MKL / oneDNN / OpenMP run; printed by every
   * bench.
   */
  static final List<String> ENV_PREFIXES =
      List.of(
          "MKL_",
          "OMP_",
          "KMP_",
          "GOMP_",
          "DNNL_",
          "ONEDNN_",
          "OPENBLAS_",
          "NVPL_",
          "LD_PRELOAD",
          "PYTORCH_");

  private BenchEnv() {}

  /**
   * Sets DJL's PyTorch thread properties (unless given on the command line) before the engine
   * starts.
   *
   * @param threads intra-op threads
   */
  static void configureThreads(int threads) {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
  }

  /**
   * Prints the engine, thread counts, CPU and every relevant environment variable that is in
   * effect.
   */
  static void printSettings() {
    Engine engine = Engine.getEngine("PyTorch");
    System.out.printf(
        Locale.ROOT,
        "engine: %s %s, torch intra-op threads %d, inter-op threads %d%n",
        engine.getEngineName(),
        engine.getVersion(),
        JniUtils.getNumThreads(),
        JniUtils.getNumInteropThreads());
    System.out.printf(
        Locale.ROOT,
        "cpu: %s, %d logical processors visible to the JVM%n",
        cpuModel(),
        Runtime.getRuntime().availableProcessors());
    Map<String, String> env = new TreeMap<>();
    System.getenv()
        .forEach(
            (k, v) -> {
              for (String p : ENV_PREFIXES) {
                if (k.startsWith(p)) {
                  env.put(k, v);
                }
              }
            });
    System.out.println("native env in effect: " + (env.isEmpty() ? "(none)" : env));
    if (cpuFlag("vendor_id", "AuthenticAMD")
        && cpuFlag("flags", "avx512f")
        && !System.getenv().getOrDefault("LD_PRELOAD", "").contains("mkl")) {
      System.out.println(
          "hint: AMD CPU with AVX-512 and no MKL shim in LD_PRELOAD: oneMKL will use its generic"
              + " (non-AVX-512) SGEMM; see docs/performance.md");
    }
    double load = loadAverage();
    if (load > Runtime.getRuntime().availableProcessors()
        && System.getenv("OMP_WAIT_POLICY") == null) {
      System.out.printf(
          Locale.ROOT,
          "hint: the cores are busy (load %.1f) and OMP_WAIT_POLICY is not set:"
              + " spinning OpenMP threads will distort the figures; see docs/performance.md%n",
          load);
    }
    System.out.println(
        "djl properties: ai.djl.pytorch.num_threads="
            + System.getProperty("ai.djl.pytorch.num_threads")
            + " ai.djl.pytorch.num_interop_threads="
            + System.getProperty("ai.djl.pytorch.num_interop_threads")
            + " ai.djl.pytorch.graph_optimizer="
            + System.getProperty("ai.djl.pytorch.graph_optimizer"));
  }

  /**
   * @return whether the first CPU's /proc/cpuinfo line {@code key} contains {@code word}
   */
  static boolean cpuFlag(String key, String word) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith(key)) {
          return List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")).contains(word);
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return false;
  }

  /**
   * @return the model name of the first CPU in /proc/cpuinfo, or "unknown"
   */
  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: fall through
    }
    return "unknown";
  }

  /**
   * @return CPU time used by this process so far, in nanoseconds (all threads), or -1 where
   *     unavailable; used to express throughput per CPU-second, which stays meaningful when other
   *     processes share the cores
   */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /**
   * @return the 1-minute load average, or NaN where /proc is absent
   */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * @return peak resident set size of this process in MiB (VmHWM), or -1 where /proc is absent
   */
  static double peakRssMiB() {
    return statusKiB("VmHWM:") / 1024.0;
  }

  /**
   * @return current resident set size of this process in MiB (VmRSS), or -1 where /proc is absent
   */
  static double rssMiB() {
    return statusKiB("VmRSS:") / 1024.0;
  }

  private static long statusKiB(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1024;
  }
}
