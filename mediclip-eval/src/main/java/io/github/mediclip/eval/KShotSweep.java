package io.github.mediclip.eval;

import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.internal.report.Csv;
import io.github.mediclip.internal.AtomicFiles;
import io.github.mediclip.train.KShotSampler;
import io.github.mediclip.train.LabeledImage;
import io.github.mediclip.train.ShotFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;

// Why this class is long (~620 lines, 30 % javadoc): the sweep's public API (factory SPI, four
// result records, builder) plus the run loop that writes shot files, runs.csv and the tables in
// one pass; sampling is KShotSampler's and evaluation DetectorEvaluator's.
/**
 * The few-shot protocol of the paper: for each k in a list and each of several seeds, draw k normal
 * training images from the normal images of the training split ({@link KShotSampler}, the library's
 * one k-shot draw, so {@code MediClip.builder().optShots(k).optSeed(seed)} on the same pool trains
 * on the same shots), build a scorer from them, evaluate it on the full test split, and report mean
 * ± standard deviation over the seeds per k as a paper-style table ({@code table.md}, {@code
 * table.csv}), with every run in {@code runs.csv} and the chosen files in shot files {@code
 * shots/k<k>_seed<seed>.txt} ({@link ShotFile}).
 *
 * <p>This is the k-shot protocol: a factory is given only the k shots, so every run sees k normal
 * images ({@code normals_seen} in the tables; for {@link #mediClip} factories it is read from the
 * detector's manifest). With {@link Builder#optShots(List)} the shots are fixed (from a published
 * shot file) instead of drawn.
 *
 * <p>The standard deviation is the population one (numpy's {@code np.std}, ddof 0), as few-shot
 * papers usually report; with one seed it is 0.
 *
 * <pre>{@code
 * KShotSweep.Result r = KShotSweep.builder()
 *     .setDataset(dataset)
 *     .setFactory(KShotSweep.mediClip(seed -> MediClip.builder().setBackbone(folder).optSeed(seed).build()))
 *     .optShots(1, 2, 4, 8, 16).optSeeds(0, 1, 2)
 *     .build().run(Path.of("sweep"));
 * }</pre>
 */
public final class KShotSweep {

  /** Builds a scorer from k shots; the sweep closes it after evaluation. */
  @FunctionalInterface
  public interface ScorerFactory {
    /**
     * Creates (usually: trains) a scorer.
     *
     * @param k number of shots
     * @param seed the run's seed (also used to draw the shots)
     * @param shots the k normal training images
     * @return the scorer
     * @throws Exception if training fails
     */
    ImageScorer create(int k, long seed, List<LabeledImage> shots) throws Exception;
  }

  /**
   * A factory that fits one MediCLIP detector per run on the shots' image files.
   *
   * @param perSeed builds a configured {@link MediClip} for the run's seed (e.g. {@code
   *     optSeed(seed)})
   * @return the factory
   */
  public static ScorerFactory mediClip(LongFunction<MediClip> perSeed) {
    Objects.requireNonNull(perSeed, "perSeed");
    return (k, seed, shots) -> {
      MediClipDetector d = perSeed.apply(seed).fit(shots.stream().map(LabeledImage::file).toList());
      return new DetectorScorer(d, d.manifest().training().summary().normalsSeen());
    };
  }

  /** A detector's scorer that also says how many normal images its training saw. */
  private static final class DetectorScorer implements TrainedScorer {
    private final ImageScorer delegate;
    private final int normalsSeen;

    DetectorScorer(MediClipDetector detector, int normalsSeen) {
      this.delegate = ImageScorer.of(detector);
      this.normalsSeen = normalsSeen;
    }

    @Override
    public int normalsSeen() {
      return normalsSeen;
    }

    @Override
    public ScoredImage score(java.awt.image.BufferedImage image) {
      return delegate.score(image);
    }

    @Override
    public List<ScoredImage> scoreBatch(List<java.awt.image.BufferedImage> images) {
      return delegate.scoreBatch(images);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /**
   * One (k, seed) run.
   *
   * @param k number of shots
   * @param seed the seed
   * @param shots the images drawn
   * @param normalsSeen normal images the training saw: k for the k-shot protocol (the factory is
   *     given only the shots); for a {@link #mediClip} factory, the detector manifest's count
   * @param result the evaluation
   * @param fitSeconds time spent in the factory (training)
   */
  public record Run(
      int k,
      long seed,
      List<LabeledImage> shots,
      int normalsSeen,
      EvaluationResult result,
      double fitSeconds) {}

  /**
   * Mean and standard deviation over seeds.
   *
   * @param mean the mean
   * @param std the population standard deviation
   */
  public record Stat(double mean, double std) {
    /**
     * Formats as a percentage with one decimal, e.g. {@code 91.2 ± 1.3}.
     *
     * @return the text {@code mean ± std} in percent
     */
    public String percent() {
      return String.format(Locale.ROOT, "%.1f ± %.1f", 100 * mean, 100 * std);
    }
  }

  /**
   * One row of the table.
   *
   * @param k number of shots
   * @param runs number of seeds
   * @param normalsSeen the largest number of normal images a run of this k saw (k in the k-shot
   *     protocol)
   * @param imageAuroc image AUROC
   * @param imageAp image average precision
   * @param imageF1Max image F1-max
   * @param pixelAuroc pixel AUROC, or {@code null} when the runs have no pixel metrics
   * @param aupro pixel AUPRO@0.3, or {@code null}
   */
  public record Row(
      int k,
      int runs,
      int normalsSeen,
      Stat imageAuroc,
      Stat imageAp,
      Stat imageF1Max,
      Stat pixelAuroc,
      Stat aupro) {}

  /**
   * The sweep's outcome.
   *
   * @param dataset dataset name
   * @param runs every run, in execution order
   * @param rows one row per k, in the order given
   */
  public record Result(String dataset, List<Run> runs, List<Row> rows) {
    /**
     * The table as GitHub Markdown (percentages, mean ± std).
     *
     * @return the table as GitHub Markdown text
     */
    public String markdown() {
      boolean pixel = rows.stream().anyMatch(r -> r.pixelAuroc() != null);
      StringBuilder sb = new StringBuilder();
      sb.append("| k | seeds | normals seen | image AUROC | image AP | image F1-max |");
      if (pixel) {
        sb.append(" pixel AUROC | AUPRO@0.3 |");
      }
      sb.append('\n').append("|---:|---:|---:|---:|---:|---:|");
      if (pixel) {
        sb.append("---:|---:|");
      }
      sb.append('\n');
      for (Row r : rows) {
        sb.append("| ")
            .append(r.k())
            .append(" | ")
            .append(r.runs())
            .append(" | ")
            .append(r.normalsSeen())
            .append(" | ")
            .append(r.imageAuroc().percent())
            .append(" | ")
            .append(r.imageAp().percent())
            .append(" | ")
            .append(r.imageF1Max().percent())
            .append(" |");
        if (pixel) {
          sb.append(' ')
              .append(r.pixelAuroc() == null ? "n/a" : r.pixelAuroc().percent())
              .append(" | ")
              .append(r.aupro() == null ? "n/a" : r.aupro().percent())
              .append(" |");
        }
        sb.append('\n');
      }
      return sb.toString();
    }

    /**
     * The table as CSV (fractions at full precision).
     *
     * @return the table as CSV text
     */
    public String csv() {
      StringBuilder sb =
          new StringBuilder(
              "k,seeds,normals_seen,image_auroc_mean,image_auroc_std,image_ap_mean,image_ap_std,"
                  + "image_f1max_mean,image_f1max_std,pixel_auroc_mean,pixel_auroc_std,aupro_mean,aupro_std\n");
      for (Row r : rows) {
        sb.append(
                Csv.line(
                    Integer.toString(r.k()),
                    Integer.toString(r.runs()),
                    Integer.toString(r.normalsSeen()),
                    d(r.imageAuroc().mean()),
                    d(r.imageAuroc().std()),
                    d(r.imageAp().mean()),
                    d(r.imageAp().std()),
                    d(r.imageF1Max().mean()),
                    d(r.imageF1Max().std()),
                    r.pixelAuroc() == null ? "" : d(r.pixelAuroc().mean()),
                    r.pixelAuroc() == null ? "" : d(r.pixelAuroc().std()),
                    r.aupro() == null ? "" : d(r.aupro().mean()),
                    r.aupro() == null ? "" : d(r.aupro().std())))
            .append('\n');
      }
      return sb.toString();
    }

    private static String d(double v) {
      return Double.toString(v);
    }
  }

  private final Dataset dataset;
  private final ScorerFactory factory;
  private final int[] shots;
  private final long[] seeds;
  private final DetectorEvaluator evaluator;
  private final boolean reports;
  private final Consumer<Run> listener;
  private final List<Path> fixedShots;
  private final Path dataRoot;

  private KShotSweep(Builder b) {
    this.dataset = b.dataset;
    this.factory = b.factory;
    this.shots = b.shots.clone();
    this.seeds = b.seeds.clone();
    this.evaluator =
        b.evaluator != null ? b.evaluator : DetectorEvaluator.builder().optBootstrap(0, 0).build();
    this.reports = b.reports;
    this.listener = b.listener;
    this.fixedShots = b.fixedShots;
    this.dataRoot = b.dataRoot;
  }

  /**
   * A builder; dataset and factory are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every (k, seed) pair and writes the tables.
   *
   * @param outDir folder for table.md, table.csv, runs.csv, shots/ (and per-run reports when
   *     enabled), or {@code null} to write nothing
   * @return all runs and the aggregated table
   * @throws IllegalStateException wrapping a factory failure, naming k and seed
   */
  public Result run(Path outDir) {
    List<LabeledImage> pool = normalPool(dataset);
    Path root = dataRoot != null ? dataRoot : commonRoot(pool);
    List<Run> runs = new ArrayList<>();
    for (int k : shots) {
      if (k > pool.size()) {
        throw new IllegalArgumentException(
            "k is "
                + k
                + " but the training pool of "
                + dataset.name()
                + " has only "
                + pool.size()
                + " normal images");
      }
      for (long seed : seeds) {
        List<LabeledImage> chosen =
            fixedShots != null ? pick(pool, fixedShots) : KShotSampler.sample(pool, k, seed);
        long t0 = System.nanoTime();
        EvaluationResult result;
        double fitSeconds;
        ImageScorer scorer;
        try {
          scorer = factory.create(k, seed, chosen);
        } catch (Exception e) {
          throw new IllegalStateException(
              "training failed for k = " + k + ", seed = " + seed + ": " + e, e);
        }
        Objects.requireNonNull(scorer, "factory returned null for k = " + k + ", seed = " + seed);
        fitSeconds = (System.nanoTime() - t0) / 1e9;
        int normalsSeen = scorer instanceof DetectorScorer ds ? ds.normalsSeen : k;
        try (scorer) {
          Path report = outDir != null && reports ? outDir.resolve(runName(k, seed)) : null;
          result = evaluator.evaluate(scorer, dataset, report);
        }
        Run run = new Run(k, seed, chosen, normalsSeen, result, fitSeconds);
        runs.add(run);
        if (outDir != null) {
          ShotFile.write(
              outDir.resolve("shots").resolve(runName(k, seed) + ShotFile.EXTENSION),
              root,
              chosen.stream().map(LabeledImage::file).toList());
        }
        if (listener != null) {
          listener.accept(run);
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int k : shots) {
      List<EvaluationResult> rs = runs.stream().filter(r -> r.k() == k).map(Run::result).toList();
      boolean pixel = rs.stream().allMatch(EvaluationResult::hasPixelMetrics);
      int seen = runs.stream().filter(r -> r.k() == k).mapToInt(Run::normalsSeen).max().orElse(k);
      rows.add(
          new Row(
              k,
              rs.size(),
              seen,
              stat(rs, r -> r.image().auroc()),
              stat(rs, r -> r.image().averagePrecision()),
              stat(rs, r -> r.image().f1Max()),
              pixel ? stat(rs, r -> r.pixel().auroc()) : null,
              pixel ? stat(rs, EvaluationResult::aupro) : null));
    }
    Result result = new Result(dataset.name(), runs, rows);
    if (outDir != null) {
      AtomicFiles.writeString(
          outDir.resolve("table.md"),
          "# "
              + dataset.name()
              + ": k-shot sweep, seeds "
              + Arrays.toString(seeds)
              + "\n\n"
              + result.markdown());
      AtomicFiles.writeString(outDir.resolve("table.csv"), result.csv());
      StringBuilder csv =
          new StringBuilder(
              "k,seed,normals_seen,image_auroc,image_ap,image_f1max,pixel_auroc,aupro,fit_seconds,"
                  + "eval_seconds\n");
      for (Run r : runs) {
        EvaluationResult e = r.result();
        csv.append(
                Csv.line(
                    Integer.toString(r.k()),
                    Long.toString(r.seed()),
                    Integer.toString(r.normalsSeen()),
                    Double.toString(e.image().auroc()),
                    Double.toString(e.image().averagePrecision()),
                    Double.toString(e.image().f1Max()),
                    e.hasPixelMetrics() ? Double.toString(e.pixel().auroc()) : "",
                    e.hasPixelMetrics() ? Double.toString(e.aupro()) : "",
                    Double.toString(r.fitSeconds()),
                    Double.toString(e.seconds())))
            .append('\n');
      }
      AtomicFiles.writeString(outDir.resolve("runs.csv"), csv.toString());
    }
    return result;
  }

  private static String runName(int k, long seed) {
    return "k" + k + "_seed" + seed;
  }

  /**
   * The normal images of the training split in path order ({@link KShotSampler#inPathOrder}): the
   * pool.
   */
  static List<LabeledImage> normalPool(Dataset d) {
    return KShotSampler.inPathOrder(
        d.train().stream().filter(s -> !s.anomalous()).toList(), LabeledImage::file);
  }

  /** The pool's samples for the given shot files, in the file's order. */
  private static List<LabeledImage> pick(List<LabeledImage> pool, List<Path> files) {
    List<LabeledImage> out = new ArrayList<>();
    for (Path f : files) {
      Path want = f.toAbsolutePath().normalize();
      LabeledImage s =
          pool.stream()
              .filter(p -> p.file().toAbsolutePath().normalize().equals(want))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "shot "
                              + f
                              + " is not a normal training image of the"
                              + " dataset ("
                              + pool.size()
                              + " in its pool); check the shot file and --data"));
      out.add(s);
    }
    return out;
  }

  private static Path commonRoot(List<LabeledImage> pool) {
    Path first = pool.get(0).file().toAbsolutePath().getParent();
    Path root = first;
    for (LabeledImage s : pool) {
      while (root != null && !s.file().toAbsolutePath().startsWith(root)) {
        root = root.getParent();
      }
    }
    return root == null ? first : root;
  }

  static Stat stat(List<EvaluationResult> rs, ToDoubleFunction<EvaluationResult> f) {
    double[] v = rs.stream().mapToDouble(f).toArray();
    double mean = Arrays.stream(v).average().orElse(Double.NaN);
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return new Stat(mean, v.length == 0 ? Double.NaN : Math.sqrt(ss / v.length));
  }

  /** Builder of {@link KShotSweep}. */
  public static final class Builder {
    private Dataset dataset;
    private ScorerFactory factory;
    private int[] shots = {1, 2, 4, 8, 16};
    private long[] seeds = {0, 1, 2};
    private DetectorEvaluator evaluator;
    private boolean reports;
    private Consumer<Run> listener;
    private List<Path> fixedShots;
    private Path dataRoot;
    private boolean shotCountsSet;

    private Builder() {}

    /**
     * The dataset (required).
     *
     * @param d the dataset
     * @return this builder
     */
    public Builder setDataset(Dataset d) {
      dataset = Objects.requireNonNull(d, "dataset");
      return this;
    }

    /**
     * The scorer factory (required), e.g. {@link KShotSweep#mediClip}.
     *
     * @param f the factory
     * @return this builder
     */
    public Builder setFactory(ScorerFactory f) {
      factory = Objects.requireNonNull(f, "factory");
      return this;
    }

    /**
     * The shot counts. Default 1, 2, 4, 8, 16.
     *
     * @param ks distinct values, each at least 1
     * @return this builder
     */
    public Builder optShots(int... ks) {
      if (ks.length == 0) {
        throw new IllegalArgumentException("shots is empty; give at least one k");
      }
      for (int k : ks) {
        if (k < 1) {
          throw new IllegalArgumentException(
              "shots contains " + k + "; every k must be at least 1");
        }
      }
      if (Arrays.stream(ks).distinct().count() != ks.length) {
        throw new IllegalArgumentException("shots " + Arrays.toString(ks) + " has duplicates");
      }
      if (fixedShots != null) {
        throw new IllegalStateException("shots: fixed shot files were already given");
      }
      shots = ks.clone();
      shotCountsSet = true;
      return this;
    }

    /**
     * Uses these shots (e.g. read from a published shot file with {@link ShotFile#read}) for every
     * seed instead of drawing them; k is their number. Each must be a normal image of the dataset's
     * training split. The seeds still drive everything else (head initialisation, synthesis,
     * validation). Default: none (shots are drawn).
     *
     * @param files the shot files, at least one
     * @return this builder
     * @throws IllegalStateException when shot counts were already set with {@link
     *     #optShots(int...)}
     */
    public Builder optShots(List<Path> files) {
      Objects.requireNonNull(files, "shots");
      if (files.isEmpty()) {
        throw new IllegalArgumentException("shots is empty; give at least one shot file");
      }
      if (shotCountsSet) {
        throw new IllegalStateException(
            "shots: shot counts " + Arrays.toString(shots) + " were already set");
      }
      fixedShots = List.copyOf(files);
      shots = new int[] {files.size()};
      return this;
    }

    /**
     * The folder that shot files are written relative to. Default: the deepest folder that holds
     * every training image.
     *
     * @param root the dataset folder
     * @return this builder
     */
    public Builder optDataRoot(Path root) {
      dataRoot = Objects.requireNonNull(root, "root");
      return this;
    }

    /**
     * The seeds. Default 0, 1, 2.
     *
     * @param s distinct seeds, at least one
     * @return this builder
     */
    public Builder optSeeds(long... s) {
      if (s.length == 0) {
        throw new IllegalArgumentException("seeds is empty; give at least one seed");
      }
      if (Arrays.stream(s).distinct().count() != s.length) {
        throw new IllegalArgumentException("seeds " + Arrays.toString(s) + " has duplicates");
      }
      seeds = s.clone();
      return this;
    }

    /**
     * The evaluator. Default: {@link DetectorEvaluator#builder()} defaults without bootstrap.
     *
     * @param e the evaluator
     * @return this builder
     */
    public Builder optEvaluator(DetectorEvaluator e) {
      evaluator = Objects.requireNonNull(e, "evaluator");
      return this;
    }

    /**
     * Whether to write a full report folder per run ({@code k<k>_seed<seed>/}). Default false.
     *
     * @param enabled whether to write them
     * @return this builder
     */
    public Builder optReports(boolean enabled) {
      reports = enabled;
      return this;
    }

    /**
     * Called after each run (e.g. for logging).
     *
     * @param l the listener
     * @return this builder
     */
    public Builder optListener(Consumer<Run> l) {
      listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /**
     * Builds the sweep.
     *
     * @return the sweep
     * @throws IllegalStateException when the dataset or the factory is missing
     */
    public KShotSweep build() {
      if (dataset == null) {
        throw new IllegalStateException("dataset is required: call setDataset(...)");
      }
      if (factory == null) {
        throw new IllegalStateException("factory is required: call setFactory(...)");
      }
      return new KShotSweep(this);
    }
  }
}
