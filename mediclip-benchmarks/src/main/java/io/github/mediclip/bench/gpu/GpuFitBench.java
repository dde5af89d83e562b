package io.github.mediclip.bench.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.bench.BenchArgs;
import io.github.mediclip.bench.train.TrainStepBench;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.FitListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Wall time of one full few-shot fit through {@code MediClip.builder()} on a random backbone (the
 * values do not matter for timing), then memory stability over many single predictions with the
 * fitted detector.
 *
 * <p>Defaults are the paper protocol at k = 16: ViT-L-14 at 224 px, 200 epochs, batch 8, the
 * default reference synthesis and per-epoch validation on the normals left over after drawing k (24
 * phantom slices are given, so 8 are held out) plus synthesized anomalies; {@code --mixed-precision
 * true} (the library default) runs the frozen backbone in float16 on a GPU.
 *
 * <p>Usage: {@code GpuFitBench [--model ViT-L-14] [--device gpu] [--shots 16] [--normals 24]
 * [--epochs 200] [--batch 8] [--mixed-precision true] [--predictions 2000] [--samples 5]}. Prints
 * {@code RESULT {json}} lines: the fit (wall seconds, steps, epochs, memory after) and the
 * prediction run (predictions/s and the memory in use after each fifth of the predictions; growth =
 * last minus first sample).
 */
public final class GpuFitBench {

  private GpuFitBench() {}

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
            "shots",
            "16",
            "normals",
            "24",
            "epochs",
            "200",
            "batch",
            "8",
            "mixed-precision",
            "true",
            "predictions",
            "2000",
            "samples",
            "5");
    String model = a.get("model");
    Device device = GpuBenchArgs.device(a.get("device"));
    int shots = Integer.parseInt(a.get("shots"));
    int epochs = Integer.parseInt(a.get("epochs"));
    int batch = Integer.parseInt(a.get("batch"));
    boolean mixed = Boolean.parseBoolean(a.get("mixed-precision"));
    int predictions = Integer.parseInt(a.get("predictions"));
    int samples = Math.max(2, Integer.parseInt(a.get("samples")));
    int size = model.equals("tiny") ? 64 : 224;
    SplittableRandom root = new SplittableRandom(7);
    List<GrayImage> normals = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(a.get("normals")); i++) {
      normals.add(TrainStepBench.phantom(root.split(), size));
    }
    Engine engine = Engine.getEngine("PyTorch");
    System.out.printf(
        Locale.ROOT,
        "engine %s %s, device %s, model %s, k %d of %d normals, %d epochs, batch %d,"
            + " mixed precision %s%n",
        engine.getEngineName(),
        engine.getVersion(),
        device,
        model,
        shots,
        normals.size(),
        epochs,
        batch,
        mixed);
    int[] steps = new int[1];
    int[] epochsRun = new int[1];
    long[] fitStart = new long[1];
    FitListener counter =
        new FitListener() {
          @Override
          public boolean onStep(int epoch, int step, double loss) {
            steps[0]++;
            return true;
          }

          @Override
          public boolean onEpochEnd(int epoch, double trainLoss, Map<String, Double> metrics) {
            epochsRun[0] = epoch;
            // progress for a run cut short by its timeout: the collector keeps the last line
            System.out.printf(
                Locale.ROOT,
                "PROGRESS epoch %d steps %d elapsed %.1f s%n",
                epoch,
                steps[0],
                (System.nanoTime() - fitStart[0]) / 1e9);
            return true;
          }
        };
    MediClip mc =
        MediClip.builder()
            .setRandomBackbone(model, 1)
            .optDevice(device)
            .optShots(shots)
            .optEpochs(epochs)
            .optBatchSize(batch)
            .optMixedPrecision(mixed)
            .optListener(counter)
            .build();
    Map<String, Object> fit = new LinkedHashMap<>();
    fit.put("bench", "fit");
    fit.put("model", model);
    fit.put("device", device.toString());
    fit.put("image_size", size);
    fit.put("shots", shots);
    fit.put("normals_given", normals.size());
    fit.put("epochs", epochs);
    fit.put("batch", batch);
    fit.put("mixed_precision", mixed);
    long t0 = System.nanoTime();
    fitStart[0] = t0;
    try (MediClipDetector d = mc.fitGray(normals)) {
      double fitSeconds = (System.nanoTime() - t0) / 1e9;
      fit.put("wall_s", fitSeconds);
      fit.put("steps", steps[0]);
      fit.put("epochs_run", epochsRun[0]);
      fit.put("ms_per_step_incl_validation", 1e3 * fitSeconds / Math.max(1, steps[0]));
      fit.put("device_memory_after", GpuBenchArgs.deviceMemory(device));
      GpuBenchArgs.emit(fit);

      Map<String, Object> pr = new LinkedHashMap<>();
      pr.put("bench", "predict_memory");
      pr.put("model", model);
      pr.put("device", device.toString());
      pr.put("predictions", predictions);
      List<Map<String, Object>> trace = new ArrayList<>();
      double checksum = 0;
      long p0 = System.nanoTime();
      int every = Math.max(1, predictions / samples);
      for (int i = 1; i <= predictions; i++) {
        Prediction p = d.predict(normals.get(i % normals.size()));
        checksum += p.score();
        if (i % every == 0 || i == predictions) {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("after", i);
          s.putAll(GpuBenchArgs.deviceMemory(device));
          trace.add(s);
        }
      }
      double seconds = (System.nanoTime() - p0) / 1e9;
      pr.put("predictions_per_s", predictions / seconds);
      pr.put("score_sum", checksum);
      pr.put("memory_trace", trace);
      Map<String, Object> first = trace.get(0);
      Map<String, Object> last = trace.get(trace.size() - 1);
      if (first.get("gpu_used_mib") instanceof Double f
          && last.get("gpu_used_mib") instanceof Double l) {
        pr.put("gpu_used_growth_mib", l - f);
      }
      pr.put("rss_growth_mib", (Double) last.get("rss_mib") - (Double) first.get("rss_mib"));
      GpuBenchArgs.emit(pr);
    } catch (RuntimeException | OutOfMemoryError e) {
      fit.put("error", e.toString());
      fit.put("wall_s_until_error", (System.nanoTime() - t0) / 1e9);
      GpuBenchArgs.emit(fit);
      throw e;
    }
  }
}
