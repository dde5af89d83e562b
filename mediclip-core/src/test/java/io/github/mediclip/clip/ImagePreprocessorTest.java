package io.github.mediclip.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePreprocessorTest {

  private static final float[] MEAN = ImagePreprocessor.openAiMean();
  private static final float[] STD = ImagePreprocessor.openAiStd();

  @TempDir Path tmp;

  private static BufferedImage rgb(int w, int h, long seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    SplittableRandom r = new SplittableRandom(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    return img;
  }

  /** Un-normalizes channel c of a CHW array back to the [0, 1] scale. */
  private static float unnorm(float[] chw, int c, int s, int x, int y) {
    return chw[c * s * s + y * s + x] * STD[c] + MEAN[c];
  }

  @Test
  void constantImageOfOddSizeGivesTheNormalizedConstant() {
    BufferedImage img = new BufferedImage(37, 53, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 53; y++) {
      for (int x = 0; x < 37; x++) {
        img.setRGB(x, y, (200 << 16) | (100 << 8) | 7);
      }
    }
    float[] chw = ImagePreprocessor.openAi(24).toChw(img);
    assertThat(chw).hasSize(3 * 24 * 24);
    float[] expected = {
      (200 / 255f - MEAN[0]) / STD[0],
      (100 / 255f - MEAN[1]) / STD[1],
      (7 / 255f - MEAN[2]) / STD[2]
    };
    for (int i = 0; i < chw.length; i++) {
      assertThat(chw[i]).isCloseTo(expected[i / (24 * 24)], within(1e-5f));
    }
  }

  @Test
  void shrinkingByTwoUsesPilsWidenedTriangleFilter() {
    // A 4x1 row a0..a3 shrunk to 2 pixels: centres 1.0 and 3.0, support 2; PIL's weights are
    // (0.75, 0.75, 0.25)/1.75 over a0..a2 and (0.25, 0.75, 0.75)/1.75 over a1..a3.
    int[] a = {0, 60, 120, 240};
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        img.getRaster().setSample(x, y, 0, a[x]);
      }
    }
    float[] chw = ImagePreprocessor.openAi(2).toChw(img);
    double left = (0.75 * a[0] + 0.75 * a[1] + 0.25 * a[2]) / 1.75 / 255;
    double right = (0.25 * a[1] + 0.75 * a[2] + 0.75 * a[3]) / 1.75 / 255;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 2; y++) {
        assertThat(unnorm(chw, c, 2, 0, y)).isCloseTo((float) left, within(1e-5f));
        assertThat(unnorm(chw, c, 2, 1, y)).isCloseTo((float) right, within(1e-5f));
      }
    }
  }

  @Test
  void resizeBilinearHandlesEachAxisOnItsOwn() {
    // width 4 -> 2 (shrink: widened triangle), height 2 -> 4 (enlarge: half-pixel bilinear)
    float[] plane = {0, 60, 120, 240, 100, 100, 100, 100};
    float[] out = ImagePreprocessor.resizeBilinear(plane, 4, 2, 2, 4);
    assertThat(out).hasSize(8);
    float top = (0.75f * 0 + 0.75f * 60 + 0.25f * 120) / 1.75f;
    float bottom = 100f;
    float[] rowWeights = {1f, 0.75f, 0.25f, 0f}; // weight of the top row at output rows 0..3
    for (int y = 0; y < 4; y++) {
      float expected = rowWeights[y] * top + (1 - rowWeights[y]) * bottom;
      assertThat(out[y * 2]).as("row %d", y).isCloseTo(expected, within(1e-4f));
    }
    assertThatThrownBy(() -> ImagePreprocessor.resizeBilinear(new float[5], 2, 2, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("plane has 5 values, expected 2x2 = 4");
    assertThatThrownBy(() -> ImagePreprocessor.resizeBilinear(new float[4], 2, 2, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sizes must be positive, got 2x2 -> 0x1");
  }

  @Test
  void enlargingIsHalfPixelBilinearWithClampedBorders() {
    // 2 -> 4: sample positions -0.25, 0.25, 0.75, 1.25 (align_corners = false), borders clamp.
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 2; y++) {
      img.getRaster().setSample(0, y, 0, 40);
      img.getRaster().setSample(1, y, 0, 200);
    }
    float[] chw = ImagePreprocessor.openAi(4).toChw(img);
    float[] expected = {40, 0.75f * 40 + 0.25f * 200, 0.25f * 40 + 0.75f * 200, 200};
    for (int x = 0; x < 4; x++) {
      assertThat(unnorm(chw, 1, 4, x, 2)).isCloseTo(expected[x] / 255f, within(1e-5f));
    }
  }

  @Test
  void sixteenBitGrayIsScaledLinearlyWithoutGamma() throws Exception {
    BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        img.getRaster().setSample(x, y, 0, 30000);
      }
    }
    Path png = tmp.resolve("gray16.png");
    ImageIO.write(img, "png", png.toFile());
    BufferedImage read = ImagePreprocessor.read(png);
    assertThat(read.getColorModel().getComponentSize(0)).isEqualTo(16);
    float[] chw = ImagePreprocessor.openAi(4).toChw(read);
    for (int c = 0; c < 3; c++) {
      assertThat(unnorm(chw, c, 4, 3, 1)).isCloseTo(30000 / 65535f, within(1e-5f));
    }
  }

  @Test
  void paletteAndRgbaConvertLikeTheirRgbContent() throws Exception {
    BufferedImage reference = rgb(9, 7, 3);
    // RGBA with arbitrary alpha: the stored colour is used, alpha dropped (PIL convert("RGB")).
    BufferedImage rgba = new BufferedImage(9, 7, BufferedImage.TYPE_INT_ARGB);
    SplittableRandom r = new SplittableRandom(5);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 9; x++) {
        rgba.setRGB(x, y, (r.nextInt(256) << 24) | (reference.getRGB(x, y) & 0xffffff));
      }
    }
    Path rgbaPng = tmp.resolve("rgba.png");
    ImageIO.write(rgba, "png", rgbaPng.toFile());
    ImagePreprocessor p = ImagePreprocessor.openAi(6);
    float[] expected = p.toChw(reference);
    assertThat(p.toChw(ImagePreprocessor.read(rgbaPng))).containsExactly(expected, within(0f));

    // palette: four colours
    byte[] red = {(byte) 255, 0, 10, (byte) 128};
    byte[] green = {0, (byte) 255, 20, (byte) 128};
    byte[] blue = {0, 0, 30, (byte) 128};
    IndexColorModel icm = new IndexColorModel(2, 4, red, green, blue);
    BufferedImage pal = new BufferedImage(9, 7, BufferedImage.TYPE_BYTE_BINARY, icm);
    BufferedImage same = new BufferedImage(9, 7, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 9; x++) {
        int idx = (x + 2 * y) % 4;
        pal.getRaster().setSample(x, y, 0, idx);
        same.setRGB(
            x, y, ((red[idx] & 0xff) << 16) | ((green[idx] & 0xff) << 8) | (blue[idx] & 0xff));
      }
    }
    Path palPng = tmp.resolve("palette.png");
    ImageIO.write(pal, "png", palPng.toFile());
    BufferedImage readPal = ImagePreprocessor.read(palPng);
    assertThat(readPal.getColorModel()).isInstanceOf(IndexColorModel.class);
    assertThat(p.toChw(readPal)).containsExactly(p.toChw(same), within(0f));
  }

  @Test
  void batchesIntoBx3xSxSInInputOrder() {
    List<BufferedImage> images = List.of(rgb(31, 17, 1), rgb(8, 40, 2), rgb(224, 224, 3));
    ImagePreprocessor p = ImagePreprocessor.openAi(16);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray batch = p.toTensor(m, images);
      assertThat(batch.getShape()).isEqualTo(new Shape(3, 3, 16, 16));
      assertThat(batch.getDataType()).isEqualTo(DataType.FLOAT32);
      for (int i = 0; i < images.size(); i++) {
        assertThat(batch.get(i).toFloatArray()).containsExactly(p.toChw(images.get(i)), within(0f));
      }
    }
    assertThatThrownBy(() -> p.toTensor(NDManager.newBaseManager(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("images must not be empty");
  }

  @Test
  void unreadableFilesGiveAnErrorNamingTheFile() throws Exception {
    Path corrupt = tmp.resolve("corrupt.png");
    byte[] bytes = new byte[200];
    byte[] sig = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    System.arraycopy(sig, 0, bytes, 0, sig.length);
    Files.write(corrupt, bytes);
    assertThatThrownBy(() -> ImagePreprocessor.read(corrupt))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot read image " + corrupt);
    Path text = tmp.resolve("notes.txt");
    Files.writeString(text, "not an image");
    assertThatThrownBy(() -> ImagePreprocessor.read(text))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(
            "cannot read image " + text + ": not an image format that ImageIO can decode");
    Path missing = tmp.resolve("missing.png");
    assertThatThrownBy(() -> ImagePreprocessor.read(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot read image " + missing + ": no such file");
  }

  private Path cmykJpeg(String name, int c, int m, int y, int k) throws Exception {
    // ImageIO's JPEG writer stores a 4-band raster as a 4-channel JPEG; samples are stored inverted
    // (255 - ink), the Adobe convention that the JDK's reader assumes for CMYK.
    WritableRaster raster = Raster.createBandedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
    int[] v = {c, m, y, k};
    for (int yy = 0; yy < 16; yy++) {
      for (int x = 0; x < 16; x++) {
        for (int b = 0; b < 4; b++) {
          raster.setSample(x, yy, b, 255 - v[b]);
        }
      }
    }
    Path file = tmp.resolve(name);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }
    return file;
  }

  @Test
  void cmykJpegIsConvertedToRgb() throws Exception {
    // JDK 17's JPEG reader decodes 4-channel JPEGs as (inverted, Adobe-style) CMYK; the colour
    // model
    // converts them to RGB without colour management.
    ImagePreprocessor p = ImagePreprocessor.openAi(4);
    float[] white = p.toChw(ImagePreprocessor.read(cmykJpeg("white.jpg", 0, 0, 0, 0)));
    float[] black = p.toChw(ImagePreprocessor.read(cmykJpeg("black.jpg", 0, 0, 0, 255)));
    float[] cyan = p.toChw(ImagePreprocessor.read(cmykJpeg("cyan.jpg", 255, 0, 0, 0)));
    for (int c = 0; c < 3; c++) {
      assertThat(unnorm(white, c, 4, 1, 1)).isCloseTo(1f, within(2 / 255f));
      assertThat(unnorm(black, c, 4, 1, 1)).isCloseTo(0f, within(2 / 255f));
    }
    assertThat(unnorm(cyan, 0, 4, 2, 2)).isCloseTo(0f, within(2 / 255f));
    assertThat(unnorm(cyan, 1, 4, 2, 2)).isCloseTo(1f, within(2 / 255f));
    assertThat(unnorm(cyan, 2, 4, 2, 2)).isCloseTo(1f, within(2 / 255f));
  }

  @Test
  void builderValidatesAndKeepsCustomNormalization() {
    ImagePreprocessor p =
        ImagePreprocessor.builder()
            .setImageSize(3)
            .optMean(0.5f, 0.5f, 0.5f)
            .optStd(0.5f, 0.25f, 1f)
            .build();
    BufferedImage white = new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 5; x++) {
        white.setRGB(x, y, 0xffffff);
      }
    }
    float[] chw = p.toChw(white);
    assertThat(chw[0]).isCloseTo(1f, within(1e-6f));
    assertThat(chw[9]).isCloseTo(2f, within(1e-6f));
    assertThat(chw[18]).isCloseTo(0.5f, within(1e-6f));
    assertThatThrownBy(() -> ImagePreprocessor.builder().optStd(1f, 0f, 1f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("std must hold finite positive values, got [1.0, 0.0, 1.0]");
    assertThatThrownBy(() -> ImagePreprocessor.builder().optMean(1f, 1f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mean must have 3 values (R, G, B), got [1.0, 1.0]");
    assertThatThrownBy(() -> ImagePreprocessor.builder().setImageSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("imageSize must be positive, got 0");
    assertThatThrownBy(() -> ImagePreprocessor.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("imageSize is required: call setImageSize(int)");
  }
}
