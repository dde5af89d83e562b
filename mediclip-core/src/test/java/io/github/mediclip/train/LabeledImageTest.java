package io.github.mediclip.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.synth.GrayImage;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one labelled-sample type: in memory or a file read on demand. */
class LabeledImageTest {

  @Test
  void aFileIsReadOnlyWhenItsPixelsAreAskedFor(@TempDir Path dir) {
    Path missing = dir.resolve("missing.png");
    LabeledImage li = LabeledImage.ofFile(missing, false, null);
    assertThat(li.id()).isEqualTo(missing.toString());
    assertThat(li.file()).isEqualTo(missing);
    assertThat(li.hasMask()).isFalse();
    assertThat(li.mask()).isNull();
    assertThatThrownBy(li::image)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aFileAndItsMaskAreReadWithNonZeroMaskPixelsAsOne(@TempDir Path dir) throws Exception {
    Path image = dir.resolve("a.png");
    Path mask = dir.resolve("a_mask.png");
    GrayImage.of(2, 2, new float[] {0, 50, 100, 200}).writePng(image);
    GrayImage.of(2, 2, new float[] {0, 3, 0, 255}).writePng(mask);
    LabeledImage li = LabeledImage.ofFile(image, true, mask);
    assertThat(li.anomalous()).isTrue();
    assertThat(li.hasMask()).isTrue();
    assertThat(li.maskFile()).isEqualTo(mask);
    assertThat(li.image().toArray()).containsExactly(0, 50, 100, 200);
    assertThat(li.mask().toArray()).containsExactly(0, 1, 0, 1);
  }

  @Test
  void inMemoryImagesHaveNoFileAndCheckTheMaskSize() {
    GrayImage img = GrayImage.of(2, 2, new float[] {1, 2, 3, 4});
    LabeledImage li = LabeledImage.anomalous("x", img, GrayImage.of(2, 2, new float[4]));
    assertThat(li.file()).isNull();
    assertThat(li.maskFile()).isNull();
    assertThat(li.hasMask()).isTrue();
    assertThat(li.image()).isSameAs(img);
    assertThatThrownBy(() -> LabeledImage.anomalous("x", img, GrayImage.of(3, 2, new float[6])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("LabeledImage x: mask is 3x2 but image is 2x2");
  }

  @Test
  void equalContentsAreEqual() {
    Path p = Path.of("data", "a.png");
    assertThat(LabeledImage.ofFile(p, true, null))
        .isEqualTo(LabeledImage.ofFile(Path.of("data", "a.png"), true, null))
        .hasSameHashCodeAs(LabeledImage.ofFile(Path.of("data", "a.png"), true, null))
        .isNotEqualTo(LabeledImage.ofFile(p, false, null))
        .isNotEqualTo(LabeledImage.ofFile(p, true, Path.of("m.png")));
    GrayImage img = GrayImage.of(1, 1, new float[] {7});
    assertThat(LabeledImage.normal("n", img))
        .isEqualTo(LabeledImage.normal("n", GrayImage.of(1, 1, new float[] {7})))
        .isNotEqualTo(LabeledImage.normal("n", GrayImage.of(1, 1, new float[] {8})));
    assertThat(LabeledImage.ofFile(p, true, null).toString())
        .isEqualTo("LabeledImage[file=" + p + ", anomalous]");
  }
}
