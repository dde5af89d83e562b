package io.github.mediclip.spark;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.Prediction;
import io.github.mediclip.eval.metrics.Metrics;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Java half of {@code .ci/spark-cluster-check}, which starts a standalone Spark cluster (a
 * Master and two Workers on 127.0.0.1) and submits the spark-score job jar to it.
 *
 * <ul>
 *   <li>{@code prepare DIR}: writes the test fixture ({@link SparkFixture}: phantom slices, three
 *       corrupt files, a tiny detector bundle) and {@code DIR/reference.tsv}, the scores of {@link
 *       io.github.mediclip.MediClipDetector#predict(Path)} in this one JVM.
 *   <li>{@code verify DIR OUTPUT SUMMARY_JSON EXECUTORS}: checks the job's written rows (Parquet)
 *       against the reference bit for bit, joined by path; the corrupt files' error rows; the
 *       summary line (images, errors, detector loads = number of executor JVMs, exact AUROC / AP).
 *       Exits 1 naming the first difference.
 * </ul>
 */
public final class ClusterCheck {

  private ClusterCheck() {}

  /**
   * Runs {@code prepare} or {@code verify}.
   *
   * @param args the mode and its arguments
   * @throws Exception on any failure (the check fails)
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("prepare")) {
      prepare(Paths.get(args[1]));
    } else if (args.length == 5 && args[0].equals("verify")) {
      List<String> problems =
          verify(Paths.get(args[1]), args[2], Paths.get(args[3]), Integer.parseInt(args[4]));
      if (!problems.isEmpty()) {
        problems.stream().limit(20).forEach(p -> System.err.println("spark-cluster-check: " + p));
        System.exit(1);
      }
    } else if (args.length == 5 && args[0].equals("prepare-bench")) {
      prepareBench(
          Paths.get(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    } else if (args.length == 3 && args[0].equals("single")) {
      single(Paths.get(args[1]), Integer.parseInt(args[2]));
    } else if (args.length == 2 && args[0].equals("report")) {
      BenchReport.print(Paths.get(args[1]), System.out);
    } else {
      System.err.println(
          "usage: ClusterCheck prepare DIR | verify DIR OUTPUT SUMMARY_JSON EXECUTORS"
              + " | prepare-bench DIR PRESET IMAGES SIZE | single DIR BATCH | report BENCH_DIR");
      System.exit(2);
    }
  }

  static void prepare(Path dir) throws IOException {
    SparkFixture fx = new SparkFixture(dir);
    StringBuilder tsv = new StringBuilder();
    for (Map.Entry<Path, Prediction> e : fx.reference.entrySet()) {
      Prediction p = e.getValue();
      tsv.append(e.getKey())
          .append('\t')
          .append(Long.toHexString(Double.doubleToRawLongBits(p.score())))
          .append('\t')
          .append(Long.toHexString(Double.doubleToRawLongBits(p.normalizedScore())))
          .append('\t')
          .append(p.anomalous() ? 1 : 0)
          .append('\t')
          .append(fx.truth.get(e.getKey()))
          .append('\n');
    }
    Files.writeString(dir.resolve("reference.tsv"), tsv.toString(), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("fixture.env"),
        "bundle=" + fx.bundle + "\ninput=" + fx.testDir + "\nimages=" + fx.images() + "\n",
        StandardCharsets.UTF_8);
  }

  /**
   * Benchmark fixture: {@code images} phantom slices of {@code size} px and a detector on a random
   * {@code preset} backbone (one epoch on two shots: random weights measure speed, not accuracy).
   */
  static void prepareBench(Path dir, String preset, int images, int size) throws IOException {
    io.github.mediclip.eval.phantom.PhantomDataset.generate(
        dir.resolve("phantom"), 2, images / 2, images - images / 2, size, 5);
    List<Path> normals;
    try (java.util.stream.Stream<Path> st = Files.list(dir.resolve("phantom/train/normal"))) {
      normals = st.sorted().collect(java.util.stream.Collectors.toList());
    }
    Path bundle = dir.resolve("detector.zip");
    try (io.github.mediclip.MediClipDetector d =
        io.github.mediclip.MediClip.builder()
            .setRandomBackbone(preset, 1)
            .optImageSize(size)
            .optEpochs(1)
            .optBatchSize(2)
            .optShots(2)
            .optValidationAnomalies(2)
            .optDevice(ai.djl.Device.cpu())
            .optListener(new io.github.mediclip.train.FitListener() {})
            .build()
            .fit(normals)) {
      d.save(bundle);
    }
    Files.writeString(
        dir.resolve("fixture.env"),
        "bundle=" + bundle + "\ninput=" + dir.resolve("phantom/test") + "\nimages=" + images + "\n",
        StandardCharsets.UTF_8);
  }

  /**
   * The single-JVM baseline: loads the bundle (timed), then reads, decodes and scores every test
   * image in a plain loop, {@code batch} images per forward pass; prints one JSON line.
   */
  static void single(Path dir, int batch) throws IOException {
    List<Path> files;
    try (java.util.stream.Stream<Path> st = Files.walk(dir.resolve("phantom/test"))) {
      files =
          st.filter(f -> f.toString().endsWith(".png"))
              .sorted()
              .collect(java.util.stream.Collectors.toList());
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long t0 = System.nanoTime();
    try (io.github.mediclip.MediClipDetector d =
        io.github.mediclip.MediClip.loader()
            .optDevice(ai.djl.Device.cpu())
            .load(dir.resolve("detector.zip"))) {
      double load = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      long cpu1 = os.getProcessCpuTime();
      java.lang.management.ThreadMXBean tmx =
          java.lang.management.ManagementFactory.getThreadMXBean();
      long threadCpu1 = tmx.getCurrentThreadCpuTime();
      double checksum = 0;
      for (int i = 0; i < files.size(); i += batch) {
        List<io.github.mediclip.synth.GrayImage> b = new ArrayList<>();
        for (Path f : files.subList(i, Math.min(files.size(), i + batch))) {
          b.add(io.github.mediclip.MediClipDetector.readImage(Files.readAllBytes(f), f.toString()));
        }
        for (Prediction p : d.predictGray(b)) {
          checksum += p.score();
        }
      }
      double seconds = (System.nanoTime() - t1) / 1e9;
      double loopCpu = (os.getProcessCpuTime() - cpu1) / 1e9;
      // the loop's own thread: decoding, and with 1 torch thread all of libtorch's work too
      double loopThreadCpu = (tmx.getCurrentThreadCpuTime() - threadCpu1) / 1e9;
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"mode\":\"single\",\"threads\":\"%s\",\"images\":%d,\"seconds\":%.3f,"
                  + "\"images_per_s\":%.3f,\"load_seconds\":%.3f,\"loop_cpu_seconds\":%.3f,"
                  + "\"loop_thread_cpu_seconds\":%.3f,\"checksum\":%.6f}",
              System.getProperty("ai.djl.pytorch.num_threads", "default"),
              files.size(),
              seconds,
              files.size() / seconds,
              load,
              loopCpu,
              loopThreadCpu,
              checksum));
    }
  }

  static List<String> verify(Path dir, String output, Path summaryFile, int executors)
      throws IOException {
    List<String> problems = new ArrayList<>();
    Map<Path, String[]> ref = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("reference.tsv"))) {
      String[] f = line.split("\t");
      ref.put(Paths.get(f[0]), f);
    }
    List<String> lines = Files.readAllLines(summaryFile);
    JsonObject s = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
    int images = ref.size() + SparkFixture.CORRUPT.size();
    expect(problems, "images", s.get("images").getAsLong(), images);
    expect(problems, "errors", s.get("errors").getAsLong(), SparkFixture.CORRUPT.size());
    expect(problems, "detector_jvms", s.get("detector_jvms").getAsLong(), executors);
    expect(problems, "detector_loads", s.get("detector_loads").getAsLong(), executors);
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("spark-cluster-check verify")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      List<Row> rows = spark.read().parquet(output).collectAsList();
      expect(problems, "rows written", rows.size(), images);
      Map<Path, Row> byPath = new HashMap<>();
      for (Row r : rows) {
        byPath.put(Paths.get(URI.create(r.getAs("path"))).toAbsolutePath().normalize(), r);
      }
      int errorRows = 0;
      double[] scores = new double[ref.size()];
      int[] labels = new int[ref.size()];
      int i = 0;
      for (Map.Entry<Path, String[]> e : ref.entrySet()) {
        Row r = byPath.get(e.getKey());
        if (r == null) {
          problems.add("no row for " + e.getKey());
          continue;
        }
        String[] f = e.getValue();
        Double score = r.getAs("score");
        Double norm = r.getAs("normalized_score");
        if (score == null || !Long.toHexString(Double.doubleToRawLongBits(score)).equals(f[1])) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "score of %s: cluster %s, single JVM %s (error: %s)",
                  e.getKey(),
                  score,
                  Double.longBitsToDouble(Long.parseUnsignedLong(f[1], 16)),
                  r.<String>getAs("error")));
        }
        if (norm == null || !Long.toHexString(Double.doubleToRawLongBits(norm)).equals(f[2])) {
          problems.add("normalized score of " + e.getKey() + " differs: " + norm);
        }
        Integer anomalous = r.getAs("anomalous");
        if (anomalous == null || anomalous != Integer.parseInt(f[3])) {
          problems.add("predicted label of " + e.getKey() + " differs: " + anomalous);
        }
        Integer label = r.getAs("label");
        if (label == null || label != Integer.parseInt(f[4])) {
          problems.add("label of " + e.getKey() + " differs: " + label);
        }
        scores[i] = Double.longBitsToDouble(Long.parseUnsignedLong(f[1], 16));
        labels[i++] = Integer.parseInt(f[4]);
      }
      for (Row r : rows) {
        if (r.getAs("error") != null) {
          errorRows++;
        }
      }
      expect(problems, "error rows written", errorRows, SparkFixture.CORRUPT.size());
      for (String c : SparkFixture.CORRUPT) {
        Path p = dir.resolve("phantom/test").resolve(c).toAbsolutePath().normalize();
        Row r = byPath.get(p);
        if (r == null
            || r.getAs("score") != null
            || r.<String>getAs("error") == null
            || !r.<String>getAs("error").startsWith("cannot read image ")) {
          problems.add("corrupt " + c + " has no error row: " + r);
        }
      }
      if (s.get("image_auroc") == null
          || s.get("image_auroc").getAsDouble() != Metrics.auroc(scores, labels)) {
        problems.add(
            "image_auroc " + s.get("image_auroc") + " != " + Metrics.auroc(scores, labels));
      }
      if (s.get("image_ap") == null
          || s.get("image_ap").getAsDouble() != Metrics.averagePrecision(scores, labels)) {
        problems.add(
            "image_ap " + s.get("image_ap") + " != " + Metrics.averagePrecision(scores, labels));
      }
    } finally {
      spark.stop();
    }
    if (problems.isEmpty()) {
      System.out.println(
          "spark-cluster-check: "
              + images
              + " rows, "
              + ref.size()
              + " scores bit-identical to the single-JVM predict, "
              + SparkFixture.CORRUPT.size()
              + " error rows, detector loaded once in each of "
              + executors
              + " executor JVMs");
    }
    return problems;
  }

  private static void expect(List<String> problems, String what, long actual, long expected) {
    if (actual != expected) {
      problems.add(what + ": expected " + expected + ", got " + actual);
    }
  }
}
