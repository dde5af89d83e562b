package io.github.mediclip.spark.internal;

import java.util.Locale;

/**
 * The spark-score command line, parsed without touching Spark, so that the {@code mediclip} tool
 * can show the help when Spark is not on its class path.
 */
public final class JobOptions {

  /** Default file-name filter: the image formats the library reads. */
  public static final String DEFAULT_GLOB_FILTER =
      "*.{png,PNG,jpg,JPG,jpeg,JPEG,tif,TIF,tiff,TIFF,bmp,BMP,gif,GIF,dcm,DCM,nii,nii.gz}";

  /** The help text. */
  public static final String USAGE =
      String.join(
          "\n",
          "Usage: mediclip spark-score [--master URL] --model BUNDLE --input DIR|GLOB --output DIR",
          "                            [--format parquet|csv] [--backbone DIR] [--batch-size N]",
          "                            [--device auto|cpu|gpu|gpu:N] [--torch-threads N]",
          "                            [--partitions N] [--glob-filter PATTERN] [--labels none|folder]",
          "                            [--overlays DIR]",
          "Scores every image under DIR (recursively) or matching GLOB on Spark with one detector per",
          "executor JVM, writes the scored rows to --output, and prints one JSON summary line.",
          "  --master URL         Spark master (default: as spark-submit or spark.master set it)",
          "  --model BUNDLE       detector bundle folder or .zip, readable on every executor",
          "  --input DIR|GLOB     folder (read recursively) or Hadoop glob of image files",
          "  --output DIR         output folder (must not exist)",
          "  --format F           parquet (default) or csv",
          "  --backbone DIR       CLIP backbone folder (default: as the bundle records)",
          "  --batch-size N       images per forward pass (default 1)",
          "  --device D           auto (default: the task's GPU, else CPU), cpu, gpu, gpu:N",
          "  --torch-threads N    libtorch intra-op threads per executor JVM (default: spark.task.cpus;",
          "                       0 = libtorch's default, all cores of the machine)",
          "  --partitions N       repartition the files into N partitions (default: Spark's split)",
          "  --glob-filter P      file-name filter (default " + DEFAULT_GLOB_FILTER + ")",
          "  --labels none|folder derive ground truth from the parent folder (normal|good = 0,",
          "                       abnormal|anomalous|anomaly = 1) and report image AUROC / AP",
          "  --overlays DIR       write a heat-map overlay PNG per image under DIR");

  /** Spark master URL, or {@code null} for the one spark-submit set. */
  public String master;

  /** Detector bundle. */
  public String model;

  /** Input folder or glob. */
  public String input;

  /** Output folder. */
  public String output;

  /** parquet or csv. */
  public String format = "parquet";

  /** Backbone folder, empty = as the bundle records. */
  public String backbone = "";

  /** Images per forward pass. */
  public int batchSize = 1;

  /** Device name. */
  public String device = "auto";

  /** libtorch threads per executor JVM, {@code null} = spark.task.cpus. */
  public Integer torchThreads;

  /** Partitions, 0 = Spark's file split. */
  public int partitions;

  /** File-name filter. */
  public String globFilter = DEFAULT_GLOB_FILTER;

  /** none or folder. */
  public String labels = "none";

  /** Overlay folder, empty = none. */
  public String overlays = "";

  /** A usage error: one line, exit code 2. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses the arguments.
   *
   * @param args the arguments after {@code spark-score}
   * @return the options, or {@code null} when help was asked for
   * @throws UsageException naming the bad option
   */
  public static JobOptions parse(String[] args) {
    JobOptions o = new JobOptions();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        return null;
      }
      String key = a;
      String value;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        key = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else {
        if (i + 1 >= args.length) {
          throw new UsageException("missing value for option " + a);
        }
        value = args[++i];
      }
      switch (key) {
        case "--master" -> o.master = value;
        case "--model" -> o.model = value;
        case "--input" -> o.input = value;
        case "--output" -> o.output = value;
        case "--format" -> {
          o.format = value.toLowerCase(Locale.ROOT);
          if (!o.format.equals("parquet") && !o.format.equals("csv")) {
            throw new UsageException("--format must be parquet or csv, got '" + value + "'");
          }
        }
        case "--backbone" -> o.backbone = value;
        case "--batch-size" -> o.batchSize = positive(key, value, 1);
        case "--device" -> {
          if (!value.matches("auto|cpu|gpu|gpu:[0-9]+")) {
            throw new UsageException(
                "--device must be auto, cpu, gpu or gpu:N, got '" + value + "'");
          }
          o.device = value;
        }
        case "--torch-threads" -> o.torchThreads = positive(key, value, 0);
        case "--partitions" -> o.partitions = positive(key, value, 1);
        case "--glob-filter" -> o.globFilter = value;
        case "--labels" -> {
          if (!value.equals("none") && !value.equals("folder")) {
            throw new UsageException("--labels must be none or folder, got '" + value + "'");
          }
          o.labels = value;
        }
        case "--overlays" -> o.overlays = value;
        default -> throw new UsageException("unknown option '" + a + "'");
      }
    }
    if (o.model == null) {
      throw new UsageException("missing required option --model");
    }
    if (o.input == null) {
      throw new UsageException("missing required option --input");
    }
    if (o.output == null) {
      throw new UsageException("missing required option --output");
    }
    return o;
  }

  private static int positive(String key, String value, int min) {
    try {
      int v = Integer.parseInt(value);
      if (v >= min) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(key + " must be an integer >= " + min + ", got '" + value + "'");
  }
}
