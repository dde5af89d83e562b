package io.github.mediclip.spark;

import io.github.mediclip.spark.internal.BundleHash;
import io.github.mediclip.spark.internal.DetectorCache;
import io.github.mediclip.spark.internal.DetectorSpec;
import io.github.mediclip.spark.internal.PartitionScorer;
import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

// Why this class is long (~590 lines, a third javadoc): a Spark ML Transformer declares each of
// its 13 Params with a documented getter and setter; the scoring itself is in spark.internal
// (PartitionScorer, DetectorCache).
/**
 * A Spark ML {@link Transformer} that scores an image column with a MediCLIP detector bundle
 * (MediCLIP, MICCAI 2024), usable from Java and Scala:
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("/archive/slices");
 * Dataset<Row> scored = new MediClipScorer().setBundle("/models/brain.zip").transform(images);
 * }</pre>
 *
 * <p><b>Input.</b> The input column ({@link #inputCol()}, default {@code content}) is either binary
 * (the file contents, as Spark's {@code binaryFile} source gives them) or a string (a path or URI,
 * read on the executor through Hadoop's file systems). Every format the library's reader decodes is
 * accepted. The optional {@link #pathCol()} (default {@code path}) names the image in error
 * messages and overlay file names.
 *
 * <p><b>Output.</b> The input columns, then: raw score (double, the maximum of the anomaly map),
 * the normalised score (double, 0.5 at the bundle's threshold), the predicted label (int, 1 =
 * anomalous), optionally the written overlay PNG's path (string, when {@link #overlayDir()} is
 * set), and the error (string). A record that cannot be decoded or scored never fails the job: its
 * scores are null and the error column holds a one-line reason; {@link Scored#errors()} counts such
 * rows.
 *
 * <p><b>One detector per executor JVM.</b> The detector is loaded on an executor by the first task
 * that needs it, keyed by the bundle's SHA-256, the backbone and the device, and shared by every
 * later task and partition in that JVM (thread-safe); it is closed when the JVM shuts down. The
 * bundle (and backbone) path must be readable on every executor (shared file system or the same
 * path on each node); each executor checks that its copy hashes as the driver's. With {@code device
 * = auto}, a task that Spark assigned a GPU ({@code spark.task.resource.gpu.amount}) uses that GPU,
 * so an executor holds one detector per GPU.
 *
 * <p>Saved and loaded like any Spark ML stage ({@link DefaultParamsWritable}, {@link #read()},
 * {@link #load(String)}); only the parameters are saved, not the bundle.
 */
public final class MediClipScorer extends Transformer implements DefaultParamsWritable {

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> bundle;
  private final Param<String> backbone;
  private final Param<String> inputCol;
  private final Param<String> pathCol;
  private final Param<String> scoreCol;
  private final Param<String> normalizedScoreCol;
  private final Param<String> predictionCol;
  private final Param<String> overlayCol;
  private final Param<String> overlayDir;
  private final Param<String> errorCol;
  private final IntParam batchSize;
  private final Param<String> device;
  private final IntParam torchThreads;

  /** Creates a scorer with a random uid and the default parameters. */
  public MediClipScorer() {
    this(Identifiable$.MODULE$.randomUID("mediclipScorer"));
  }

  /**
   * Creates a scorer with the given uid (used by Spark when copying and loading stages).
   *
   * @param uid the stage's unique id
   */
  public MediClipScorer(String uid) {
    this.uid = uid;
    bundle =
        new Param<>(
            this,
            "bundle",
            "detector bundle folder or .zip (path or file: URI, readable on every executor)");
    backbone =
        new Param<>(this, "backbone", "CLIP backbone folder; empty = the one the bundle records");
    inputCol =
        new Param<>(this, "inputCol", "input column: binary file contents or a string path/URI");
    pathCol =
        new Param<>(
            this,
            "pathCol",
            "string column naming the image in errors and overlay names; ignored when absent");
    scoreCol = new Param<>(this, "scoreCol", "output column of the raw image score (double)");
    normalizedScoreCol =
        new Param<>(this, "normalizedScoreCol", "output column of the normalised score (double)");
    predictionCol =
        new Param<>(
            this, "predictionCol", "output column of the predicted label (int, 1 = anomalous)");
    overlayCol =
        new Param<>(
            this,
            "overlayCol",
            "output column of the written overlay PNG path (only when overlayDir is set)");
    overlayDir =
        new Param<>(
            this,
            "overlayDir",
            "folder for heat-map overlay PNGs (shared file system); empty = none");
    errorCol =
        new Param<>(
            this, "errorCol", "output column of the one-line error (string, null when scored)");
    batchSize =
        new IntParam(this, "batchSize", "images per forward pass (>= 1)", ParamValidators.gtEq(1));
    device = new Param<>(this, "device", "auto (the task's GPU, else CPU), cpu, gpu or gpu:N");
    torchThreads =
        new IntParam(
            this,
            "torchThreads",
            "libtorch intra-op threads per executor JVM, 0 = libtorch's default",
            ParamValidators.gtEq(0));
    setDefault(backbone, "");
    setDefault(inputCol, "content");
    setDefault(pathCol, "path");
    setDefault(scoreCol, "score");
    setDefault(normalizedScoreCol, "normalized_score");
    setDefault(predictionCol, "anomalous");
    setDefault(overlayCol, "overlay_path");
    setDefault(overlayDir, "");
    setDefault(errorCol, "error");
    setDefault(batchSize, 1);
    setDefault(device, "auto");
    setDefault(torchThreads, 0);
  }

  @Override
  public String uid() {
    return uid;
  }

  /**
   * @return the bundle parameter (required)
   */
  public Param<String> bundle() {
    return bundle;
  }

  /**
   * @return the backbone folder parameter (default empty: as the bundle records)
   */
  public Param<String> backbone() {
    return backbone;
  }

  /**
   * @return the input column parameter (default {@code content})
   */
  public Param<String> inputCol() {
    return inputCol;
  }

  /**
   * @return the name column parameter (default {@code path})
   */
  public Param<String> pathCol() {
    return pathCol;
  }

  /**
   * @return the raw score column parameter (default {@code score})
   */
  public Param<String> scoreCol() {
    return scoreCol;
  }

  /**
   * @return the normalised score column parameter (default {@code normalized_score})
   */
  public Param<String> normalizedScoreCol() {
    return normalizedScoreCol;
  }

  /**
   * @return the predicted label column parameter (default {@code anomalous})
   */
  public Param<String> predictionCol() {
    return predictionCol;
  }

  /**
   * @return the overlay path column parameter (default {@code overlay_path})
   */
  public Param<String> overlayCol() {
    return overlayCol;
  }

  /**
   * @return the overlay folder parameter (default empty: no overlays)
   */
  public Param<String> overlayDir() {
    return overlayDir;
  }

  /**
   * @return the error column parameter (default {@code error})
   */
  public Param<String> errorCol() {
    return errorCol;
  }

  /**
   * @return the batch size parameter (default 1)
   */
  public IntParam batchSize() {
    return batchSize;
  }

  /**
   * @return the device parameter (default {@code auto})
   */
  public Param<String> device() {
    return device;
  }

  /**
   * @return the libtorch threads parameter (default 0: libtorch's default)
   */
  public IntParam torchThreads() {
    return torchThreads;
  }

  /**
   * Sets the detector bundle.
   *
   * @param value bundle folder or {@code .zip}, a local path or {@code file:} URI readable on every
   *     executor
   * @return this scorer
   */
  public MediClipScorer setBundle(String value) {
    set(bundle, value);
    return this;
  }

  /**
   * Sets the backbone folder.
   *
   * @param value the CLIP model folder the detector was trained with; empty = the one the bundle
   *     records
   * @return this scorer
   */
  public MediClipScorer setBackbone(String value) {
    set(backbone, value);
    return this;
  }

  /**
   * Sets the input column.
   *
   * @param value a binary column (file contents) or a string column (path or URI)
   * @return this scorer
   */
  public MediClipScorer setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  /**
   * Sets the column that names each image in errors and overlay file names.
   *
   * @param value a string column; ignored when the input has no such column
   * @return this scorer
   */
  public MediClipScorer setPathCol(String value) {
    set(pathCol, value);
    return this;
  }

  /**
   * Sets the raw score column.
   *
   * @param value column name
   * @return this scorer
   */
  public MediClipScorer setScoreCol(String value) {
    set(scoreCol, value);
    return this;
  }

  /**
   * Sets the normalised score column.
   *
   * @param value column name
   * @return this scorer
   */
  public MediClipScorer setNormalizedScoreCol(String value) {
    set(normalizedScoreCol, value);
    return this;
  }

  /**
   * Sets the predicted label column.
   *
   * @param value column name
   * @return this scorer
   */
  public MediClipScorer setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  /**
   * Sets the overlay path column.
   *
   * @param value column name
   * @return this scorer
   */
  public MediClipScorer setOverlayCol(String value) {
    set(overlayCol, value);
    return this;
  }

  /**
   * Sets the folder that receives one heat-map overlay PNG per scored image.
   *
   * @param value a folder on a file system every executor writes to; empty = no overlays
   * @return this scorer
   */
  public MediClipScorer setOverlayDir(String value) {
    set(overlayDir, value);
    return this;
  }

  /**
   * Sets the error column.
   *
   * @param value column name
   * @return this scorer
   */
  public MediClipScorer setErrorCol(String value) {
    set(errorCol, value);
    return this;
  }

  /**
   * Sets the number of images per forward pass.
   *
   * @param value at least 1
   * @return this scorer
   */
  public MediClipScorer setBatchSize(int value) {
    set(batchSize, value);
    return this;
  }

  /**
   * Sets the device.
   *
   * @param value {@code auto} (the GPU Spark assigned to the task, else the CPU), {@code cpu},
   *     {@code gpu} or {@code gpu:N}
   * @return this scorer
   */
  public MediClipScorer setDevice(String value) {
    DetectorCache.resolveDevice(value.equals("auto") ? "cpu" : value); // validates the name
    set(device, value);
    return this;
  }

  /**
   * Sets libtorch's intra-op thread count in each executor JVM (applied before the JVM's first
   * detector loads, unless {@code ai.djl.pytorch.num_threads} is already set there).
   *
   * @param value threads, 0 = libtorch's default (all cores of the machine)
   * @return this scorer
   */
  public MediClipScorer setTorchThreads(int value) {
    set(torchThreads, value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    String in = $s(inputCol);
    if (!Arrays.asList(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException(
          "MediClipScorer: input column '"
              + in
              + "' not found; the columns are "
              + String.join(", ", schema.fieldNames())
              + " (set inputCol)");
    }
    DataType t = schema.apply(in).dataType();
    if (!t.equals(DataTypes.BinaryType) && !t.equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(
          "MediClipScorer: input column '"
              + in
              + "' has type "
              + t.simpleString()
              + "; it must be binary (file contents) or string (a path)");
    }
    StructType out = schema;
    for (String c : outputColumns()) {
      if (Arrays.asList(out.fieldNames()).contains(c)) {
        throw new IllegalArgumentException(
            "MediClipScorer: output column '"
                + c
                + "' already exists in the input; choose another name");
      }
    }
    out =
        out.add(
            new StructField(
                $s(scoreCol),
                DataTypes.DoubleType,
                true,
                org.apache.spark.sql.types.Metadata.empty()));
    out =
        out.add(
            new StructField(
                $s(normalizedScoreCol),
                DataTypes.DoubleType,
                true,
                org.apache.spark.sql.types.Metadata.empty()));
    out =
        out.add(
            new StructField(
                $s(predictionCol),
                DataTypes.IntegerType,
                true,
                org.apache.spark.sql.types.Metadata.empty()));
    if (!$s(overlayDir).isEmpty()) {
      out =
          out.add(
              new StructField(
                  $s(overlayCol),
                  DataTypes.StringType,
                  true,
                  org.apache.spark.sql.types.Metadata.empty()));
    }
    out =
        out.add(
            new StructField(
                $s(errorCol),
                DataTypes.StringType,
                true,
                org.apache.spark.sql.types.Metadata.empty()));
    return out;
  }

  private String[] outputColumns() {
    return $s(overlayDir).isEmpty()
        ? new String[] {$s(scoreCol), $s(normalizedScoreCol), $s(predictionCol), $s(errorCol)}
        : new String[] {
          $s(scoreCol), $s(normalizedScoreCol), $s(predictionCol), $s(overlayCol), $s(errorCol)
        };
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return score(dataset).rows();
  }

  /**
   * Like {@link #transform(Dataset)}, and also returns the accumulators that the scoring fills when
   * an action runs on the result: rows seen, error rows and detector loads. Run one action on the
   * result (write it, or cache it first): every recomputation adds to the accumulators again.
   *
   * @param dataset the input
   * @return the lazily scored rows and their counters
   * @throws IllegalArgumentException when no bundle is set or a column is missing or of the wrong
   *     type
   * @throws java.io.UncheckedIOException when the bundle cannot be read on the driver
   */
  public Scored score(Dataset<?> dataset) {
    if (!isDefined(bundle) || $s(bundle).isEmpty()) {
      throw new IllegalArgumentException("MediClipScorer: no bundle set (setBundle)");
    }
    StructType in = dataset.schema();
    StructType outSchema = transformSchema(in);
    String sha = BundleHash.sha256(BundleHash.localPath($s(bundle)));
    String bb = $s(backbone).isEmpty() ? null : $s(backbone);
    DetectorSpec spec =
        new DetectorSpec($s(bundle), sha, bb, $s(device), (Integer) $(torchThreads));
    int inputIndex = in.fieldIndex($s(inputCol));
    PartitionScorer.InputKind kind =
        in.apply(inputIndex).dataType().equals(DataTypes.BinaryType)
            ? PartitionScorer.InputKind.BYTES
            : PartitionScorer.InputKind.PATH;
    int pathIndex = -1;
    if (Arrays.asList(in.fieldNames()).contains($s(pathCol))
        && in.apply($s(pathCol)).dataType().equals(DataTypes.StringType)) {
      pathIndex = in.fieldIndex($s(pathCol));
    }
    SparkSession spark = dataset.sparkSession();
    LongAccumulator images = spark.sparkContext().longAccumulator("mediclip images");
    LongAccumulator errors = spark.sparkContext().longAccumulator("mediclip errors");
    CollectionAccumulator<String> loads =
        spark.sparkContext().collectionAccumulator("mediclip detector loads");
    PartitionScorer fn =
        new PartitionScorer(
            spec,
            inputIndex,
            kind,
            pathIndex,
            (Integer) $(batchSize),
            $s(overlayDir).isEmpty() ? null : $s(overlayDir),
            images,
            errors,
            loads);
    Dataset<Row> rows = dataset.toDF().mapPartitions(fn, Encoders.row(outSchema));
    return new Scored(rows, sha, images, errors, loads);
  }

  private String $s(Param<String> p) {
    return $(p);
  }

  @Override
  public MediClipScorer copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /**
   * Returns how many detectors this JVM has loaded, all bundles together (an executor's own count;
   * in cluster mode read {@link Scored#detectorLoads()} instead, which collects the executors'
   * loads).
   *
   * @return the count
   */
  public static int detectorLoadsInThisJvm() {
    return DetectorCache.loads();
  }

  /**
   * Returns how many times this JVM has loaded one bundle.
   *
   * @param bundleSha256 the bundle hash ({@link Scored#bundleSha256()})
   * @return the count
   */
  public static int detectorLoadsInThisJvm(String bundleSha256) {
    return DetectorCache.loads(bundleSha256);
  }

  /**
   * Returns the reader of saved scorers (the Java form of Spark's {@code MLReadable} companion).
   *
   * @return a reader
   */
  public static MLReader<MediClipScorer> read() {
    return new DefaultParamsReader<>();
  }

  /**
   * Loads a scorer saved with {@code write().save(path)}.
   *
   * @param path the saved stage's folder
   * @return the scorer with its saved parameters
   */
  public static MediClipScorer load(String path) {
    return read().load(path);
  }

  /**
   * The lazily scored rows of {@link #score(Dataset)} and the accumulators filled when an action
   * runs.
   *
   * @param rows the scored rows
   * @param bundleSha256 the bundle's SHA-256 as the driver computed it
   * @param images rows seen
   * @param errors rows with an error
   * @param detectorLoads one record per detector load ({@code jvm=pid@host bundle=... device=...
   *     seconds=...}), collected from the executors that loaded
   */
  public record Scored(
      Dataset<Row> rows,
      String bundleSha256,
      LongAccumulator images,
      LongAccumulator errors,
      CollectionAccumulator<String> detectorLoads) {}
}
