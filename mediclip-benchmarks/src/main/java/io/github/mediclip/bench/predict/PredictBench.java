package io.github.mediclip.bench.predict;

import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.FitListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prediction throughput and native-memory stability of {@link MediClipDetector} (not a unit test).
 *
 * <p>For each preset: trains a detector for one epoch on a random backbone (weights are random: the
 * numbers measure speed, not accuracy), then measures predictions/s at batch 1 ({@code predict})
 * and batch 8 ({@code predictBatch}), and the resident set size (VmRSS of /proc/self/status) after
 * {@code n1} and after {@code n2} single predictions: equal RSS means no native leak per call.
 *
 * <p>Usage: {@code java -cp mediclip-benchmarks.jar io.github.mediclip.bench.predict.PredictBench
 * [preset=tiny] [n1=500] [n2=5000] [seconds=10]}, e.g. {@code PredictBench ViT-B-16 20 100 30}.
 */
public final class PredictBench {

  private PredictBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args preset, n1, n2, seconds per throughput measurement
   */
  public static void main(String[] args) throws Exception {
    String preset = args.length > 0 ? args[0] : "tiny";
    int n1 = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int n2 = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
    double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 10;
    int size = "tiny".equals(preset) ? 64 : 224;
    List<GrayImage> images = slices(10, size, 3);
    MediClip mc =
        MediClip.builder()
            .setRandomBackbone(preset, 1)
            .optEpochs(1)
            .optBatchSize(2)
            .optShots(2)
            .optValidationAnomalies(2)
            .optDevice(MediClip.defaultDevice())
            .optListener(FitListener.silent())
            .build();
    long t0 = System.nanoTime();
    try (MediClipDetector d = mc.fitGray(images.subList(0, 3))) {
      System.out.printf(
          Locale.ROOT,
          "preset %s, image %d px, device %s, setup+1 epoch %.1f s%n",
          preset,
          size,
          d.backbone().device(),
          (System.nanoTime() - t0) / 1e9);
      List<BufferedImage> inputs = new ArrayList<>();
      for (GrayImage g : images) {
        inputs.add(g.toBufferedImage());
      }
      for (int i = 0; i < 5; i++) {
        d.predict(inputs.get(i % inputs.size()));
      }
      double b1 = throughput(d, inputs, 1, seconds);
      double b8 = throughput(d, inputs, 8, seconds);
      System.out.printf(Locale.ROOT, "batch 1: %.2f predictions/s%n", b1);
      System.out.printf(Locale.ROOT, "batch 8: %.2f predictions/s%n", b8);

      long start = System.nanoTime();
      double checksum = 0;
      for (int i = 0; i < n2; i++) {
        Prediction p = d.predict(inputs.get(i % inputs.size()));
        checksum += p.score();
        if (i + 1 == n1) {
          System.gc();
          System.out.printf(
              Locale.ROOT,
              "after %d predictions: VmRSS %d KiB (heap used %d MiB)%n",
              n1,
              rssKiB(),
              usedHeapMiB());
        }
      }
      System.gc();
      long rss2 = rssKiB();
      System.out.printf(
          Locale.ROOT,
          "after %d predictions: VmRSS %d KiB (heap used %d MiB)%n",
          n2,
          rss2,
          usedHeapMiB());
      System.out.printf(
          Locale.ROOT,
          "leak loop: %.2f predictions/s, checksum %.6f%n",
          n2 / ((System.nanoTime() - start) / 1e9),
          checksum);
    }
  }

  private static double throughput(
      MediClipDetector d, List<BufferedImage> inputs, int batch, double seconds) {
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long n = 0;
    int i = 0;
    do {
      if (batch == 1) {
        d.predict(inputs.get(i++ % inputs.size()));
        n++;
      } else {
        List<BufferedImage> b = new ArrayList<>(batch);
        for (int j = 0; j < batch; j++) {
          b.add(inputs.get(i++ % inputs.size()));
        }
        n += d.predictBatch(b).size();
      }
    } while (System.nanoTime() < deadline);
    return n / ((System.nanoTime() - start) / 1e9);
  }

  static long rssKiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static long usedHeapMiB() {
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) >> 20;
  }

  /** Brain-slice-like images: a bright ring, textured inside, on black. */
  static List<GrayImage> slices(int n, int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<GrayImage> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      float[] px = new float[size * size];
      double c = size / 2.0 + r.nextDouble(-2, 2);
      double a = size * r.nextDouble(0.36, 0.44);
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          double d = Math.hypot((x - c) / a, (y - c) / (a * 1.1));
          px[y * size + x] =
              d < 0.85
                  ? (float) (120 + 30 * Math.sin(x * 0.3) * Math.cos(y * 0.2))
                  : d < 1 ? 220f : 0f;
        }
      }
      out.add(GrayImage.of(size, size, px));
    }
    return out;
  }
}
