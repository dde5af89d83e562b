package io.github.mediclip.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.util.Progress;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.ImageFiles;
import io.github.mediclip.eval.metrics.Metrics;
import io.github.mediclip.eval.metrics.PixelMetrics;
import io.github.mediclip.eval.phantom.PhantomDataset;
import io.github.mediclip.train.LabeledImage;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorEvaluatorTest {

  @TempDir static Path tmp;
  static Dataset dataset;

  @BeforeAll
  static void phantom() {
    dataset = PhantomDataset.generate(tmp.resolve("phantom"), 6, 6, 6, 64, 11);
  }

  @Test
  void writesACompleteReportWhoseNumbersMatchTheMetrics() throws Exception {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY); // numbers in reports must not use a decimal comma
    try {
      OracleScorer scorer = new OracleScorer(dataset, 0.12, 5);
      long[] progress = new long[2];
      DetectorEvaluator evaluator =
          DetectorEvaluator.builder()
              .optBatchSize(4)
              .optPixelSize(48)
              .optBootstrap(100, 3)
              .optOverlayCases(2)
              .optThumbnailSize(64)
              .optProgress(new CountingProgress(progress))
              .build();
      Path out = tmp.resolve("report");
      EvaluationResult r = evaluator.evaluate(scorer, dataset, out);

      assertThat(scorer.calls).isEqualTo(12);
      assertThat(scorer.batches).isEqualTo(3);
      assertThat(progress[0]).isEqualTo(12);
      assertThat(progress[1]).isEqualTo(1);
      assertThat(r.image().auroc()).isEqualTo(Metrics.auroc(r.scores(), r.labels()));
      assertThat(r.image().auroc()).isGreaterThan(0.9);
      assertThat(r.hasPixelMetrics()).isTrue();
      assertThat(r.pixel().auroc()).isGreaterThan(0.9); // maps and masks are aligned
      assertThat(r.imageAurocCi().lower()).isLessThanOrEqualTo(r.image().auroc());

      // the pixel metrics equal an independent accumulation of the same resized maps and masks
      PixelMetrics check = new PixelMetrics();
      for (LabeledImage s : dataset.test()) {
        BufferedImage img = ImageFiles.read(s.file());
        ScoredImage si = scorer.score(img);
        float[] map =
            ImageFiles.resizeBilinear(
                si.anomalyMap().toArray(),
                si.anomalyMap().width(),
                si.anomalyMap().height(),
                48,
                48);
        byte[] mask =
            s.maskFile() == null ? new byte[48 * 48] : ImageFiles.readMask(s.maskFile(), 48, 48);
        check.add(map, mask, 48, 48);
      }
      assertThat(r.pixel().auroc()).isEqualTo(check.auroc());
      assertThat(r.aupro()).isEqualTo(check.aupro());

      JsonObject json =
          JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
      assertThat(json.getAsJsonObject("image").get("auroc").getAsDouble())
          .isEqualTo(r.image().auroc());
      assertThat(json.getAsJsonObject("pixel").get("aupro_0.3").getAsDouble()).isEqualTo(r.aupro());
      assertThat(json.get("test_anomalous").getAsInt()).isEqualTo(6);

      List<String> csv = Files.readAllLines(out.resolve("scores.csv"));
      assertThat(csv).hasSize(13);
      assertThat(csv.get(0)).isEqualTo("index,image,label,score,mask");
      assertThat(Double.parseDouble(csv.get(1).split(",")[3])).isEqualTo(r.scores()[0]);

      for (String png : List.of("roc.png", "pr.png", "overlays.png")) {
        BufferedImage img = ImageIO.read(out.resolve(png).toFile());
        assertThat(img).as(png).isNotNull();
      }
      BufferedImage grid = ImageIO.read(out.resolve("overlays.png").toFile());
      assertThat(grid.getWidth()).isEqualTo(3 * 64 + 4 * 6);
      String html = Files.readString(out.resolve("index.html"));
      assertThat(html)
          .contains("<td>image AUROC</td>", "roc.png", "overlays.png", "scores.csv")
          .contains(String.format(Locale.ROOT, "%.4f", r.image().auroc()));
      try (var files = Files.list(out)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
      }
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void imageOnlyScorersGetImageMetricsAndAClearPixelNote() {
    ImageScorer byBrightness =
        image -> ScoredImage.of(ImageFiles.luminance(image)[image.getWidth() * 30 + 30]);
    EvaluationResult r =
        DetectorEvaluator.builder().optBootstrap(0, 0).build().evaluate(byBrightness, dataset);
    assertThat(r.hasPixelMetrics()).isFalse();
    assertThat(r.pixelNote()).isEqualTo("the scorer returned no anomaly map");
    assertThat(r.aupro()).isNaN();
    assertThat(r.imageAurocCi()).isNull();
    assertThat(r.image().auroc()).isBetween(0.0, 1.0);
  }

  @Test
  void scorerMistakesAreNamed() {
    ImageScorer broken =
        new ImageScorer() {
          @Override
          public ScoredImage score(BufferedImage image) {
            return ScoredImage.of(0);
          }

          @Override
          public List<ScoredImage> scoreBatch(List<BufferedImage> images) {
            return List.of();
          }
        };
    assertThatThrownBy(() -> DetectorEvaluator.builder().build().evaluate(broken, dataset))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("returned 0 results for a batch of 8 images");
    assertThatThrownBy(() -> DetectorEvaluator.builder().optBatchSize(0))
        .hasMessage("batchSize is 0; it must be in [1, 4096]");
    assertThatThrownBy(() -> new ScoredImage(Double.NaN, null))
        .hasMessage("score is NaN; it must be finite");
    assertThatThrownBy(() -> ScoredImage.of(1, new float[3], 2, 2))
        .hasMessage("map has 3 values but width * height = 2 * 2");
  }

  @Test
  void kShotSweepAggregatesPerK() throws Exception {
    Path out = tmp.resolve("sweep");
    List<String> calls = new java.util.ArrayList<>();
    KShotSweep.Result result =
        KShotSweep.builder()
            .setDataset(dataset)
            .setFactory(
                (k, seed, shots) -> {
                  assertThat(shots).hasSize(k);
                  calls.add(k + "/" + seed);
                  return new OracleScorer(dataset, 0.05 * k + 0.01 * seed, seed);
                })
            .optShots(1, 4)
            .optSeeds(0, 1, 2)
            .optEvaluator(DetectorEvaluator.builder().optBootstrap(0, 0).optPixelSize(32).build())
            .build()
            .run(out);
    assertThat(calls).containsExactly("1/0", "1/1", "1/2", "4/0", "4/1", "4/2");
    assertThat(result.rows()).hasSize(2);
    KShotSweep.Row row = result.rows().get(1);
    double[] aurocs =
        result.runs().stream()
            .filter(r -> r.k() == 4)
            .mapToDouble(r -> r.result().image().auroc())
            .toArray();
    double mean = (aurocs[0] + aurocs[1] + aurocs[2]) / 3;
    double std =
        Math.sqrt(
            ((aurocs[0] - mean) * (aurocs[0] - mean)
                    + (aurocs[1] - mean) * (aurocs[1] - mean)
                    + (aurocs[2] - mean) * (aurocs[2] - mean))
                / 3);
    assertThat(row.imageAuroc().mean()).isCloseTo(mean, within(1e-15));
    assertThat(row.imageAuroc().std()).isCloseTo(std, within(1e-15));
    assertThat(row.pixelAuroc()).isNotNull();

    List<String> md = Files.readAllLines(out.resolve("table.md"));
    assertThat(md.get(2))
        .isEqualTo(
            "| k | seeds | normals seen | image AUROC | image AP | image F1-max | pixel AUROC | AUPRO@0.3 |");
    // a factory is given only the shots: the k-shot protocol sees k normal images
    assertThat(md.get(5)).startsWith("| 4 | 3 | 4 | " + row.imageAuroc().percent() + " |");
    assertThat(row.normalsSeen()).isEqualTo(4);
    List<String> csv = Files.readAllLines(out.resolve("table.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).startsWith("k,seeds,normals_seen,image_auroc_mean,");
    assertThat(csv.get(2))
        .startsWith("4,3,4," + row.imageAuroc().mean() + "," + row.imageAuroc().std() + ",");
    List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
    assertThat(runs).hasSize(7);
    assertThat(runs.get(4)).startsWith("4,0,4,");
    // the shot file lists the run's shots, drawn by the one sampler from the normal images in path
    // order
    KShotSweep.Run run =
        result.runs().stream().filter(r -> r.k() == 4 && r.seed() == 1).findFirst().orElseThrow();
    List<LabeledImage> pool =
        io.github.mediclip.train.KShotSampler.inPathOrder(
            dataset.train().stream().filter(x -> !x.anomalous()).toList(), LabeledImage::file);
    assertThat(run.shots()).isEqualTo(io.github.mediclip.train.KShotSampler.sample(pool, 4, 1));
    assertThat(
            io.github.mediclip.train.ShotFile.read(
                out.resolve("shots/k4_seed1.txt"), shotRoot(pool)))
        .isEqualTo(run.shots().stream().map(LabeledImage::file).toList());
  }

  @Test
  void sweepValidatesItsSettings() {
    assertThatThrownBy(() -> KShotSweep.builder().setDataset(dataset).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("factory is required: call setFactory(...)");
    assertThatThrownBy(() -> KShotSweep.builder().optShots(1, 1))
        .hasMessage("shots [1, 1] has duplicates");
    KShotSweep tooMany =
        KShotSweep.builder()
            .setDataset(dataset)
            .setFactory((k, s, shots) -> image -> ScoredImage.of(0))
            .optShots(7)
            .build();
    assertThatThrownBy(() -> tooMany.run(null))
        .hasMessage("k is 7 but the training pool of phantom has only 6 normal images");
  }

  /**
   * The deepest folder holding every image of the pool (KShotSweep's default root for shot files).
   */
  private static Path shotRoot(List<LabeledImage> pool) {
    Path root = pool.get(0).file().toAbsolutePath().getParent();
    for (LabeledImage x : pool) {
      while (!x.file().toAbsolutePath().startsWith(root)) {
        root = root.getParent();
      }
    }
    return root;
  }

  private static final class CountingProgress implements Progress {
    private final long[] counts;

    CountingProgress(long[] counts) {
      this.counts = counts;
    }

    @Override
    public void reset(String message, long max, String trailingMessage) {}

    @Override
    public void start(long initialProgress) {}

    @Override
    public void end() {
      counts[1]++;
    }

    @Override
    public void increment(long increment) {
      counts[0] += increment;
    }

    @Override
    public void update(long progress, String message) {}
  }
}
