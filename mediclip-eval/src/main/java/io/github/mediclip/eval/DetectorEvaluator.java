package io.github.mediclip.eval;

import ai.djl.util.Progress;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.ImageFiles;
import io.github.mediclip.eval.internal.ConsoleProgress;
import io.github.mediclip.eval.internal.OutputFolders;
import io.github.mediclip.eval.internal.report.Csv;
import io.github.mediclip.eval.internal.report.HtmlReport;
import io.github.mediclip.eval.internal.report.OverlayGrid;
import io.github.mediclip.eval.internal.report.Plots;
import io.github.mediclip.eval.metrics.BinaryMetrics;
import io.github.mediclip.eval.metrics.Bootstrap;
import io.github.mediclip.eval.metrics.ConfidenceInterval;
import io.github.mediclip.eval.metrics.Metrics;
import io.github.mediclip.eval.metrics.PixelMetrics;
import io.github.mediclip.eval.metrics.PrCurve;
import io.github.mediclip.eval.metrics.RocCurve;
import io.github.mediclip.internal.AtomicFiles;
import io.github.mediclip.train.LabeledImage;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

// Why this class is long (~760 lines): batched scoring, streaming pixel metrics, the best/worst
// case keeper and the report files all work on one pass over the test split and share its state;
// the metrics are in eval.metrics, the plots, CSV and HTML writers in eval.internal.report.
/**
 * Runs a scorer (usually a trained {@code MediClipDetector}, see {@link ImageScorer#of}) over the
 * test split of a {@link Dataset} and computes image metrics (AUROC with a bootstrap interval, AP,
 * F1-max) and, when every anomalous test image has a mask and the scorer returns maps, pixel
 * metrics (AUROC, AP, F1-max, AUPRO@0.3).
 *
 * <p>Images are decoded and scored in batches; pixel metrics stream into a {@link PixelMetrics}
 * accumulator at a fixed evaluation resolution (maps resized bilinearly, masks with nearest
 * neighbour, as the MediCLIP reference does), so memory does not grow with the image sizes. With a
 * report folder, the evaluator writes: {@code metrics.json}, {@code scores.csv} (one row per
 * image), {@code roc.png}, {@code pr.png}, {@code overlays.png} (image | map | ground truth for the
 * best and worst cases) and {@code index.html}.
 *
 * <pre>{@code
 * DetectorEvaluator evaluator = DetectorEvaluator.builder().optBatchSize(8).optProgressBar(true).build();
 * try (ImageScorer scorer = ImageScorer.of(detector)) {
 *   EvaluationResult r = evaluator.evaluate(scorer, dataset, Path.of("report"));
 * }
 * }</pre>
 */
public final class DetectorEvaluator {

  private static final System.Logger LOG = System.getLogger(DetectorEvaluator.class.getName());

  private final int batchSize;
  private final int pixelSize;
  private final boolean pixelMetrics;
  private final int bootstrapResamples;
  private final long bootstrapSeed;
  private final int overlayCases;
  private final int thumbnailSize;
  private final boolean progressBar;
  private final Progress progress;
  private final java.util.function.Consumer<String> warnings;

  /** The files of a report folder; only a folder holding nothing else is replaced. */
  private static final OutputFolders.Kind REPORT = OutputFolders.EVALUATION_REPORT;

  private DetectorEvaluator(Builder b) {
    this.batchSize = b.batchSize;
    this.pixelSize = b.pixelSize;
    this.pixelMetrics = b.pixelMetrics;
    this.bootstrapResamples = b.bootstrapResamples;
    this.bootstrapSeed = b.bootstrapSeed;
    this.overlayCases = b.overlayCases;
    this.thumbnailSize = b.thumbnailSize;
    this.progressBar = b.progressBar;
    this.progress = b.progress;
    this.warnings = b.warnings;
  }

  /**
   * A builder with the defaults written on each option.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Evaluates a detector and writes a report folder; the detector stays open (the caller owns it).
   *
   * @param detector a trained detector
   * @param dataset the dataset; its test split is scored
   * @param reportDir the folder to write, or {@code null}
   * @return the metrics
   */
  public EvaluationResult evaluate(
      io.github.mediclip.MediClipDetector detector, Dataset dataset, Path reportDir) {
    // ImageScorer.of(detector) would close the detector on close(); it is deliberately not closed
    // here
    return evaluate(ImageScorer.of(detector), dataset, reportDir);
  }

  /**
   * Evaluates without writing a report.
   *
   * @param scorer the scorer (not closed)
   * @param dataset the dataset; its test split is scored
   * @return the metrics
   */
  public EvaluationResult evaluate(ImageScorer scorer, Dataset dataset) {
    return evaluate(scorer, dataset, null);
  }

  /**
   * Evaluates and writes a report folder.
   *
   * @param scorer the scorer (not closed)
   * @param dataset the dataset; its test split is scored
   * @param reportDir the folder to write, or {@code null}. It is written as a whole (a hidden
   *     sibling folder, swapped in at the end); an existing folder is replaced only when it is
   *     empty or holds nothing but the files of a report, and a folder that holds or lies inside a
   *     folder of test images is refused.
   * @return the metrics
   * @throws IllegalArgumentException when the report folder may not be written (checked before
   *     scoring)
   */
  public EvaluationResult evaluate(ImageScorer scorer, Dataset dataset, Path reportDir) {
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(dataset, "dataset");
    List<LabeledImage> all = dataset.test();
    if (all.isEmpty()) {
      throw new IllegalArgumentException("dataset " + dataset.name() + " has no test images");
    }
    if (reportDir != null) {
      checkReportDir(reportDir, all);
    }
    List<LabeledImage> test = new ArrayList<>(all.size()); // the samples that decode, in order
    long start = System.nanoTime();
    int n = all.size();
    double[] scores = new double[n];
    int[] labels = new int[n];
    int skipped = 0;
    String pixelNote = "";
    PixelMetrics pm = null;
    if (!pixelMetrics) {
      pixelNote = "pixel metrics disabled";
    } else if (!dataset.hasPixelGroundTruth()) {
      pixelNote =
          dataset.testAnomalous() == 0
              ? "no anomalous test images"
              : (dataset.testAnomalous()
                      - dataset.test().stream()
                          .filter(s -> s.anomalous() && s.maskFile() != null)
                          .count())
                  + " of "
                  + dataset.testAnomalous()
                  + " anomalous test images have no mask";
    } else {
      pm = new PixelMetrics();
    }
    CaseKeeper cases = new CaseKeeper(overlayCases, thumbnailSize);
    Progress bar =
        progress != null
            ? progress
            : progressBar ? new ConsoleProgress(System.err, System.console() != null) : null;
    if (bar != null) {
      bar.reset("Evaluating " + dataset.name(), n);
      bar.start(0);
    }
    float mapMin = Float.POSITIVE_INFINITY;
    float mapMax = Float.NEGATIVE_INFINITY;
    int next = 0;
    int kept = 0;
    while (next < n) {
      // a batch of up to batchSize images that decode; one that does not is skipped with a report,
      // as the
      // dataset reader skips a file whose header is unreadable, and the run goes on
      List<BufferedImage> images = new ArrayList<>(batchSize);
      List<LabeledImage> batch = new ArrayList<>(batchSize);
      List<byte[]> masks = new ArrayList<>(batchSize);
      int visited = 0;
      while (images.size() < batchSize && next < n) {
        LabeledImage sample = all.get(next++);
        visited++;
        try {
          BufferedImage img = ImageFiles.read(sample.file());
          byte[] mask =
              pm == null || sample.maskFile() == null
                  ? null
                  : ImageFiles.readMask(sample.maskFile(), pixelSize, pixelSize);
          images.add(img);
          batch.add(sample);
          masks.add(mask);
        } catch (java.io.UncheckedIOException e) {
          skipped++;
          String reason = oneLine(e);
          String prefix = "cannot read image " + sample.file() + ": ";
          warn(
              "skipping "
                  + sample.file()
                  + ": "
                  + (reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason));
        }
      }
      if (!images.isEmpty()) {
        List<ScoredImage> results = scorer.scoreBatch(images);
        if (results == null || results.size() != images.size()) {
          throw new IllegalStateException(
              "scorer "
                  + scorer.getClass().getName()
                  + " returned "
                  + (results == null ? "null" : results.size() + " results")
                  + " for a batch of "
                  + images.size()
                  + " images");
        }
        for (int j = 0; j < batch.size(); j++) {
          int i = kept++;
          LabeledImage sample = batch.get(j);
          test.add(sample);
          ScoredImage r = Objects.requireNonNull(results.get(j), "scorer result");
          scores[i] = r.score();
          labels[i] = sample.anomalous() ? 1 : 0;
          if (r.hasMap()) {
            for (float v : r.anomalyMap().toArray()) {
              mapMin = Math.min(mapMin, v);
              mapMax = Math.max(mapMax, v);
            }
          }
          if (pm != null) {
            if (!r.hasMap()) {
              pm = null;
              pixelNote = "the scorer returned no anomaly map";
            } else {
              float[] map =
                  ImageFiles.resizeBilinear(
                      r.anomalyMap().toArray(),
                      r.anomalyMap().width(),
                      r.anomalyMap().height(),
                      pixelSize,
                      pixelSize);
              byte[] mask = masks.get(j) == null ? new byte[pixelSize * pixelSize] : masks.get(j);
              pm.add(map, mask, pixelSize, pixelSize);
            }
          }
          if (reportDir != null) {
            cases.offer(i, sample, r, images.get(j));
          }
        }
      }
      if (bar != null) {
        bar.increment(visited);
      }
    }
    if (bar != null) {
      bar.end();
    }
    if (skipped > 0) {
      n = kept;
      scores = java.util.Arrays.copyOf(scores, n);
      labels = java.util.Arrays.copyOf(labels, n);
      if (n == 0) {
        throw new IllegalArgumentException(
            "none of the "
                + all.size()
                + " test images of "
                + dataset.name()
                + " could be decoded (each reported above)");
      }
    }
    long positives = java.util.Arrays.stream(labels).filter(l -> l == 1).count();
    if (positives == 0 || positives == n) {
      throw new IllegalArgumentException(
          "the test split of "
              + dataset.name()
              + " holds only "
              + (positives == 0 ? "normal" : "anomalous")
              + " images ("
              + n
              + "); image metrics need both");
    }
    BinaryMetrics image = Metrics.evaluate(scores, labels);
    ConfidenceInterval ci =
        bootstrapResamples > 0
            ? Bootstrap.confidenceInterval(
                scores, labels, Metrics::auroc, bootstrapResamples, 0.95, bootstrapSeed)
            : null;
    BinaryMetrics pixel = null;
    double aupro = Double.NaN;
    if (pm != null) {
      pixel = pm.summary();
      aupro = pm.aupro();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    EvaluationResult result =
        new EvaluationResult(
            dataset.name(),
            test,
            scores,
            labels,
            image,
            ci,
            pixel,
            aupro,
            pixelNote,
            seconds,
            reportDir);
    if (reportDir != null) {
      // a trained detector's scorer says how many normal images its training saw; other scorers do
      // not
      Integer normalsSeen = scorer instanceof TrainedScorer t ? t.normalsSeen() : null;
      PixelMetrics pmFinal = pm;
      float min = mapMin;
      float max = mapMax;
      OutputFolders.write(
          reportDir,
          REPORT,
          dir -> writeReport(dir, dataset, result, normalsSeen, pmFinal, cases, min, max));
    }
    return result;
  }

  // ------------------------------------------------------------------ report

  /** Refuses a report folder that would overwrite foreign files or land among the test images. */
  private static void checkReportDir(Path reportDir, List<LabeledImage> test) {
    OutputFolders.checkReplaceable(reportDir, REPORT);
    java.util.Set<Path> folders = new java.util.LinkedHashSet<>();
    for (LabeledImage s : test) {
      folders.add(s.file().toAbsolutePath().getParent());
      if (s.maskFile() != null) {
        folders.add(s.maskFile().toAbsolutePath().getParent());
      }
    }
    for (Path f : folders) {
      if (OutputFolders.overlaps(reportDir, f)) {
        throw new IllegalArgumentException(
            "report folder "
                + reportDir
                + " overlaps the image folder "
                + f
                + " of the data being evaluated; its PNGs would be read as images next time. Choose a folder"
                + " outside the data");
      }
    }
  }

  /** To the sink when one is set (the CLI prints its own line), else to the logger. */
  private void warn(String message) {
    if (warnings != null) {
      warnings.accept(message);
    } else {
      LOG.log(System.Logger.Level.WARNING, message);
    }
  }

  /** The message of a decoding failure on one line, without the exception's class. */
  private static String oneLine(RuntimeException e) {
    String m =
        e.getCause() != null && e.getCause().getMessage() != null
            ? e.getCause().getMessage()
            : String.valueOf(e.getMessage());
    return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  private void writeReport(
      Path dir,
      Dataset dataset,
      EvaluationResult r,
      Integer normalsSeen,
      PixelMetrics pm,
      CaseKeeper cases,
      float mapMin,
      float mapMax) {
    AtomicFiles.writeString(dir.resolve("metrics.json"), metricsJson(dataset, r, normalsSeen));
    StringBuilder csv = new StringBuilder("index,image,label,score,mask\n");
    double[] scores = r.scores();
    for (int i = 0; i < r.samples().size(); i++) {
      LabeledImage s = r.samples().get(i);
      csv.append(
              Csv.line(
                  Integer.toString(i),
                  s.file().toString(),
                  s.anomalous() ? "1" : "0",
                  Double.toString(scores[i]),
                  s.maskFile() == null ? "" : s.maskFile().toString()))
          .append('\n');
    }
    AtomicFiles.writeString(dir.resolve("scores.csv"), csv.toString());

    RocCurve roc = Metrics.rocCurve(r.scores(), r.labels());
    PrCurve pr = Metrics.prCurve(r.scores(), r.labels());
    List<Plots.Series> rocSeries = new ArrayList<>();
    List<Plots.Series> prSeries = new ArrayList<>();
    rocSeries.add(
        new Plots.Series(fmt("image AUROC %.3f", r.image().auroc()), roc.fpr(), roc.tpr(), false));
    prSeries.add(
        new Plots.Series(
            fmt("image AP %.3f", r.image().averagePrecision()), pr.recall(), pr.precision(), true));
    if (pm != null) {
      RocCurve proc = pm.rocCurve(4000);
      rocSeries.add(
          new Plots.Series(
              fmt("pixel AUROC %.3f", r.pixel().auroc()), proc.fpr(), proc.tpr(), false));
      PrCurve ppr = pm.prCurve(4000);
      prSeries.add(
          new Plots.Series(
              fmt("pixel AP %.3f", r.pixel().averagePrecision()),
              ppr.recall(),
              ppr.precision(),
              true));
    }
    AtomicFiles.writePng(
        dir.resolve("roc.png"),
        Plots.plot(
            "ROC - " + dataset.name(),
            "false positive rate",
            "true positive rate",
            rocSeries,
            true,
            480));
    AtomicFiles.writePng(
        dir.resolve("pr.png"),
        Plots.plot(
            "Precision-recall - " + dataset.name(), "recall", "precision", prSeries, false, 480));
    List<String> images = new ArrayList<>(List.of("roc.png", "pr.png"));
    List<OverlayGrid.Row> rows = cases.rows(mapMin, mapMax);
    if (!rows.isEmpty()) {
      AtomicFiles.writePng(dir.resolve("overlays.png"), OverlayGrid.render(rows));
      images.add("overlays.png");
    }
    List<HtmlReport.Entry> entries = new ArrayList<>();
    entries.add(new HtmlReport.Entry("image AUROC", fmt("%.4f", r.image().auroc())));
    if (r.imageAurocCi() != null) {
      entries.add(
          new HtmlReport.Entry(
              "image AUROC 95% CI",
              fmt("[%.4f, %.4f]", r.imageAurocCi().lower(), r.imageAurocCi().upper())));
    }
    entries.add(new HtmlReport.Entry("image AP", fmt("%.4f", r.image().averagePrecision())));
    entries.add(new HtmlReport.Entry("image F1-max", fmt("%.4f", r.image().f1Max())));
    if (r.pixel() != null) {
      entries.add(new HtmlReport.Entry("pixel AUROC", fmt("%.4f", r.pixel().auroc())));
      entries.add(new HtmlReport.Entry("pixel AP", fmt("%.4f", r.pixel().averagePrecision())));
      entries.add(new HtmlReport.Entry("pixel F1-max", fmt("%.4f", r.pixel().f1Max())));
      entries.add(new HtmlReport.Entry("pixel AUPRO@0.3", fmt("%.4f", r.aupro())));
    } else {
      entries.add(new HtmlReport.Entry("pixel metrics", "n/a: " + r.pixelNote()));
    }
    entries.add(new HtmlReport.Entry("images per second", fmt("%.2f", r.imagesPerSecond())));
    String subtitle = dataset.describe() + fmt("; evaluated in %.1f s", r.seconds());
    AtomicFiles.writeString(
        dir.resolve("index.html"),
        HtmlReport.render(
            "MediCLIP evaluation: " + dataset.name(),
            subtitle,
            entries,
            images,
            List.of("metrics.json", "scores.csv")));
  }

  private String metricsJson(Dataset dataset, EvaluationResult r, Integer normalsSeen) {
    JsonObject root = new JsonObject();
    root.addProperty("dataset", dataset.name());
    root.addProperty("test_images", r.samples().size());
    root.addProperty("test_normal", r.image().negatives());
    root.addProperty("test_anomalous", r.image().positives());
    root.addProperty("train_pool", dataset.train().size());
    if (normalsSeen != null) {
      root.addProperty(
          "normals_seen", normalsSeen); // shots plus validation normals of the detector's training
    }
    JsonObject image = new JsonObject();
    image.addProperty("auroc", r.image().auroc());
    if (r.imageAurocCi() != null) {
      JsonArray ci = new JsonArray();
      ci.add(r.imageAurocCi().lower());
      ci.add(r.imageAurocCi().upper());
      image.add("auroc_ci95", ci);
      image.addProperty("bootstrap_resamples", r.imageAurocCi().resamples());
      image.addProperty("bootstrap_seed", r.imageAurocCi().seed());
    }
    image.addProperty("average_precision", r.image().averagePrecision());
    image.addProperty("f1_max", r.image().f1Max());
    image.addProperty("f1_threshold", r.image().f1Threshold());
    root.add("image", image);
    if (r.pixel() != null) {
      JsonObject pixel = new JsonObject();
      pixel.addProperty("auroc", r.pixel().auroc());
      pixel.addProperty("average_precision", r.pixel().averagePrecision());
      pixel.addProperty("f1_max", r.pixel().f1Max());
      pixel.addProperty("aupro_0.3", r.aupro());
      pixel.addProperty("evaluation_size", pixelSize);
      pixel.addProperty("anomalous_pixels", r.pixel().positives());
      pixel.addProperty("normal_pixels", r.pixel().negatives());
      root.add("pixel", pixel);
    } else {
      root.addProperty("pixel_note", r.pixelNote());
    }
    JsonObject timing = new JsonObject();
    timing.addProperty("seconds", r.seconds());
    timing.addProperty("images_per_second", r.imagesPerSecond());
    timing.addProperty("batch_size", batchSize);
    root.add("timing", timing);
    return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
  }

  private static String fmt(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  // ------------------------------------------------------------------ best / worst cases

  /**
   * Keeps thumbnails of the best and worst cases only, so that memory does not grow with the
   * dataset.
   */
  private static final class CaseKeeper {
    private final int perGroup;
    private final int size;
    // 0: anomalous, highest scores (best); 1: normal, lowest (best); 2: anomalous, lowest (worst);
    // 3: normal, highest (worst)
    private final List<List<Case>> groups =
        List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

    CaseKeeper(int cases, int size) {
      this.perGroup = (cases + 1) / 2;
      this.size = size;
    }

    void offer(int index, LabeledImage sample, ScoredImage r, BufferedImage image) {
      if (perGroup == 0) {
        return;
      }
      boolean anomalous = sample.anomalous();
      Case c = null;
      int[] targets = anomalous ? new int[] {0, 2} : new int[] {1, 3};
      for (int g : targets) {
        boolean highFirst = g == 0 || g == 3;
        List<Case> list = groups.get(g);
        int pos = list.size();
        while (pos > 0
            && (highFirst
                ? r.score() > list.get(pos - 1).score
                : r.score() < list.get(pos - 1).score)) {
          pos--;
        }
        if (pos < perGroup) {
          if (c == null) {
            c = thumbnail(index, sample, r, image);
          }
          list.add(pos, c);
          if (list.size() > perGroup) {
            list.remove(list.size() - 1);
          }
        }
      }
    }

    private Case thumbnail(int index, LabeledImage sample, ScoredImage r, BufferedImage image) {
      float[] lum = ImageFiles.luminance(image);
      float[] img = ImageFiles.resizeBilinear(lum, image.getWidth(), image.getHeight(), size, size);
      float[] map =
          r.hasMap()
              ? ImageFiles.resizeBilinear(
                  r.anomalyMap().toArray(),
                  r.anomalyMap().width(),
                  r.anomalyMap().height(),
                  size,
                  size)
              : new float[size * size];
      byte[] mask =
          sample.maskFile() == null ? null : ImageFiles.readMask(sample.maskFile(), size, size);
      return new Case(index, sample, r.score(), img, map, mask);
    }

    List<OverlayGrid.Row> rows(float min, float max) {
      List<OverlayGrid.Row> rows = new ArrayList<>();
      String[] names = {"best", "best", "worst", "worst"};
      float range = max > min ? max - min : 1f;
      float lo = max > min ? min : 0f;
      for (int g = 0; g < 4; g++) {
        for (Case c : groups.get(g)) {
          float[] scaled = new float[c.map.length];
          for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (c.map[i] - lo) / range;
          }
          String caption =
              String.format(
                  Locale.ROOT,
                  "%s: %s (%s) score %.4f",
                  names[g],
                  c.sample.file().getFileName(),
                  c.sample.anomalous() ? "anomalous" : "normal",
                  c.score);
          rows.add(
              new OverlayGrid.Row(
                  caption,
                  size,
                  c.image,
                  scaled,
                  c.sample.anomalous()
                      ? c.mask
                      : (c.mask == null ? new byte[size * size] : c.mask)));
        }
      }
      return rows;
    }
  }

  private record Case(
      int index, LabeledImage sample, double score, float[] image, float[] map, byte[] mask) {}

  /** Builder of {@link DetectorEvaluator}; each setter validates its value at once. */
  public static final class Builder {
    private int batchSize = 8;
    private int pixelSize = 224;
    private boolean pixelMetrics = true;
    private int bootstrapResamples = 1000;
    private long bootstrapSeed = 0;
    private int overlayCases = 4;
    private int thumbnailSize = 160;
    private boolean progressBar;
    private Progress progress;
    private java.util.function.Consumer<String> warnings;

    private Builder() {}

    /**
     * Receives one line per test image that is skipped because it cannot be decoded, instead of the
     * logger. Default: logged as a warning.
     *
     * @param sink the receiver
     * @return this builder
     */
    public Builder optWarnings(java.util.function.Consumer<String> sink) {
      warnings = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Images per scorer call. Default 8.
     *
     * @param n 1 to 4096
     * @return this builder
     */
    public Builder optBatchSize(int n) {
      batchSize = checkRange("batchSize", n, 1, 4096);
      return this;
    }

    /**
     * Side of the square grid at which pixel metrics are computed (maps resized bilinearly, masks
     * nearest). Default 224, the MediCLIP reference resolution.
     *
     * @param size 8 to 2048
     * @return this builder
     */
    public Builder optPixelSize(int size) {
      pixelSize = checkRange("pixelSize", size, 8, 2048);
      return this;
    }

    /**
     * Whether to compute pixel metrics when masks and maps are available. Default true.
     *
     * @param enabled whether to compute them
     * @return this builder
     */
    public Builder optPixelMetrics(boolean enabled) {
      pixelMetrics = enabled;
      return this;
    }

    /**
     * Bootstrap confidence interval of the image AUROC. Default 1000 resamples, seed 0.
     *
     * @param resamples 0 (disabled) or at least 10
     * @param seed the seed
     * @return this builder
     */
    public Builder optBootstrap(int resamples, long seed) {
      if (resamples != 0 && resamples < 10) {
        throw new IllegalArgumentException(
            "bootstrap resamples is " + resamples + "; use 0 to disable or at" + " least 10");
      }
      bootstrapResamples = resamples;
      bootstrapSeed = seed;
      return this;
    }

    /**
     * Number of best and of worst cases drawn in {@code overlays.png}. Default 4 (4 best + 4 worst
     * rows).
     *
     * @param n 0 to 64
     * @return this builder
     */
    public Builder optOverlayCases(int n) {
      overlayCases = checkRange("overlayCases", n, 0, 64);
      return this;
    }

    /**
     * Panel size of the overlay grid in pixels. Default 160.
     *
     * @param size 32 to 1024
     * @return this builder
     */
    public Builder optThumbnailSize(int size) {
      thumbnailSize = checkRange("thumbnailSize", size, 32, 1024);
      return this;
    }

    /**
     * Whether to show a progress bar on standard error (like the training progress; redrawn on a
     * terminal, a line per tenth otherwise). Default false.
     *
     * @param enabled whether to show it
     * @return this builder
     */
    public Builder optProgressBar(boolean enabled) {
      progressBar = enabled;
      return this;
    }

    /**
     * A progress sink (DJL's {@link Progress}); overrides {@link #optProgressBar}. Default none.
     *
     * @param p the progress sink
     * @return this builder
     */
    public Builder optProgress(Progress p) {
      progress = Objects.requireNonNull(p, "progress");
      return this;
    }

    /**
     * Builds the evaluator (can be called again).
     *
     * @return a new evaluator with the options set so far
     */
    public DetectorEvaluator build() {
      return new DetectorEvaluator(this);
    }

    private static int checkRange(String field, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            field + " is " + value + "; it must be in [" + min + ", " + max + "]");
      }
      return value;
    }
  }
}
