package io.github.mediclip.eval.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mediclip.eval.DetectorEvaluator;
import io.github.mediclip.eval.EvaluationResult;
import io.github.mediclip.eval.ImageScorer;
import io.github.mediclip.eval.ScoredImage;
import io.github.mediclip.train.LabeledImage;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads the real, messy datasets in the shared folder (skipped when it is absent) and checks the
 * README counts.
 */
class RealDataTest {

  private static Path dataDir(String name) {
    String shared = System.getProperty("mediclip.shared.dir");
    Path dir = shared == null ? null : Path.of(shared, "data", name);
    boolean present = dir != null && Files.isDirectory(dir);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          "CI=true but the shared dataset "
              + name
              + " is missing (mediclip.shared.dir = "
              + shared
              + ")");
    }
    Assumptions.assumeTrue(
        present,
        "shared dataset "
            + name
            + " not found (system property mediclip.shared.dir ="
            + " "
            + shared
            + "); skipping the real-data reader test");
    return dir;
  }

  @ParameterizedTest
  @CsvSource({"brainmri, 52, 35, 141, 0", "lgg-mri, 66, 44, 88, 88"})
  void countsMatchTheReadme(String name, int train, int testNormal, int testAbnormal, int masks) {
    Path dir = dataDir(name);
    Dataset d =
        DatasetReader.read(dir, Layout.AUTO, DatasetReader.Options.strict().withFullDecode(true));
    assertThat(d.train()).hasSize(train);
    assertThat(d.testNormal()).isEqualTo(testNormal);
    assertThat(d.testAnomalous()).isEqualTo(testAbnormal);
    assertThat(d.testMasks()).isEqualTo(masks);
    // every file decodes (JPEG, PNG gray/RGB/RGBA/palette behind lying extensions, TIFF) and has a
    // luminance
    LabeledImage first = d.test().get(d.test().size() - 1);
    BufferedImage img = ImageFiles.read(first.file());
    assertThat(ImageFiles.luminance(img)).hasSize(img.getWidth() * img.getHeight());
    if (first.maskFile() != null) {
      byte[] mask = ImageFiles.readMask(first.maskFile(), 224, 224);
      int on = 0;
      for (byte b : mask) {
        on += b;
      }
      assertThat(on).isPositive();
    }
  }

  @TempDir Path tmp;

  @Test
  void evaluatesRealMasksWithABrightnessBaseline() {
    Dataset d = DatasetReader.read(dataDir("lgg-mri"), Layout.PLAIN);
    // FLAIR lesions are hyperintense: luminance itself is a (weak) anomaly map; the score is its
    // mean
    ImageScorer brightness =
        image -> {
          float[] lum = ImageFiles.luminance(image);
          double sum = 0;
          for (float v : lum) {
            sum += v;
          }
          return ScoredImage.of(sum / lum.length, lum, image.getWidth(), image.getHeight());
        };
    EvaluationResult r =
        DetectorEvaluator.builder()
            .optBootstrap(0, 0)
            .optOverlayCases(1)
            .optPixelSize(128)
            .build()
            .evaluate(brightness, d, tmp.resolve("report"));
    assertThat(r.samples()).hasSize(132);
    assertThat(r.pixel().positives() + r.pixel().negatives()).isEqualTo(132L * 128 * 128);
    assertThat(r.pixel().positives()).isPositive();
    assertThat(r.pixel().auroc()).isBetween(0.0, 1.0);
    assertThat(tmp.resolve("report/overlays.png")).exists();
    System.out.printf(
        java.util.Locale.ROOT,
        "lgg-mri brightness baseline: image AUROC %.4f, pixel AUROC %.4f," + " AUPRO %.4f%n",
        r.image().auroc(),
        r.pixel().auroc(),
        r.aupro());
  }
}
