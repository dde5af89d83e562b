package io.github.mediclip.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrayImageTest {

  @Test
  void ofCopiesAndValidates() {
    float[] p = {1, 2, 3, 4, 5, 6};
    GrayImage g = GrayImage.of(3, 2, p);
    p[0] = 99;
    assertThat(g.get(0, 0)).isEqualTo(1f);
    assertThat(g.get(2, 1)).isEqualTo(6f);
    assertThat(g.mean()).isEqualTo(3.5);
    g.toArray()[1] = 42;
    assertThat(g.get(1, 0)).isEqualTo(2f);
    assertThatThrownBy(() -> GrayImage.of(3, 3, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pixels.length must be width*height = 3*3 = 9, but was 6");
    assertThatThrownBy(() -> GrayImage.of(0, 3, new float[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("width and height must be at least 1, but were width=0, height=3");
    assertThatThrownBy(() -> g.get(3, 0))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("(x=3, y=0)");
  }

  @Test
  void resizeIsBilinearWithCentredPixels() {
    GrayImage g = GrayImage.of(2, 1, new float[] {0, 100});
    GrayImage r = g.resize(4, 1);
    // centres of the 4 output pixels map to -0.25, 0.25, 0.75, 1.25 -> clamped
    assertThat(r.toArray()).containsExactly(0f, 25f, 75f, 100f);
    assertThat(g.resize(2, 1)).isSameAs(g);
    GrayImage c = GrayImage.filled(7, 5, 42f).resize(3, 11);
    assertThat(c.min()).isEqualTo(42f);
    assertThat(c.max()).isEqualTo(42f);
  }

  @Test
  void fromBufferedImageOfCommonKinds() {
    BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(0, 0, 0, 200);
    gray.getRaster().setSample(1, 0, 0, 7);
    assertThat(GrayImage.fromBufferedImage(gray).toArray()).containsExactly(200f, 7f);

    BufferedImage g16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
    g16.getRaster().setSample(0, 0, 0, 65535);
    assertThat(GrayImage.fromBufferedImage(g16).get(0, 0)).isCloseTo(255f, within(1e-3f));

    BufferedImage rgb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, 0x102030);
    float luma = (float) (0.299 * 0x10 + 0.587 * 0x20 + 0.114 * 0x30);
    assertThat(GrayImage.fromBufferedImage(rgb).get(0, 0)).isCloseTo(luma, within(1e-4f));

    BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x80FFFFFF);
    assertThat(GrayImage.fromBufferedImage(argb).get(0, 0)).isCloseTo(255f, within(1e-3f));

    BufferedImage bgr = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
    bgr.setRGB(0, 0, 0x102030);
    assertThat(GrayImage.fromBufferedImage(bgr).get(0, 0)).isCloseTo(luma, within(1e-4f));

    // gray + alpha, as ImageIO reads a gray-alpha PNG
    java.awt.color.ColorSpace cs =
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY);
    java.awt.image.ComponentColorModel gaModel =
        new java.awt.image.ComponentColorModel(
            cs,
            true,
            false,
            java.awt.Transparency.TRANSLUCENT,
            java.awt.image.DataBuffer.TYPE_BYTE);
    BufferedImage ga =
        new BufferedImage(gaModel, gaModel.createCompatibleWritableRaster(1, 1), false, null);
    ga.getRaster().setSample(0, 0, 0, 100);
    ga.getRaster().setSample(0, 0, 1, 255);
    assertThat(GrayImage.fromBufferedImage(ga).get(0, 0)).isEqualTo(100f);

    byte[] r = {0, (byte) 255};
    byte[] gg = {0, 0};
    byte[] b = {0, 0};
    BufferedImage pal =
        new BufferedImage(
            1, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, gg, b));
    pal.getRaster().setSample(0, 0, 0, 1);
    assertThat(GrayImage.fromBufferedImage(pal).get(0, 0)).isCloseTo(0.299f * 255, within(1e-3f));
  }

  @Test
  void toBufferedImageRoundsAndClamps() {
    GrayImage g = GrayImage.of(4, 1, new float[] {-5, 12.6f, 300, Float.NaN});
    BufferedImage bi = g.toBufferedImage();
    assertThat(bi.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(bi.getRaster().getSample(0, 0, 0)).isEqualTo(0);
    assertThat(bi.getRaster().getSample(1, 0, 0)).isEqualTo(13);
    assertThat(bi.getRaster().getSample(2, 0, 0)).isEqualTo(255);
    assertThat(bi.getRaster().getSample(3, 0, 0)).isEqualTo(0);
  }

  @Test
  void readWriteAndErrorsNameTheFile(@TempDir Path dir) throws Exception {
    GrayImage g = GrayImage.of(3, 2, new float[] {0, 10, 20, 30, 40, 255});
    Path png = dir.resolve("x.png");
    g.writePng(png);
    assertThat(GrayImage.read(png)).isEqualTo(g);
    Path missing = dir.resolve("missing.png");
    assertThatThrownBy(() -> GrayImage.read(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("missing.png");
    Path junk = dir.resolve("junk.png");
    Files.writeString(junk, "not an image");
    assertThatThrownBy(() -> GrayImage.read(junk))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("junk.png")
        .hasMessageContaining("not an image format that ImageIO can decode");
  }
}
