package io.github.mediclip.bench.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.bench.BenchArgs;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Throughput of the CLIP vision tower ({@link ClipModel#encodeImage} returning the MediCLIP layers)
 * with random weights on CPU, against the reference table of the issue (PyTorch eager, 2 threads).
 *
 * <pre>
 * java -cp mediclip-benchmarks/target/mediclip-benchmarks-0.1.0-SNAPSHOT.jar \
 *     io.github.mediclip.bench.clip.VisionBench [--models ViT-B-16,ViT-L-14] [--batches 1,8] [--threads 2]
 *     [--seconds 20] [--dtype float32|bfloat16] [--profile FILE-PREFIX]
 * </pre>
 *
 * For each model and batch size: one warm-up call, then calls until {@code --seconds} have passed
 * (at least 2); prints images/s (mean over the timed calls, and of the best call), achieved GFLOP/s
 * from the stated FLOPs per image, the fraction of the machine's matmul ceiling (a 2048² fp32
 * matmul measured in the same run) and peak RSS (VmHWM). Run one model per JVM for a clean peak-RSS
 * figure.
 */
public final class VisionBench {

  private VisionBench() {}

  /** FLOPs per image at 224 px as stated in the reference table. */
  static double gflopPerImage(String model) {
    switch (model) {
      case "ViT-B-16":
        return 35.1;
      case "ViT-L-14":
        return 162;
      default:
        return Double.NaN;
    }
  }

  /**
   * Entry point.
   *
   * @param args see the class documentation
   */
  public static void main(String[] args) {
    Map<String, String> a =
        BenchArgs.parse(
            args,
            "models",
            "ViT-B-16,ViT-L-14",
            "batches",
            "1,8",
            "threads",
            "2",
            "seconds",
            "20",
            "dtype",
            "float32",
            "profile",
            null);
    List<String> models = Arrays.asList(a.get("models").split(","));
    int[] batches = BenchArgs.ints(a.get("batches"));
    int threads = Integer.parseInt(a.get("threads"));
    double seconds = Double.parseDouble(a.get("seconds"));
    DataType dtype = DataType.valueOf(a.get("dtype").toUpperCase(Locale.ROOT));
    String profile = a.get("profile");
    BenchEnv.configureThreads(threads);
    List<String> rows = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      BenchEnv.printSettings();
      double[] probe = MatmulBench.squareGflops(manager, 2048, DataType.FLOAT32, 3);
      double ceiling = probe[0];
      double ceilingPerCpu = probe[1];
      System.out.printf(
          Locale.ROOT,
          "ceiling probe: 2048² fp32 matMul %.1f GFLOP/s, %.1f GFLOP per CPU-second"
              + " (load avg %.2f)%n",
          ceiling,
          ceilingPerCpu,
          BenchEnv.loadAverage());
      for (String model : models) {
        ClipConfig cfg = ClipConfig.preset(model);
        int[] layers = BenchArgs.mediclipLayers(cfg);
        // Random weights in libtorch-owned memory (not Java buffers), handed over to the loader: it
        // frees
        // each one as soon as its copy is made, so that RSS counts the weights once.
        ClipModel clip;
        try (NDManager init = manager.newSubManager()) {
          clip =
              ClipModel.loader()
                  .optDevice(Device.cpu())
                  .optDataType(dtype)
                  .fromWeightsTakingOwnership(cfg, BenchArgs.randomWeights(cfg, init));
        }
        System.gc();
        System.out.printf(
            Locale.ROOT,
            "%s loaded (%s), layers %s, RSS %.0f MiB%n",
            model,
            dtype,
            Arrays.toString(layers),
            BenchEnv.rssMiB());
        try (clip) {
          if (profile != null) {
            profile(
                clip,
                manager,
                batches[batches.length - 1],
                layers,
                profile + "-" + model + ".json");
          }
          for (int b : batches) {
            double[] r = run(clip, manager, b, layers, seconds);
            double gflops = r[0] * gflopPerImage(model);
            double perCpu = r[2] * gflopPerImage(model);
            String row =
                String.format(
                    Locale.ROOT,
                    "| %-8s | %-8s | batch %d | %6.2f img/s (best call %6.2f) | %6.1f GFLOP/s | %4.0f %% of"
                        + " ceiling | %6.1f GFLOP/CPU-s = %3.0f %% of ceiling's | peak RSS %.2f GiB |"
                        + " load %.1f |",
                    model,
                    dtype.name().toLowerCase(Locale.ROOT),
                    b,
                    r[0],
                    r[1],
                    gflops,
                    100 * gflops / ceiling,
                    perCpu,
                    100 * perCpu / ceilingPerCpu,
                    BenchEnv.peakRssMiB() / 1024,
                    BenchEnv.loadAverage());
            System.out.println(row);
            rows.add(row);
          }
        }
      }
      double[] after = MatmulBench.squareGflops(manager, 2048, DataType.FLOAT32, 3);
      System.out.printf(
          Locale.ROOT,
          "ceiling probe again: %.1f GFLOP/s, %.1f GFLOP per CPU-second (load avg" + " %.2f)%n",
          after[0],
          after[1],
          BenchEnv.loadAverage());
    }
    System.out.println();
    rows.forEach(System.out::println);
  }

  /**
   * @return {mean images/s over the timed calls, images/s of the fastest call, images per
   *     CPU-second}
   */
  static double[] run(ClipModel clip, NDManager manager, int batch, int[] layers, double seconds) {
    int size = clip.config().vision().imageSize();
    try (NDManager m = manager.newSubManager()) {
      NDArray images = m.randomNormal(new Shape(batch, 3, size, size));
      forward(clip, images, layers); // warm-up
      long cpu0 = BenchEnv.processCpuNanos();
      long start = System.nanoTime();
      long best = Long.MAX_VALUE;
      int calls = 0;
      while (calls < 2 || System.nanoTime() - start < seconds * 1e9) {
        long t0 = System.nanoTime();
        forward(clip, images, layers);
        best = Math.min(best, System.nanoTime() - t0);
        calls++;
      }
      double total = (System.nanoTime() - start) / 1e9;
      double cpu = (BenchEnv.processCpuNanos() - cpu0) / 1e9;
      return new double[] {batch * calls / total, batch / (best / 1e9), batch * calls / cpu};
    }
  }

  /**
   * Writes libtorch's profiler trace (chrome trace JSON) of one forward call and prints the time
   * per operator.
   */
  static void profile(ClipModel clip, NDManager manager, int batch, int[] layers, String file) {
    int size = clip.config().vision().imageSize();
    try (NDManager m = manager.newSubManager()) {
      NDArray images = m.randomNormal(new Shape(batch, 3, size, size));
      forward(clip, images, layers); // warm-up
      ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
      forward(clip, images, layers);
      ai.djl.pytorch.jni.JniUtils.stopProfile(file);
    }
    ProfileSummary.print(java.nio.file.Path.of(file));
  }

  private static void forward(ClipModel clip, NDArray images, int[] layers) {
    try (NDManager call = images.getManager().newSubManager()) {
      NDArray in = images.duplicate();
      in.attach(call);
      ClipModel.VisionOutput out = clip.encodeImage(in, layers);
      out.layers().get(0).toFloatArray(); // make sure the work is done (synchronous on CPU anyway)
    }
  }
}
