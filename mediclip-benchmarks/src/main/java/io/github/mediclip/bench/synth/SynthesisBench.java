package io.github.mediclip.bench.synth;

import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesisMixture;
import io.github.mediclip.synth.SynthesisStats;
import io.github.mediclip.synth.Synthesizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Bench main: images/s per synthesis task at 224×224 on one thread, and the mask-area percentiles,
 * next to the reference figures (MediCLIP's Python {@code medsyn} tasks, numpy/scipy,
 * brain-MRI-like 224×224 uint8, 500 samples per task, best of two runs).
 *
 * <pre>
 * java -cp ... io.github.mediclip.bench.synth.SynthesisBench [--images DIR] [--count K]
 *     [--samples N] [--runs R] [--size S] [--seed SEED]
 * </pre>
 *
 * Without {@code --images} it uses {@link BrainSlices} (synthetic brain slices); with it, the first
 * K image files of DIR (sorted by name), converted to grey and resized to S×S. Prints one line per
 * task with wall-clock and thread-CPU images/s (best of R runs after a warm-up), the ratio to the
 * reference and the percentile differences, then one JSON line per task.
 */
public final class SynthesisBench {

  /** name, reference images/s, p10, p50, p90, empty share. */
  static final Object[][] REFERENCE = {
    {"CutpasteTask", 72.0, 0.015, 0.053, 0.125, 0.0},
    {"GaussIntensityChangeTask", 32.0, 0.066, 0.154, 0.283, 0.0},
    {"SmoothIntensityTask", 63.0, 0.063, 0.153, 0.271, 0.0},
    {"SourceTask", 320.0, 0.039, 0.081, 0.151, 0.0},
    {"SinkTask", 357.0, 0.037, 0.078, 0.141, 0.0},
    {"IdentityTask", 1362.0, 0.0, 0.0, 0.0, 1.0},
    {"reference mixture", 117.0, 0.0, 0.060, 0.173, 0.22},
  };

  private SynthesisBench() {}

  public static void main(String[] args) throws IOException {
    Path folder = null;
    int count = 8;
    int samples = 500;
    int runs = 2;
    int size = 224;
    long seed = 42;
    List<String> only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--images" -> folder = Path.of(args[++i]);
        case "--count" -> count = Integer.parseInt(args[++i]);
        case "--samples" -> samples = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--tasks" -> only = List.of(args[++i].split(","));
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; use --images DIR --count K --samples N --runs R --size S --seed SEED"
                    + " --tasks NAME,...");
      }
    }
    List<GrayImage> images =
        folder == null ? BrainSlices.generate(count, size, 1) : readFolder(folder, count, size);
    System.out.printf(
        Locale.ROOT,
        "images: %s, %d of %dx%d; %d samples per task, best of %d runs;"
            + " %d available processors%n",
        folder == null ? "synthetic brain slices" : folder,
        images.size(),
        size,
        size,
        samples,
        runs,
        Runtime.getRuntime().availableProcessors());
    Map<String, AnomalySynthesizer> tasks = new LinkedHashMap<>();
    for (String name : Synthesizers.referenceNames()) {
      tasks.put(name, Synthesizers.create(name));
    }
    tasks.put("reference mixture", SynthesisMixture.reference());
    System.out.printf(
        Locale.ROOT,
        "%-26s %10s %10s %8s %8s %8s %7s %7s %7s %7s %19s%n",
        "task",
        "wall img/s",
        "cpu img/s",
        "ref",
        "wall/ref",
        "cpu/ref",
        "p10",
        "p50",
        "p90",
        "empty",
        "Δp10/Δp50/Δp90");
    List<String> json = new ArrayList<>();
    int row = 0;
    for (Map.Entry<String, AnomalySynthesizer> e : tasks.entrySet()) {
      AnomalySynthesizer s = e.getValue();
      Object[] ref = REFERENCE[row++];
      if (only != null && !only.contains(e.getKey())) {
        continue;
      }
      SynthesisStats.measure(s, images, Math.max(50, samples / 2), seed + 1); // warm-up
      SynthesisStats.Stats best = null;
      double bestCpu = 0;
      for (int r = 0; r < runs; r++) {
        SynthesisStats.Stats st = SynthesisStats.measure(s, images, samples, seed);
        if (best == null || st.imagesPerSecond() > best.imagesPerSecond()) {
          best = st;
        }
        bestCpu = Math.max(bestCpu, st.cpuImagesPerSecond());
      }
      double refRate = (double) ref[1];
      System.out.printf(
          Locale.ROOT,
          "%-26s %10.0f %10.0f %8.0f %7.1fx %7.1fx %7.3f %7.3f %7.3f %6.0f%% %+6.3f/%+6.3f/%+6.3f%n",
          e.getKey(),
          best.imagesPerSecond(),
          bestCpu,
          refRate,
          best.imagesPerSecond() / refRate,
          bestCpu / refRate,
          best.p10(),
          best.p50(),
          best.p90(),
          best.emptyShare() * 100,
          best.p10() - (double) ref[2],
          best.p50() - (double) ref[3],
          best.p90() - (double) ref[4]);
      json.add(
          "{\"task\":\""
              + e.getKey()
              + "\",\"bestCpuImagesPerSecond\":"
              + String.format(Locale.ROOT, "%.1f", bestCpu)
              + ",\"stats\":"
              + best.toJson()
              + "}");
    }
    json.forEach(System.out::println);
  }

  static List<GrayImage> readFolder(Path folder, int count, int size) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files =
          s.filter(
                  p ->
                      p.getFileName()
                          .toString()
                          .toLowerCase(Locale.ROOT)
                          .matches(".*\\.(png|jpe?g|bmp|gif|tiff?)$"))
              .sorted()
              .limit(count)
              .collect(Collectors.toList());
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no image files in " + folder);
    }
    List<GrayImage> out = new ArrayList<>();
    for (Path f : files) {
      out.add(GrayImage.read(f).resize(size, size));
    }
    return out;
  }
}
