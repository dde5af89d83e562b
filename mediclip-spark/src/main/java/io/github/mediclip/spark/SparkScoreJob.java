package io.github.mediclip.spark;

import com.google.gson.GsonBuilder;
import io.github.mediclip.eval.metrics.Metrics;
import io.github.mediclip.spark.internal.JobOptions;
import io.github.mediclip.spark.internal.Messages;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The {@code spark-score} job: scores every image under a folder or glob with {@link
 * MediClipScorer}, writes the scored rows (Parquet or CSV, without the image bytes), and prints one
 * final JSON line: {@code images}, {@code errors}, {@code seconds}, {@code images_per_s}, the
 * detector loads, and, when labels are derived ({@code --labels folder}), the exact image AUROC and
 * average precision over the scored images.
 *
 * <p>Run it with {@code spark-submit --class io.github.mediclip.spark.SparkScoreJob
 * mediclip-spark-job.jar --model BUNDLE --input DIR --output DIR}, or as {@code mediclip
 * spark-score} when Spark's jars are on the class path. Exit codes as the {@code mediclip} tool: 0
 * success, 1 failure (one line {@code mediclip: <reason>} on standard error), 2 usage error.
 */
public final class SparkScoreJob {

  /**
   * Runs the job and exits the JVM with its exit code.
   *
   * @param args command-line arguments (see {@code --help})
   */
  public static void main(String[] args) {
    System.exit(
        run(
            args,
            new PrintWriter(System.out, true, java.nio.charset.Charset.defaultCharset()),
            new PrintWriter(System.err, true, java.nio.charset.Charset.defaultCharset())));
  }

  /**
   * Runs the job in this JVM.
   *
   * @param args command-line arguments (see {@code --help})
   * @param out receives the JSON summary line
   * @param err receives the one-line failure reason
   * @return 0 on success, 1 on a failure, 2 on a usage error
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    JobOptions o;
    try {
      o = JobOptions.parse(args);
    } catch (JobOptions.UsageException e) {
      err.println("mediclip: " + e.getMessage() + " (see 'mediclip spark-score --help')");
      err.flush();
      return 2;
    }
    if (o == null) {
      out.println(JobOptions.USAGE);
      return 0;
    }
    try {
      Map<String, Object> summary = score(o);
      out.println(new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(summary));
      out.flush();
      return 0;
    } catch (RuntimeException e) {
      err.println("mediclip: " + Messages.oneLine(e));
      if (Boolean.getBoolean("mediclip.debug")) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
  }

  private static Map<String, Object> score(JobOptions o) {
    boolean created =
        SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
    SparkSession.Builder b = SparkSession.builder().appName("mediclip spark-score");
    if (o.master != null) {
      b = b.master(o.master);
    }
    SparkSession spark = b.getOrCreate();
    try {
      return score(spark, o);
    } finally {
      if (created) {
        spark.stop();
      }
    }
  }

  private static Map<String, Object> score(SparkSession spark, JobOptions o) {
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(o.output);
    try {
      if (out.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(out)) {
        throw new IllegalArgumentException(
            "output " + o.output + " already exists; choose a new folder (nothing is overwritten)");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot check output " + o.output + ": " + e.getMessage(), e);
    }
    int threads = o.torchThreads != null ? o.torchThreads : defaultTorchThreads(spark);
    MediClipScorer scorer =
        new MediClipScorer()
            .setBundle(o.model)
            .setBackbone(o.backbone)
            .setBatchSize(o.batchSize)
            .setDevice(o.device)
            .setTorchThreads(threads)
            .setOverlayDir(o.overlays);
    long t0 = System.nanoTime();
    Dataset<Row> files =
        spark
            .read()
            .format("binaryFile")
            .option("recursiveFileLookup", "true")
            .option("pathGlobFilter", o.globFilter)
            .load(o.input)
            .select("path", "content");
    if (o.partitions > 0) {
      files = files.repartition(o.partitions);
    }
    MediClipScorer.Scored scored = scorer.score(files);
    Dataset<Row> rows = scored.rows().drop("content");
    boolean labelled = o.labels.equals("folder");
    if (labelled) {
      rows = rows.withColumn("label", folderLabel(functions.col("path")));
    }
    var writer = rows.write().mode(SaveMode.ErrorIfExists).format(o.format);
    if (o.format.equals("csv")) {
      writer = writer.option("header", "true");
    }
    writer.save(o.output);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long images = scored.images().value();
    long errors = scored.errors().value();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("images", images);
    s.put("errors", errors);
    s.put("seconds", round(seconds));
    s.put("images_per_s", round(images / seconds));
    List<String> loads = new ArrayList<>(scored.detectorLoads().value());
    Set<String> jvms = new LinkedHashSet<>();
    double loadSeconds = 0;
    for (String l : loads) {
      for (String part : l.split(" ")) {
        if (part.startsWith("jvm=")) {
          jvms.add(part.substring(4));
        } else if (part.startsWith("seconds=")) {
          loadSeconds = Math.max(loadSeconds, Double.parseDouble(part.substring(8)));
        }
      }
    }
    s.put("detector_loads", loads.size());
    s.put("detector_jvms", jvms.size());
    s.put("max_detector_load_seconds", round(loadSeconds));
    s.put("output", o.output);
    s.put("format", o.format);
    if (labelled) {
      addMetrics(spark, o, s);
    }
    return s;
  }

  /**
   * Reads the written scores back (two small columns) and computes the exact metrics on the driver.
   */
  private static void addMetrics(SparkSession spark, JobOptions o, Map<String, Object> s) {
    var reader = spark.read().format(o.format);
    if (o.format.equals("csv")) {
      reader =
          reader
              .option("header", "true")
              .schema(
                  "path string, score double, normalized_score double, anomalous int,"
                      + (o.overlays.isEmpty() ? "" : " overlay_path string,")
                      + " error string, label int");
    }
    List<Row> rows =
        reader
            .load(o.output)
            .where(functions.col("label").isNotNull().and(functions.col("score").isNotNull()))
            .select("score", "label")
            .collectAsList();
    double[] scores = new double[rows.size()];
    int[] labels = new int[rows.size()];
    int positives = 0;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = rows.get(i).getDouble(0);
      labels[i] = rows.get(i).getInt(1);
      positives += labels[i];
    }
    s.put("labelled", scores.length);
    s.put("positives", positives);
    if (positives > 0 && positives < scores.length) {
      s.put("image_auroc", Metrics.auroc(scores, labels));
      s.put("image_ap", Metrics.averagePrecision(scores, labels));
    } else {
      s.put("image_auroc", null);
      s.put("image_ap", null);
    }
  }

  /**
   * 0 for a parent folder named normal or good, 1 for abnormal / anomalous / anomaly, else null.
   */
  static Column folderLabel(Column path) {
    Column parent = functions.lower(functions.element_at(functions.split(path, "/"), -2));
    return functions
        .when(parent.isin("normal", "good"), functions.lit(0))
        .when(parent.isin("abnormal", "anomalous", "anomaly"), functions.lit(1))
        .otherwise(functions.lit(null).cast(DataTypes.IntegerType));
  }

  /**
   * Threads per task: an executor runs {@code executor.cores / task.cpus} tasks at once, and they
   * share one detector; libtorch's default (all cores of the machine) in every task oversubscribes
   * the cores.
   */
  private static int defaultTorchThreads(SparkSession spark) {
    var conf = spark.sparkContext().getConf();
    return conf.getInt("spark.task.cpus", 1);
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
