package io.github.mediclip.synth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one image reader: limits before decoding, non-regular files, corrupt files, pixel helpers.
 */
class ImageIoTest {

  @TempDir Path tmp;

  /**
   * A PNG of 1 x 1 pixel whose header declares w x h (IHDR rewritten, CRC fixed), as a pixel bomb.
   */
  static byte[] declaredPng(int w, int h) throws IOException {
    BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(one, "png", out);
    byte[] b = out.toByteArray();
    ByteBuffer bb = ByteBuffer.wrap(b);
    bb.putInt(16, w).putInt(20, h);
    CRC32 crc = new CRC32();
    crc.update(b, 12, 17);
    bb.putInt(29, (int) crc.getValue());
    return b;
  }

  static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).isTrue();
    return out.toByteArray();
  }

  static BufferedImage noise(int w, int h, int type, long seed) {
    BufferedImage img = new BufferedImage(w, h, type);
    SplittableRandom r = new SplittableRandom(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    return img;
  }

  @Test
  void refusesAnImageAboveThePixelLimitBeforeDecoding() throws Exception {
    Path bomb = Files.write(tmp.resolve("bomb.png"), declaredPng(40000, 40000));
    assertThat(Files.size(bomb)).isLessThan(200);
    long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertThatThrownBy(() -> ImageIo.read(bomb))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage(
            "java.io.IOException: cannot read image "
                + bomb
                + ": image is 40000 x 40000 = 1600000000 pixels, more than the limit of 50000000"
                + " pixels; it was not decoded. Downscale it, or raise the limit with"
                + " -Dmediclip.image.maxPixels=N (about 12 bytes of heap per pixel)");
    assertThat(ImageIo.problem(bomb, false)).startsWith("image is 40000 x 40000");
    long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertThat(after - before).as("no raster allocated").isLessThan(500L << 20);
  }

  @Test
  void thePixelLimitIsASystemProperty() throws Exception {
    Path small =
        Files.write(
            tmp.resolve("s.png"), encode(noise(20, 10, BufferedImage.TYPE_BYTE_GRAY, 1), "png"));
    String old = System.getProperty(ImageIo.MAX_PIXELS_PROPERTY);
    try {
      System.setProperty(ImageIo.MAX_PIXELS_PROPERTY, "199");
      assertThat(ImageIo.problem(small, false))
          .contains("20 x 10 = 200 pixels, more than the limit of 199");
      System.setProperty(ImageIo.MAX_PIXELS_PROPERTY, "200");
      assertThat(ImageIo.read(small).getWidth()).isEqualTo(20);
      System.setProperty(ImageIo.MAX_PIXELS_PROPERTY, "-5");
      assertThatThrownBy(ImageIo::maxPixels)
          .hasMessage(
              "system property mediclip.image.maxPixels must be a positive integer, but was '-5'");
    } finally {
      if (old == null) {
        System.clearProperty(ImageIo.MAX_PIXELS_PROPERTY);
      } else {
        System.setProperty(ImageIo.MAX_PIXELS_PROPERTY, old);
      }
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aNamedPipeIsReportedAndNeverOpened() throws Exception {
    Path fifo = tmp.resolve("pipe.png");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor() == 0, "mkfifo not available");
    String reason = ImageIo.problem(fifo, true);
    assertThat(reason).startsWith("not a regular file (a named pipe, device or socket)");
    assertThatThrownBy(() -> ImageIo.read(fifo))
        .hasMessageContaining("pipe.png: not a regular file");
  }

  @Test
  void brokenLinksFoldersAndMissingFilesAreNamed() throws Exception {
    Path link = tmp.resolve("link.png");
    Files.createSymbolicLink(link, tmp.resolve("gone.png"));
    assertThat(ImageIo.problem(link, false))
        .isEqualTo("broken symbolic link (its target does not exist)");
    assertThat(ImageIo.problem(tmp, false)).isEqualTo("is a folder, not an image file");
    assertThat(ImageIo.problem(tmp.resolve("none.png"), false)).isEqualTo("no such file");
  }

  @Test
  void truncatedAndHeaderOnlyPngsPassTheHeaderCheckButNotTheDecode() throws Exception {
    byte[] full = encode(noise(64, 64, BufferedImage.TYPE_INT_RGB, 2), "png");
    Path truncated = Files.write(tmp.resolve("t.png"), Arrays.copyOf(full, full.length / 2));
    Path headerOnly = Files.write(tmp.resolve("h.png"), Arrays.copyOf(full, 33));
    for (Path f : new Path[] {truncated, headerOnly}) {
      assertThat(ImageIo.problem(f, false)).as(f.toString()).isNull();
      assertThat(ImageIo.problem(f, true))
          .as(f.toString())
          .startsWith("corrupt or truncated image");
      assertThatThrownBy(() -> ImageIo.read(f))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot read image " + f + ": corrupt or truncated image");
    }
  }

  @Test
  void aTruncatedJpegDecodesWithAWarning() throws Exception {
    byte[] full = encode(noise(64, 64, BufferedImage.TYPE_INT_RGB, 3), "jpg");
    Path ok = Files.write(tmp.resolve("ok.jpg"), full);
    Path cut = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(full, full.length * 2 / 3));
    assertThat(ImageIo.readWithWarnings(ok).warnings()).isEmpty();
    ImageIo.Decoded d = ImageIo.readWithWarnings(cut);
    assertThat(d.image().getWidth()).isEqualTo(64);
    assertThat(d.warnings()).isNotEmpty();
  }

  @Test
  void junkIsRefusedWithoutEchoingItsContent() throws Exception {
    Path junk = Files.writeString(tmp.resolve("passwd.png"), "root:x:0:0:secret\n");
    String reason = ImageIo.problem(junk, false);
    assertThat(reason).startsWith("not an image format that ImageIO can decode");
    assertThat(reason).doesNotContain("root").doesNotContain("72 6f 6f 74");
  }

  @Test
  void decodingIsWhatImageIoReadDoes() throws Exception {
    for (int type :
        new int[] {
          BufferedImage.TYPE_BYTE_GRAY,
          BufferedImage.TYPE_USHORT_GRAY,
          BufferedImage.TYPE_INT_RGB,
          BufferedImage.TYPE_INT_ARGB,
          BufferedImage.TYPE_3BYTE_BGR
        }) {
      Path f =
          Files.write(tmp.resolve("i" + type + ".png"), encode(noise(17, 9, type, type), "png"));
      BufferedImage ours = ImageIo.read(f);
      BufferedImage theirs = ImageIO.read(f.toFile());
      assertThat(ours.getType()).isEqualTo(theirs.getType());
      assertThat(ImageIo.luminance(ours)).containsExactly(ImageIo.luminance(theirs));
    }
  }

  @Test
  void luminanceUsesBt601OnTheStoredColourOnEveryPath() {
    BufferedImage rgb = noise(5, 3, BufferedImage.TYPE_3BYTE_BGR, 4); // raster fast path
    BufferedImage argb = new BufferedImage(5, 3, BufferedImage.TYPE_INT_ARGB); // getRGB path
    byte[] r = new byte[256];
    for (int i = 0; i < 256; i++) {
      r[i] = (byte) i;
    }
    BufferedImage pal =
        new BufferedImage(
            5, 3, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, r, r));
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        argb.setRGB(x, y, 0xFF000000 | rgb.getRGB(x, y));
      }
    }
    float[] a = ImageIo.luminance(rgb);
    float[] b = ImageIo.luminance(argb);
    for (int i = 0; i < 15; i++) {
      int p = rgb.getRGB(i % 5, i / 5);
      float expected =
          (float) (0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF));
      assertThat(a[i]).isEqualTo(expected);
      assertThat(b[i]).isEqualTo(expected);
    }
    pal.setRGB(0, 0, 0xFF404040);
    assertThat(ImageIo.luminance(pal)[0]).isEqualTo((float) (0.299 * 64 + 0.587 * 64 + 0.114 * 64));
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void anOutOfMemoryErrorWhileDecodingIsThatImagesErrorAndTheNextImageIsRead() throws Exception {
    // 6000 x 6000 8-bit gray (under the pixel limit) needs a 36 MB raster; the probe JVM has 24 MB
    // of heap
    BufferedImage big = new BufferedImage(6000, 6000, BufferedImage.TYPE_BYTE_GRAY);
    Path bigPng = tmp.resolve("big.png");
    assertThat(ImageIO.write(big, "png", bigPng.toFile())).isTrue();
    big = null;
    Path small =
        Files.write(
            tmp.resolve("small.png"), encode(noise(8, 8, BufferedImage.TYPE_BYTE_GRAY, 5), "png"));
    Path fakeTmp = Files.createDirectories(tmp.resolve("fake-tmp"));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m",
                "-Djava.awt.headless=true",
                "-Djava.io.tmpdir=" + fakeTmp,
                "-cp",
                System.getProperty("java.class.path"),
                ImageIoOomProbe.class.getName(),
                bigPng.toString(),
                small.toString())
            .redirectErrorStream(true)
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out.lines().toList())
        .containsExactly(
            "error cannot read image "
                + bigPng
                + ": out of memory while decoding a 6000 x 6000 image; give Java more heap (-Xmx) or lower"
                + " the pixel limit (-Dmediclip.image.maxPixels=...)",
            "ok 8x8");
    try (var left = Files.list(fakeTmp)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void resizeIsTheTwoTapBilinear() {
    float[] ramp = {0, 1, 2, 3};
    assertThat(ImageIo.resizeBilinear(ramp, 4, 1, 2, 1)).containsExactly(0.5f, 2.5f);
    assertThat(ImageIo.resizeBilinear(ramp, 4, 1, 4, 1)).containsExactly(ramp).isNotSameAs(ramp);
    assertThatThrownBy(() -> ImageIo.resizeBilinear(ramp, 3, 1, 2, 1))
        .hasMessage("plane has 4 values, expected 3x1");
  }
}
