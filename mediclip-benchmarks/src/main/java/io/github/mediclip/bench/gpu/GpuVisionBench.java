package io.github.mediclip.bench.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.bench.BenchArgs;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Throughput of the CLIP vision tower ({@link ClipModel#encodeImage} returning the MediCLIP layers)
 * on a chosen device and dtype, with random weights created on that device. Meant for the GPU run
 * of {@code gpu/device-check.sh}; it also runs on the CPU (the script's {@code --cpu-rehearsal}).
 *
 * <pre>
 * java -cp ... io.github.mediclip.bench.gpu.GpuVisionBench [--model ViT-L-14] [--device gpu|cpu]
 *     [--dtypes float32,float16] [--batches 1,8,64] [--layers 12,18,24] [--seconds 3] [--warmup 2]
 * </pre>
 *
 * <p>Per (dtype, batch): {@code --warmup} untimed calls, then calls until {@code --seconds} have
 * passed (at least 3). Each call ends by reading one number computed from the last requested layer,
 * which waits for the device's queue, so the wall time covers the whole forward pass; the outputs
 * stay on the device (no copy to the host). Prints one line per row starting with {@code RESULT }
 * and holding a JSON object (images/s mean and best call, milliseconds per call, device memory in
 * use after the row as reported by the CUDA runtime), for the script to collect.
 */
public final class GpuVisionBench {

  private GpuVisionBench() {}

  /**
   * Entry point.
   *
   * @param args see the class documentation
   */
  public static void main(String[] args) {
    Map<String, String> a =
        BenchArgs.parse(
            args,
            "model",
            "ViT-L-14",
            "device",
            "gpu",
            "dtypes",
            "float32,float16",
            "batches",
            "1,8,64",
            "layers",
            "",
            "seconds",
            "3",
            "warmup",
            "2",
            "image-size",
            "0");
    String model = a.get("model");
    Device device = GpuBenchArgs.device(a.get("device"));
    ClipConfig cfg = ClipConfig.preset(model);
    int imageSize = Integer.parseInt(a.get("image-size"));
    if (imageSize > 0) {
      cfg = cfg.withImageSize(imageSize);
    }
    int[] layers =
        a.get("layers").isEmpty() ? BenchArgs.mediclipLayers(cfg) : BenchArgs.ints(a.get("layers"));
    int[] batches = BenchArgs.ints(a.get("batches"));
    double seconds = Double.parseDouble(a.get("seconds"));
    int warmup = Integer.parseInt(a.get("warmup"));
    Engine engine = Engine.getEngine("PyTorch");
    System.out.printf(
        Locale.ROOT,
        "engine %s %s, device %s, GPUs visible %d, model %s (image %d), layers %s%n",
        engine.getEngineName(),
        engine.getVersion(),
        device,
        engine.getGpuCount(),
        model,
        cfg.vision().imageSize(),
        Arrays.toString(layers));
    try (NDManager weights = NDManager.newBaseManager(device, "PyTorch")) {
      // float32 random weights made by libtorch on the device once; each dtype's model copies (and
      // casts) them
      Map<String, NDArray> w = BenchArgs.randomWeights(cfg, weights);
      for (String dt : a.get("dtypes").split(",")) {
        runDtype(model, cfg, w, device, dt.trim(), batches, layers, warmup, seconds);
      }
    }
  }

  private static void runDtype(
      String model,
      ClipConfig cfg,
      Map<String, NDArray> w,
      Device device,
      String dt,
      int[] batches,
      int[] layers,
      int warmup,
      double seconds) {
    DataType dtype = DataType.valueOf(dt.toUpperCase(Locale.ROOT));
    long t0 = System.nanoTime();
    ClipModel clip = ClipModel.loader().optDevice(device).optDataType(dtype).fromWeights(cfg, w);
    System.out.printf(
        Locale.ROOT,
        "%s %s model built on %s in %.1f s, device memory in use %s%n",
        model,
        dt,
        device,
        (System.nanoTime() - t0) / 1e9,
        GpuBenchArgs.deviceMemory(device));
    try (clip;
        NDManager m = NDManager.newBaseManager(device, "PyTorch")) {
      for (int b : batches) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("bench", "vision");
        row.put("impl", "mediclip-djl");
        row.put("model", model);
        row.put("device", device.toString());
        row.put("dtype", dt);
        row.put("batch", b);
        row.put("image_size", cfg.vision().imageSize());
        row.put("layers", layers);
        try {
          double[] r = run(clip, m, b, layers, warmup, seconds);
          row.put("images_per_s", r[0]);
          row.put("images_per_s_best_call", r[1]);
          row.put("ms_per_call", r[2]);
          row.put("calls", (int) r[3]);
        } catch (RuntimeException | OutOfMemoryError e) {
          row.put("error", e.toString());
        }
        row.put("device_memory_after", GpuBenchArgs.deviceMemory(device));
        GpuBenchArgs.emit(row);
      }
    }
  }

  /** Returns {mean images/s, images/s of the fastest call, mean ms per call, calls}. */
  static double[] run(
      ClipModel clip, NDManager manager, int batch, int[] layers, int warmup, double seconds) {
    int size = clip.config().vision().imageSize();
    try (NDManager m = manager.newSubManager()) {
      NDArray images = m.randomNormal(new Shape(batch, 3, size, size));
      for (int i = 0; i < warmup; i++) {
        forward(clip, images, layers);
      }
      long start = System.nanoTime();
      long best = Long.MAX_VALUE;
      int calls = 0;
      while (calls < 3 || System.nanoTime() - start < seconds * 1e9) {
        long t0 = System.nanoTime();
        forward(clip, images, layers);
        best = Math.min(best, System.nanoTime() - t0);
        calls++;
      }
      double total = (System.nanoTime() - start) / 1e9;
      return new double[] {batch * calls / total, batch / (best / 1e9), 1e3 * total / calls, calls};
    }
  }

  /**
   * One forward pass in its own scope (the input is duplicated into it, so that every result and
   * intermediate is freed with it); reading a scalar of the last layer waits until the device has
   * finished the pass.
   */
  static float forward(ClipModel clip, NDArray images, int[] layers) {
    try (NDManager call = images.getManager().newSubManager()) {
      NDArray in = images.duplicate();
      in.attach(call);
      ClipModel.VisionOutput out = clip.encodeImage(in, layers);
      return out.layers().get(out.layers().size() - 1).get(0, 0, 0).getFloat();
    }
  }
}
