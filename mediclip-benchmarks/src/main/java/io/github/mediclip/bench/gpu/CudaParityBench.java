package io.github.mediclip.bench.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.bench.BenchArgs;
import io.github.mediclip.cli.parity.BackboneParity;
import io.github.mediclip.cli.parity.HeadsParity;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.internal.clip.SafetensorsReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parity fixtures ({@code tiny-clip-64}: outputs of the reference implementation) computed on a
 * chosen device, normally a CUDA GPU: the backbone ({@link BackboneParity}) and the heads, losses,
 * gradients and one Adam step ({@link HeadsParity}) in float32, each tensor against the reference
 * within 1e-4 (absolute; gradients also within 1e-3 of their largest magnitude, as {@code
 * HeadsParityTest} holds them), and the float16 vision tower's deviation from the reference and
 * from the float32 run, reported (no bar).
 *
 * <p>TF32: run it with {@code NVIDIA_TF32_OVERRIDE=0} in the environment (as {@code
 * gpu/device-check.sh} does) so that neither cuBLAS nor cuDNN uses TF32 for float32 work;
 * libtorch's own defaults leave cuDNN convolutions (the heads' 1×1 adapters) free to use it.
 *
 * <p>Usage: {@code CudaParityBench --fixture DIR [--device gpu]}. Prints one {@code RESULT {json}}
 * line; exits with status 1 when a float32 tensor misses the bar.
 */
public final class CudaParityBench {

  static final double ATOL = 1e-4;
  static final double GRAD_RTOL = 1e-3;

  private CudaParityBench() {}

  /**
   * Entry point.
   *
   * @param args see the class documentation
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = BenchArgs.parse(args, "fixture", "", "device", "gpu");
    Path dir = Path.of(a.get("fixture"));
    if (!Files.isRegularFile(dir.resolve("meta.json"))) {
      throw new IllegalArgumentException(
          "--fixture " + dir + ": no meta.json there (give the tiny-clip-64 folder)");
    }
    Device device = GpuBenchArgs.device(a.get("device"));
    Engine engine = Engine.getEngine("PyTorch");
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("bench", "parity");
    row.put("device", device.toString());
    row.put("engine_version", engine.getVersion());
    row.put("nvidia_tf32_override", System.getenv("NVIDIA_TF32_OVERRIDE"));
    Map<String, Double> fp32 = new TreeMap<>();
    Map<String, Double> fp16VsRef = new TreeMap<>();
    Map<String, Double> fp16VsFp32 = new TreeMap<>();
    boolean pass = true;
    int compared = 0;
    try (NDManager m = NDManager.newBaseManager(device, "PyTorch");
        NDManager cpu = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        SafetensorsReader expected = SafetensorsReader.open(dir.resolve("expected.safetensors"))) {
      Map<String, NDArray> got = new LinkedHashMap<>(BackboneParity.compute(dir, m));
      Map<String, NDArray> backbone = new LinkedHashMap<>(got);
      got.putAll(HeadsParity.compute(dir, m));
      for (Map.Entry<String, NDArray> e : got.entrySet()) {
        String name = e.getKey();
        if (!expected.names().contains(name)) {
          continue;
        }
        NDArray want = expected.read(name, cpu, DataType.FLOAT64);
        NDArray have = e.getValue().toDevice(Device.cpu(), false).toType(DataType.FLOAT64, false);
        have.attach(cpu);
        if (!have.getShape().equals(want.getShape())) {
          fp32.put(name, Double.POSITIVE_INFINITY);
          pass = false;
          continue;
        }
        double diff = have.sub(want).abs().max().getDouble();
        fp32.put(name, diff);
        compared++;
        boolean ok = diff <= ATOL;
        if (name.startsWith("grad.")) {
          ok &= diff <= GRAD_RTOL * Math.max(want.abs().max().getDouble(), 1e-30);
        }
        pass &= ok;
      }
      // float16 vision tower on the same device, same fixture weights and images
      JsonObject meta =
          JsonParser.parseString(Files.readString(dir.resolve("meta.json"), StandardCharsets.UTF_8))
              .getAsJsonObject();
      ClipConfig config =
          ClipConfig.fromOpenClipJsonString(meta.getAsJsonObject("clip_config").toString());
      JsonArray lj = meta.getAsJsonArray("out_layers_1_based");
      int[] layers = new int[lj.size()];
      for (int i = 0; i < layers.length; i++) {
        layers[i] = lj.get(i).getAsInt();
      }
      if (device.isGpu()) {
        try (NDManager s = m.newSubManager()) {
          Map<String, NDArray> w = new LinkedHashMap<>();
          try (SafetensorsReader r = SafetensorsReader.open(dir.resolve("clip.safetensors"))) {
            for (String n : r.names()) {
              w.put(n, r.read(n, s, DataType.FLOAT32));
            }
          }
          NDArray images;
          try (SafetensorsReader r = SafetensorsReader.open(dir.resolve("inputs.safetensors"))) {
            images = r.read("images", s, DataType.FLOAT32);
          }
          try (ClipModel half =
              ClipModel.loader()
                  .optDevice(device)
                  .optDataType(DataType.FLOAT16)
                  .fromWeights(config, w)) {
            ClipModel.VisionOutput vo = half.encodeImage(images, layers);
            Map<String, NDArray> h = new LinkedHashMap<>();
            h.put("image.pooled", vo.pooled());
            for (int i = 0; i < layers.length; i++) {
              h.put("image.layer" + layers[i], vo.layers().get(i));
            }
            for (Map.Entry<String, NDArray> e : h.entrySet()) {
              NDArray have =
                  e.getValue().toDevice(Device.cpu(), false).toType(DataType.FLOAT64, false);
              have.attach(cpu);
              NDArray want = expected.read(e.getKey(), cpu, DataType.FLOAT64);
              NDArray f32 =
                  backbone
                      .get(e.getKey())
                      .toDevice(Device.cpu(), false)
                      .toType(DataType.FLOAT64, false);
              f32.attach(cpu);
              double scale = want.abs().max().getDouble();
              fp16VsRef.put(e.getKey(), have.sub(want).abs().max().getDouble());
              fp16VsRef.put(
                  e.getKey() + ".relative_to_max", have.sub(want).abs().max().getDouble() / scale);
              fp16VsFp32.put(e.getKey(), have.sub(f32).abs().max().getDouble());
            }
          }
        }
      }
    }
    row.put("tensors_compared_fp32", compared);
    row.put("fp32_max_abs_diff", fp32);
    row.put("fp32_atol", ATOL);
    row.put("fp32_pass", pass && compared > 0);
    row.put("fp16_vs_reference_max_abs_diff", fp16VsRef);
    row.put("fp16_vs_fp32_max_abs_diff", fp16VsFp32);
    GpuBenchArgs.emit(row);
    if (!(pass && compared > 0)) {
      System.exit(1);
    }
  }
}
