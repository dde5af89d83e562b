package io.github.mediclip.internal.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mediclip.clip.ImagePreprocessor;
import io.github.mediclip.synth.GrayImage;
import org.junit.jupiter.api.Test;

/** The shared training / inference preprocessing resizes as PIL's bilinear resize does. */
class GrayTensorsTest {

  @Test
  void toSizeIsThePilBilinearResizeOfImagePreprocessor() {
    float[] px = new float[50 * 30];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i * 37) % 256;
    }
    GrayImage img = GrayImage.of(50, 30, px);
    GrayImage out = GrayTensors.toSize(img, 16);
    assertThat(out.width()).isEqualTo(16);
    assertThat(out.height()).isEqualTo(16);
    assertThat(out.toArray()).containsExactly(ImagePreprocessor.resizeBilinear(px, 50, 30, 16, 16));
  }

  @Test
  void toSizeKeepsAnImageThatAlreadyHasTheSize() {
    GrayImage img = GrayImage.filled(8, 8, 3f);
    assertThat(GrayTensors.toSize(img, 8)).isSameAs(img);
  }

  @Test
  void shrinkingAFullHdImageAntialiasesAThinLine() {
    int w = 1920;
    int h = 1080;
    float[] px = new float[w * h];
    for (int y = 0; y < h; y++) {
      px[y * w + 960] = 255f; // a 2-pixel vertical line
      px[y * w + 961] = 255f;
    }
    GrayImage img = GrayImage.of(w, h, px);
    // A 2-tap bilinear resize samples columns 30x+14 and 30x+15 only, so the line vanishes ...
    assertThat(img.resize(64, 64).max()).isEqualTo(0f);
    // ... while PIL's filter (support widened by the shrink factor 30) keeps its mass: 510 / 30 per
    // row.
    float[] out = GrayTensors.toSize(img, 64).toArray();
    for (int y = 0; y < 64; y++) {
      double rowSum = 0;
      for (int x = 0; x < 64; x++) {
        rowSum += out[y * 64 + x];
      }
      assertThat(rowSum).isCloseTo(510.0 / 30, within(0.05 * 510 / 30));
    }
  }
}
