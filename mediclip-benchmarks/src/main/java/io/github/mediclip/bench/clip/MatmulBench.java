package io.github.mediclip.bench.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.github.mediclip.bench.BenchArgs;
import java.util.Locale;
import java.util.Map;

/**
 * Matrix-multiply micro-benchmark on DJL's PyTorch engine: the machine's practical fp32 ceiling
 * that {@link VisionBench} reports its fraction of.
 *
 * <pre>
 * java -cp mediclip-benchmarks/target/mediclip-benchmarks-0.1.0-SNAPSHOT.jar \
 *     io.github.mediclip.bench.clip.MatmulBench [--threads 2] [--size 2048] [--seconds 3] [--fp16 true]
 * </pre>
 *
 * Prints GFLOP/s (2·n³ per n×n product) for a square matMul and for the ViT-shaped linear layers (x
 * (M, K) times Wᵀ with W (N, K), as {@code Linear.linear} runs them).
 */
public final class MatmulBench {

  private MatmulBench() {}

  /**
   * Entry point.
   *
   * @param args {@code --threads n --size n --seconds s --fp16 true|false}
   */
  public static void main(String[] args) {
    Map<String, String> a =
        BenchArgs.parse(args, "threads", "2", "size", "2048", "seconds", "3", "fp16", "false");
    int threads = Integer.parseInt(a.get("threads"));
    int size = Integer.parseInt(a.get("size"));
    double seconds = Double.parseDouble(a.get("seconds"));
    // No bf16 option: creating a BFLOAT16 array aborts the JVM with DJL 0.36's PyTorch JNI
    // (docs/performance.md).
    boolean fp16 = Boolean.parseBoolean(a.get("fp16"));
    BenchEnv.configureThreads(threads);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      BenchEnv.printSettings();
      System.out.printf(Locale.ROOT, "load average %.2f%n", BenchEnv.loadAverage());
      System.out.printf(
          Locale.ROOT,
          "fp32 matMul 512² max |error| vs fp64: %.3g (sanity check of the GEMM path)%n",
          fp32Error(manager));
      report("matMul fp32 " + size + "²", squareGflops(manager, size, DataType.FLOAT32, seconds));
      // ViT-B-16 at batch 8: M = 8 * 197 tokens, widths 768 / 3072; ViT-L-14: 8 * 257, 1024 / 4096.
      report(
          "linear fp32 (1576x768)·(3072x768)ᵀ",
          linearGflops(manager, 1576, 768, 3072, DataType.FLOAT32, seconds));
      report(
          "linear fp32 (1576x3072)·(768x3072)ᵀ",
          linearGflops(manager, 1576, 3072, 768, DataType.FLOAT32, seconds));
      report(
          "linear fp32 (2056x1024)·(4096x1024)ᵀ",
          linearGflops(manager, 2056, 1024, 4096, DataType.FLOAT32, seconds));
      if (fp16) {
        report("matMul fp16 512²", squareGflops(manager, 512, DataType.FLOAT16, seconds));
      }
    }
    System.out.printf(Locale.ROOT, "peak RSS %.0f MiB%n", BenchEnv.peakRssMiB());
  }

  private static void report(String what, double[] gflops) {
    System.out.printf(
        Locale.ROOT,
        "%-40s %7.1f GFLOP/s (best call), %7.1f GFLOP per CPU-second%n",
        what,
        gflops[0],
        gflops[1]);
  }

  /**
   * Measures an n×n by n×n product, the reference's "ceiling" probe.
   *
   * @param manager parent manager (a sub-manager is used and closed)
   * @param n matrix size
   * @param type FLOAT32 or FLOAT16
   * @param seconds how long to time, after a warm-up
   * @return {best-of-runs GFLOP/s (2·n³ floating point operations per product), GFLOP per
   *     CPU-second}
   */
  public static double[] squareGflops(NDManager manager, int n, DataType type, double seconds) {
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.randomUniform(-1, 1, new Shape(n, n)).toType(type, false);
      NDArray b = m.randomUniform(-1, 1, new Shape(n, n)).toType(type, false);
      return time(m, () -> a.matMul(b), 2.0 * n * n * n, seconds);
    }
  }

  /**
   * Measures {@code Linear.linear(x (M, K), W (N, K))}, the shape of a transformer's projections.
   *
   * @return {best-of-runs GFLOP/s (2·M·K·N per call), GFLOP per CPU-second}
   */
  public static double[] linearGflops(
      NDManager manager, int rows, int in, int out, DataType type, double seconds) {
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.randomUniform(-1, 1, new Shape(rows, in)).toType(type, false);
      NDArray w = m.randomUniform(-1, 1, new Shape(out, in)).toType(type, false);
      NDArray bias = m.randomUniform(-1, 1, new Shape(out)).toType(type, false);
      return time(
          m, () -> Linear.linear(x, w, bias).singletonOrThrow(), 2.0 * rows * in * out, seconds);
    }
  }

  /**
   * Max absolute difference between an fp32 and an fp64 product of the same U(-1, 1) 512² matrices.
   */
  static double fp32Error(NDManager manager) {
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.randomUniform(-1, 1, new Shape(512, 512));
      NDArray b = m.randomUniform(-1, 1, new Shape(512, 512));
      NDArray c32 = a.matMul(b).toType(DataType.FLOAT64, false);
      NDArray c64 = a.toType(DataType.FLOAT64, false).matMul(b.toType(DataType.FLOAT64, false));
      return c32.sub(c64).abs().max().getDouble();
    }
  }

  private static double[] time(
      NDManager m, java.util.function.Supplier<NDArray> op, double flops, double seconds) {
    for (int i = 0; i < 2; i++) { // warm-up: first calls pick kernels and fault in pages
      try (NDManager s = m.newSubManager()) {
        NDArray r = op.get();
        r.tempAttach(s);
      }
    }
    double best = 0;
    int calls = 0;
    long cpu0 = BenchEnv.processCpuNanos();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      try (NDManager s = m.newSubManager()) {
        long t0 = System.nanoTime();
        NDArray r = op.get();
        r.tempAttach(s);
        long t1 = System.nanoTime();
        best = Math.max(best, flops / (t1 - t0));
        calls++;
      }
    }
    double cpuSeconds = (BenchEnv.processCpuNanos() - cpu0) / 1e9;
    return new double[] {best, flops * calls / 1e9 / cpuSeconds};
  }
}
