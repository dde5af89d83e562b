package io.github.mediclip.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.Prediction;
import io.github.mediclip.eval.metrics.Metrics;
import io.github.mediclip.spark.internal.DetectorCache;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer and the spark-score job in local mode ({@code local[2]}: two task threads in this JVM,
 * the one executor): about 200 phantom slices, three of them corrupt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MediClipScorerTest {

  @TempDir static Path tmp;
  SparkFixture fx;
  SparkSession spark;

  @BeforeAll
  void setUp() throws Exception {
    fx = new SparkFixture(tmp);
    long testBytes;
    try (Stream<Path> files = Files.walk(fx.testDir)) {
      testBytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("MediClipScorerTest")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            // about eight partitions of ~25 files, so that both task threads share the one detector
            // (files counted by their size: the default 4 MB open cost per file and a small split
            // size made one task per file, and 200 tasks per scoring pass cost most of the test)
            .config("spark.sql.files.openCostInBytes", "0")
            .config("spark.sql.files.maxPartitionBytes", Long.toString(testBytes / 8 + 1))
            .getOrCreate();
  }

  @AfterAll
  void tearDown() {
    if (spark != null) {
      spark.stop();
    }
  }

  private Dataset<Row> binaryFiles() {
    return spark
        .read()
        .format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(fx.testDir.toString());
  }

  private static Path local(String uri) {
    return Paths.get(URI.create(uri)).toAbsolutePath().normalize();
  }

  /**
   * Checks every row against the single-JVM reference, joined by path; returns the rows by path.
   */
  private Map<Path, Row> checkAgainstReference(List<Row> rows) {
    Map<Path, Row> byPath = new HashMap<>();
    for (Row r : rows) {
      byPath.put(local(r.getAs("path")), r);
    }
    assertThat(byPath).hasSize(fx.images());
    for (Map.Entry<Path, Prediction> e : fx.reference.entrySet()) {
      Row r = byPath.get(e.getKey());
      assertThat(r).as("row for %s", e.getKey()).isNotNull();
      assertThat((String) r.getAs("error")).as("error of %s", e.getKey()).isNull();
      // bit-identical: compare the raw bits, not within a tolerance
      assertThat(Double.doubleToRawLongBits(r.<Double>getAs("score")))
          .as("score of %s", e.getKey())
          .isEqualTo(Double.doubleToRawLongBits(e.getValue().score()));
      assertThat(Double.doubleToRawLongBits(r.<Double>getAs("normalized_score")))
          .isEqualTo(Double.doubleToRawLongBits(e.getValue().normalizedScore()));
      assertThat(r.<Integer>getAs("anomalous")).isEqualTo(e.getValue().anomalous() ? 1 : 0);
    }
    for (String c : SparkFixture.CORRUPT) {
      Path p = fx.testDir.resolve(c).toAbsolutePath().normalize();
      Row r = byPath.get(p);
      assertThat(r).as("row for corrupt %s", c).isNotNull();
      assertThat(r.<Double>getAs("score")).isNull();
      assertThat(r.<Double>getAs("normalized_score")).isNull();
      assertThat(r.<Integer>getAs("anomalous")).isNull();
      String error = r.getAs("error");
      assertThat(error).startsWith("cannot read image ").contains(p.getFileName().toString());
      assertThat(error).doesNotContain("\n");
    }
    return byPath;
  }

  @Test
  void binaryFileContentScoresBitIdenticalToSingleJvmPredictAndCorruptFilesGiveErrorRows() {
    Dataset<Row> files = binaryFiles();
    // several partitions per task thread: the detector is shared across partitions and threads
    assertThat(files.rdd().getNumPartitions()).isBetween(4, 16);
    // batch size 1 (the default): one forward pass per image, as MediClipDetector.predict
    MediClipScorer.Scored scored =
        new MediClipScorer().setBundle(fx.bundle.toString()).score(files);
    List<Row> rows = scored.rows().drop("content").collectAsList();
    Map<Path, Row> byPath = checkAgainstReference(rows);
    assertThat(
            byPath
                .get(fx.testDir.resolve(SparkFixture.CORRUPT.get(0)).toAbsolutePath().normalize())
                .<String>getAs("error"))
        .contains(": not an image format that ImageIO can decode");
    assertThat(
            byPath
                .get(fx.testDir.resolve(SparkFixture.CORRUPT.get(1)).toAbsolutePath().normalize())
                .<String>getAs("error"))
        .contains(": corrupt or truncated image (");
    assertThat(scored.images().value()).isEqualTo((long) fx.images());
    assertThat(scored.errors().value()).isEqualTo(3L);
    // local mode: the driver JVM is the only executor JVM, and it loaded this bundle exactly once,
    // however many partitions and task threads used it
    assertThat(MediClipScorer.detectorLoadsInThisJvm(scored.bundleSha256())).isEqualTo(1);
    for (String load : scored.detectorLoads().value()) {
      assertThat(load).startsWith("jvm=" + DetectorCache.jvmId() + " ");
    }
  }

  /**
   * With batchSize 4 a batch is one forward pass over 4 consecutive rows of a partition: the scores
   * are bit-identical to {@code predictGray} of the same 4 images in one JVM. (They are not always
   * bit-identical to the one-image {@code predict}: libtorch may round differently at another batch
   * size.) The partitions hold 24 consecutive images each, so the batches are known.
   */
  @Test
  void batchesAreOneForwardPassBitIdenticalToPredictGrayOfTheSameImages() throws Exception {
    List<Row> in = new ArrayList<>();
    for (Path p : fx.batchReference.keySet()) {
      in.add(org.apache.spark.sql.RowFactory.create(p.toUri().toString(), Files.readAllBytes(p)));
    }
    org.apache.spark.sql.types.StructType schema =
        new org.apache.spark.sql.types.StructType()
            .add("path", org.apache.spark.sql.types.DataTypes.StringType)
            .add("content", org.apache.spark.sql.types.DataTypes.BinaryType);
    int slices = 8; // 192 / 8 = 24 images per partition, a multiple of the batch size
    Dataset<Row> files =
        spark.createDataFrame(
            new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                .parallelize(in, slices),
            schema);
    MediClipScorer.Scored scored =
        new MediClipScorer()
            .setBundle(fx.bundle.toString())
            .setBatchSize(SparkFixture.BATCH)
            .score(files);
    List<Row> rows = scored.rows().drop("content").collectAsList();
    assertThat(rows).hasSize(SparkFixture.BATCH_IMAGES);
    for (Row r : rows) {
      Path p = local(r.getAs("path"));
      Prediction ref = fx.batchReference.get(p);
      assertThat(ref).as("reference for %s", p).isNotNull();
      assertThat((String) r.getAs("error")).isNull();
      assertThat(Double.doubleToRawLongBits(r.<Double>getAs("score")))
          .as("score of %s", p)
          .isEqualTo(Double.doubleToRawLongBits(ref.score()));
      assertThat(Double.doubleToRawLongBits(r.<Double>getAs("normalized_score")))
          .isEqualTo(Double.doubleToRawLongBits(ref.normalizedScore()));
      assertThat(r.<Integer>getAs("anomalous")).isEqualTo(ref.anomalous() ? 1 : 0);
    }
    assertThat(scored.errors().value()).isZero();
    assertThat(MediClipScorer.detectorLoadsInThisJvm(scored.bundleSha256())).isEqualTo(1);
  }

  @Test
  void pathColumnScoresLikeContentAndTheDetectorIsReused() {
    Dataset<Row> paths = binaryFiles().select(functions.col("path"));
    MediClipScorer.Scored scored =
        new MediClipScorer()
            .setBundle(fx.bundle.toString())
            .setInputCol("path")
            .setPathCol("none")
            .score(paths);
    checkAgainstReference(scored.rows().collectAsList());
    assertThat(scored.errors().value()).isEqualTo(3L);
    assertThat(MediClipScorer.detectorLoadsInThisJvm(scored.bundleSha256())).isEqualTo(1);
  }

  @Test
  void savesAndLoadsAsASparkMlStage() throws Exception {
    MediClipScorer s =
        new MediClipScorer()
            .setBundle(fx.bundle.toString())
            .setBatchSize(3)
            .setDevice("cpu")
            .setScoreCol("s")
            .setErrorCol("why");
    Path dir = tmp.resolve("stage");
    s.write().save(dir.toString());
    MediClipScorer back = MediClipScorer.load(dir.toString());
    assertThat(back.uid()).isEqualTo(s.uid());
    assertThat(back.getOrDefault(back.bundle())).isEqualTo(fx.bundle.toString());
    assertThat(back.getOrDefault(back.batchSize())).isEqualTo(3);
    assertThat(back.getOrDefault(back.device())).isEqualTo("cpu");
    assertThat(back.getOrDefault(back.scoreCol())).isEqualTo("s");
    assertThat(back.getOrDefault(back.errorCol())).isEqualTo("why");
    assertThat(back.transformSchema(binaryFiles().schema()).fieldNames())
        .containsExactly(
            "path",
            "modificationTime",
            "length",
            "content",
            "s",
            "normalized_score",
            "anomalous",
            "why");
  }

  @Test
  void rejectsBadConfigurationWithOneLineReasons() {
    Dataset<Row> files = binaryFiles();
    assertThatThrownBy(() -> new MediClipScorer().transform(files))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MediClipScorer: no bundle set (setBundle)");
    assertThatThrownBy(
            () ->
                new MediClipScorer()
                    .setBundle(fx.bundle.toString())
                    .setInputCol("image")
                    .transform(files))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "MediClipScorer: input column 'image' not found; the columns are path, modificationTime,"
                + " length, content (set inputCol)");
    assertThatThrownBy(
            () ->
                new MediClipScorer()
                    .setBundle(fx.bundle.toString())
                    .setInputCol("length")
                    .transform(files))
        .hasMessage(
            "MediClipScorer: input column 'length' has type bigint; it must be binary (file contents)"
                + " or string (a path)");
    assertThatThrownBy(
            () ->
                new MediClipScorer()
                    .setBundle(fx.bundle.toString())
                    .setScoreCol("path")
                    .transform(files))
        .hasMessage(
            "MediClipScorer: output column 'path' already exists in the input; choose another name");
    Path missing = tmp.resolve("no-such-bundle.zip");
    assertThatThrownBy(() -> new MediClipScorer().setBundle(missing.toString()).transform(files))
        .hasMessage("cannot read detector bundle " + missing + ": no such bundle folder or zip");
    assertThatThrownBy(() -> new MediClipScorer().setDevice("tpu"))
        .hasMessage("device must be auto, cpu, gpu or gpu:N, got 'tpu'");
  }

  @Test
  void sparkScoreJobWritesRowsAndPrintsTheSummaryWithExactMetrics() throws Exception {
    Path out = tmp.resolve("job-out");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code =
        SparkScoreJob.run(
            new String[] {
              "--master",
              "local[2]",
              "--model",
              fx.bundle.toString(),
              "--input",
              fx.testDir.toString(),
              "--output",
              out.toString(),
              "--format",
              "csv",
              "--labels",
              "folder"
            },
            new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true),
            new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true));
    assertThat(code).as("stderr: %s", stderr).isEqualTo(0);
    String[] lines = stdout.toString(StandardCharsets.UTF_8).trim().split("\n");
    com.google.gson.JsonObject summary =
        com.google.gson.JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
    assertThat(summary.get("images").getAsLong()).isEqualTo(fx.images());
    assertThat(summary.get("errors").getAsLong()).isEqualTo(3);
    assertThat(summary.get("seconds").getAsDouble()).isPositive();
    assertThat(summary.get("images_per_s").getAsDouble()).isPositive();
    assertThat(summary.get("labelled").getAsInt()).isEqualTo(fx.reference.size());
    // the exact metrics of the single-JVM reference scores
    List<Path> keys = new ArrayList<>(fx.reference.keySet());
    double[] scores = new double[keys.size()];
    int[] labels = new int[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      scores[i] = fx.reference.get(keys.get(i)).score();
      labels[i] = fx.truth.get(keys.get(i));
    }
    assertThat(summary.get("positives").getAsInt()).isEqualTo(97);
    assertThat(summary.get("image_auroc").getAsDouble()).isEqualTo(Metrics.auroc(scores, labels));
    assertThat(summary.get("image_ap").getAsDouble())
        .isEqualTo(Metrics.averagePrecision(scores, labels));
    // the written CSV holds the same scores (Spark writes doubles with their shortest repr.)
    List<Row> written =
        spark
            .read()
            .option("header", "true")
            .schema(
                "path string, score double, normalized_score double, anomalous int, error string,"
                    + " label int")
            .csv(out.toString())
            .collectAsList();
    checkAgainstReference(written);
    // the test's session is still usable: the job stops only a session it created
    assertThat(spark.sparkContext().isStopped()).isFalse();
    assertThat(
            SparkScoreJob.run(
                new String[] {
                  "--model", "b", "--input", "i", "--output", out.toString(), "--format", "orc"
                },
                new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true)))
        .isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .contains(
            "mediclip: --format must be parquet or csv, got 'orc' (see 'mediclip spark-score --help')");
  }
}
