package io.github.mediclip.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

  @TempDir Path tmp;

  @Test
  void luminanceKeepsGrayValuesAndWeighsRgbLikePil() {
    BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster()
        .setSample(0, 0, 0, 128); // getRGB would return 188 here (linear-gray to sRGB conversion)
    gray.getRaster().setSample(1, 0, 0, 50);
    assertThat(ImageFiles.luminance(gray)).containsExactly(128f, 50f);

    BufferedImage gray16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
    gray16.getRaster().setSample(0, 0, 0, 257 * 100);
    assertThat(ImageFiles.luminance(gray16)).containsExactly(100f);

    for (int type :
        new int[] {
          BufferedImage.TYPE_3BYTE_BGR,
          BufferedImage.TYPE_INT_RGB,
          BufferedImage.TYPE_4BYTE_ABGR,
          BufferedImage.TYPE_INT_ARGB
        }) {
      BufferedImage rgb = new BufferedImage(1, 1, type);
      rgb.setRGB(0, 0, 0x80_0A_64_C8); // alpha 0x80 is ignored, as PIL's convert("L") does
      assertThat(ImageFiles.luminance(rgb))
          .as("type %d", type)
          .containsExactly((10 * 299 + 100 * 587 + 200 * 114) / 1000f);
    }
    byte[] r = {0, (byte) 200};
    byte[] g = {0, 100};
    byte[] b = {0, 10};
    BufferedImage palette =
        new BufferedImage(
            1, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
    palette.getRaster().setSample(0, 0, 0, 1);
    assertThat(ImageFiles.luminance(palette))
        .containsExactly((200 * 299 + 100 * 587 + 10 * 114) / 1000f);
  }

  @Test
  void masksAreResizedWithNearestNeighbour() {
    BufferedImage m = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    m.getRaster().setSample(3, 3, 0, 255);
    byte[] small = ImageFiles.maskFrom(m, 2, 2);
    assertThat(small).containsExactly(0, 0, 0, 1);
    byte[] big = ImageFiles.maskFrom(m, 8, 8);
    int on = 0;
    for (byte v : big) {
      on += v;
    }
    assertThat(on).isEqualTo(4);
  }

  @Test
  void bilinearResizeKeepsConstantsAndIdentity() {
    float[] c = {2, 2, 2, 2};
    assertThat(ImageFiles.resizeBilinear(c, 2, 2, 5, 3)).containsOnly(2f);
    float[] ramp = {0, 1, 2, 3};
    assertThat(ImageFiles.resizeBilinear(ramp, 4, 1, 4, 1)).containsExactly(ramp);
    assertThat(ImageFiles.resizeBilinear(ramp, 4, 1, 2, 1)).containsExactly(0.5f, 2.5f);
  }

  @Test
  void readErrorsNameTheFile() throws Exception {
    Path bad = tmp.resolve("x.png");
    Files.writeString(bad, "hello");
    assertThatThrownBy(() -> ImageFiles.read(bad))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(
            "cannot read image " + bad + ": not an image format that ImageIO can decode")
        .hasMessageNotContaining("68 65 6c"); // never the file's content
    assertThat(ImageFiles.problem(tmp.resolve("missing.png"), false)).isEqualTo("no such file");
  }
}
