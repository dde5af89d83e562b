package io.github.mediclip.eval.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.ImageFiles;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.LabeledImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhantomDatasetTest {

  @TempDir Path tmp;

  @Test
  void writesAPlainLayoutThatReadsBack() throws Exception {
    Dataset d = PhantomDataset.generate(tmp.resolve("ph"), 4, 3, 5, 64, 7);
    assertThat(d.train()).hasSize(4);
    assertThat(d.testNormal()).isEqualTo(3);
    assertThat(d.testAnomalous()).isEqualTo(5);
    assertThat(d.hasPixelGroundTruth()).isTrue();
    for (LabeledImage s : d.test()) {
      if (s.anomalous()) {
        byte[] mask = ImageFiles.readMask(s.maskFile(), 64, 64);
        int on = 0;
        for (byte b : mask) {
          on += b;
        }
        assertThat(on).as("lesion pixels of %s", s.file()).isBetween(10, 64 * 64 / 3);
      }
    }
    assertThat(Files.readString(tmp.resolve("ph/phantom.json"))).contains("\"seed\": 7");
  }

  @Test
  void deterministicPerSeedAndVariedPerSubject() throws Exception {
    PhantomDataset.generate(tmp.resolve("a"), 2, 1, 1, 48, 3);
    PhantomDataset.generate(tmp.resolve("b"), 2, 1, 1, 48, 3);
    PhantomDataset.generate(tmp.resolve("c"), 2, 1, 1, 48, 4);
    Path rel = Path.of("train/normal/normal_0000.png");
    assertThat(Files.readAllBytes(tmp.resolve("a").resolve(rel)))
        .isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(rel)));
    assertThat(Files.readAllBytes(tmp.resolve("a").resolve(rel)))
        .isNotEqualTo(Files.readAllBytes(tmp.resolve("c").resolve(rel)));
    assertThat(Files.readAllBytes(tmp.resolve("a").resolve(rel)))
        .isNotEqualTo(Files.readAllBytes(tmp.resolve("a/train/normal/normal_0001.png")));
  }

  @Test
  void normalSliceIsTheRenderedNormalImageAndDeterministicPerSeed() {
    GrayImage a = PhantomDataset.normalSlice(48, 11);
    assertThat(a.width()).isEqualTo(48);
    assertThat(a.height()).isEqualTo(48);
    assertThat(a.toArray())
        .isEqualTo(
            ImageFiles.luminance(PhantomDataset.render(48, new SplittableRandom(11), false).image));
    assertThat(PhantomDataset.normalSlice(48, 11)).isEqualTo(a);
    assertThat(PhantomDataset.normalSlice(48, 12)).isNotEqualTo(a);
    assertThat(a.min()).isGreaterThanOrEqualTo(0f);
    assertThat(a.max()).isLessThanOrEqualTo(255f).isGreaterThan(100f);
    assertThatThrownBy(() -> PhantomDataset.normalSlice(15, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size is 15; it must be in [16, 4096]");
  }

  @Test
  void lesionsChangeIntensityInsideTheMaskOnly() {
    PhantomDataset.Slice s = PhantomDataset.render(96, new SplittableRandom(5), true);
    float[] img = ImageFiles.luminance(s.image);
    float[] mask = ImageFiles.luminance(s.mask);
    assertThat(s.maskPixels).isPositive();
    // brain-like structure: bright skull ring, dark background corners, mid-gray tissue at the
    // centre
    assertThat(img[0]).isLessThan(30);
    assertThat(img[48 * 96 + 48]).isBetween(20f, 255f);
    for (int i = 0; i < mask.length; i++) {
      assertThat(mask[i]).isIn(0f, 255f);
    }
  }

  @Test
  void rejectsBadArguments() throws Exception {
    assertThatThrownBy(() -> PhantomDataset.generate(tmp.resolve("x"), 0, 1, 1, 64, 1))
        .hasMessage("trainNormals is 0; it must be in [1, 100000]");
    assertThatThrownBy(() -> PhantomDataset.generate(tmp.resolve("x"), 1, 1, 1, 16, 1))
        .hasMessage("size is 16; it must be in [32, 2048]");
    Files.createDirectories(tmp.resolve("full"));
    Files.writeString(tmp.resolve("full/x.txt"), "x");
    assertThatThrownBy(() -> PhantomDataset.generate(tmp.resolve("full"), 1, 1, 1, 64, 1))
        .hasMessageContaining("is not empty");
  }
}
