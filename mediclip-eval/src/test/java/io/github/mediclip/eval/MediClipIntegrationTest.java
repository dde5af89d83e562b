package io.github.mediclip.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.github.mediclip.MediClip;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.phantom.PhantomDataset;
import io.github.mediclip.train.FitListener;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real detector through the evaluation stack: a k-shot sweep that fits MediCLIP heads on a tiny
 * random CLIP ("tiny" preset, 1 epoch) over a small phantom dataset, evaluates with maps and masks,
 * and writes the reports. Checks the plumbing (shapes, ranges, files), not detection quality, which
 * a random backbone cannot have.
 */
class MediClipIntegrationTest {

  @TempDir Path tmp;

  @Test
  void sweepWithTheRealDetector() throws Exception {
    Dataset dataset = PhantomDataset.generate(tmp.resolve("phantom"), 4, 3, 3, 64, 5);
    KShotSweep.Result result =
        KShotSweep.builder()
            .setDataset(dataset)
            .setFactory(
                KShotSweep.mediClip(
                    seed ->
                        MediClip.builder()
                            .setRandomBackbone("tiny", 3)
                            .optEpochs(1)
                            .optBatchSize(2)
                            .optSeed(seed)
                            .optWorkers(1)
                            .optValidationAnomalies(2)
                            .optDevice(Device.cpu())
                            .optListener(new FitListener() {})
                            .build()))
            .optShots(2)
            .optSeeds(0)
            .optReports(true)
            .optEvaluator(
                DetectorEvaluator.builder()
                    .optBatchSize(3)
                    .optPixelSize(64)
                    .optBootstrap(20, 1)
                    .build())
            .build()
            .run(tmp.resolve("sweep"));
    EvaluationResult r = result.runs().get(0).result();
    // read from the detector's manifest: the run saw its 2 shots and nothing else
    assertThat(result.runs().get(0).normalsSeen()).isEqualTo(2);
    assertThat(r.samples()).hasSize(6);
    assertThat(r.hasPixelMetrics()).isTrue();
    assertThat(r.pixel().positives() + r.pixel().negatives()).isEqualTo(6L * 64 * 64);
    assertThat(r.image().auroc()).isBetween(0.0, 1.0);
    assertThat(r.pixel().auroc()).isBetween(0.0, 1.0);
    assertThat(r.aupro()).isBetween(0.0, 1.0);
    for (double s : r.scores()) {
      assertThat(s)
          .isBetween(0.0, 1.0); // raw MediCLIP scores are map maxima of softmax probabilities
    }
    assertThat(tmp.resolve("sweep/k2_seed0/index.html")).exists();
    assertThat(tmp.resolve("sweep/k2_seed0/overlays.png")).exists();
    assertThat(Files.readAllLines(tmp.resolve("sweep/table.csv"))).hasSize(2);
  }
}
