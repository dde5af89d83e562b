package io.github.mediclip.formats;

import static io.github.mediclip.formats.TestFiles.words;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pixel handling on small synthetic files: masking, sign, rescale, color, MONOCHROME1, ordering.
 */
class DicomPixelTest {

  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

  @TempDir Path dir;

  @Test
  void bitsStoredMaskingSignExtensionAndRescale() throws IOException {
    // BitsStored 12, signed; bits 12..15 carry overlay garbage (0xF000) that must be masked away.
    // stored 12-bit two's complement: 0x7FF = 2047, 0x800 = -2048, 0xFFF = -1, 0x001 = 1
    Path f =
        new TestFiles.Dicom(EXPLICIT_LE)
            .image(2, 2, 12, true, "MONOCHROME2")
            .str(0x00281052, "DS", "-1024")
            .str(0x00281053, "DS", "2")
            .raw(0x7FE00010, "OW", words(0xF7FF, 0xA800, 0x0FFF, 0x5001))
            .write(dir.resolve("signed.dcm"));
    MedicalVolume v = MedicalImages.read(f);
    assertThat(v.slice(0))
        .containsExactly(2047 * 2 - 1024, -2048 * 2 - 1024, -1 * 2 - 1024, 1 * 2 - 1024);
    assertThat(v.metadata().signed()).isTrue();
    assertThat(v.metadata().rescaleSlope()).isEqualTo(2.0);
  }

  @Test
  void rgbPlanarAndInterleavedBecomeBt601Luma() throws IOException {
    byte[] interleaved = {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, 10, 20, 30};
    byte[] planar = {(byte) 255, 0, 0, 10, 0, (byte) 255, 0, 20, 0, 0, (byte) 255, 30};
    float[] want = {
      (float) (0.299 * 255),
      (float) (0.587 * 255),
      (float) (0.114 * 255),
      (float) (0.299 * 10 + 0.587 * 20 + 0.114 * 30)
    };
    for (int pc = 0; pc < 2; pc++) {
      Path f =
          new TestFiles.Dicom(EXPLICIT_LE)
              .us(0x00280002, 3)
              .str(0x00280004, "CS", "RGB")
              .us(0x00280006, pc)
              .us(0x00280010, 2)
              .us(0x00280011, 2)
              .us(0x00280100, 8)
              .us(0x00280101, 8)
              .us(0x00280102, 7)
              .us(0x00280103, 0)
              .raw(0x7FE00010, "OB", pc == 0 ? interleaved : planar)
              .write(dir.resolve("rgb" + pc + ".dcm"));
      assertThat(MedicalImages.read(f).slice(0))
          .as("planar configuration %d", pc)
          .containsExactly(want);
    }
  }

  @Test
  void monochrome1IsInvertedByTheIntensityPolicyNotInTheValues() throws IOException {
    Path f =
        new TestFiles.Dicom(EXPLICIT_LE)
            .image(1, 2, 16, false, "MONOCHROME1")
            .raw(0x7FE00010, "OW", words(0, 100))
            .write(dir.resolve("m1.dcm"));
    MedicalVolume v = MedicalImages.read(f);
    assertThat(v.slice(0)).containsExactly(0f, 100f);
    assertThat(IntensityPolicy.minMax().apply(v, 0).toArray()).containsExactly(255f, 0f);
    assertThat(v.metadata().photometricInterpretation()).isEqualTo("MONOCHROME1");
  }

  @Test
  void seriesOrderFollowsPositionAlongTheNormalNotNamesOrInstanceNumbers() throws IOException {
    Path s = Files.createDirectory(dir.resolve("s"));
    // oblique orientation: rows along x, columns along (0, cos, sin); normal (0, -sin, cos)
    double c = Math.cos(0.3);
    double sn = Math.sin(0.3);
    String iop = "1\\0\\0\\0\\" + c + "\\" + sn;
    int[] order = {2, 0, 1};
    for (int i = 0; i < 3; i++) {
      int k = order[i];
      // position k along the normal; instance numbers deliberately reversed
      new TestFiles.Dicom(EXPLICIT_LE)
          .str(0x0020000E, "UI", "1.2.3")
          .str(0x00200013, "IS", String.valueOf(10 - k))
          .str(0x00200032, "DS", "0\\" + (-sn * 2 * k) + "\\" + (c * 2 * k))
          .str(0x00200037, "DS", iop)
          .image(1, 1, 16, false, "MONOCHROME2")
          .str(0x00280030, "DS", "1\\1")
          .raw(0x7FE00010, "OW", words(100 + k))
          .write(s.resolve("f" + i + ".dcm"));
    }
    MedicalVolume v = MedicalImages.read(s);
    assertThat(new float[] {v.value(0, 0, 0), v.value(1, 0, 0), v.value(2, 0, 0)})
        .containsExactly(100, 101, 102);
    assertThat(v.metadata().sliceSpacing())
        .isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  /** Encodes an 8-bit gray image as baseline JPEG with the JDK writer. */
  static byte[] jpeg(int w, int h, int seed) throws IOException {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x * 7 + y * 13 + seed * 40) % 256);
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }

  @Test
  void multiFrameJpegBaselineSplitByTheBasicOffsetTable() throws IOException {
    // two frames; frame 1 is split over two fragments, so only the offset table can group them
    byte[] f1 = jpeg(16, 8, 1);
    byte[] f2 = jpeg(16, 8, 2);
    if (f1.length % 2 == 1) {
      f1 = java.util.Arrays.copyOf(f1, f1.length + 1);
    }
    if (f2.length % 2 == 1) {
      f2 = java.util.Arrays.copyOf(f2, f2.length + 1);
    }
    int cut = 100;
    java.nio.ByteBuffer px =
        java.nio.ByteBuffer.allocate(8 + 8 + 8 + cut + 8 + (f1.length - cut) + 8 + f2.length + 8)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    px.putShort((short) 0xFFFE)
        .putShort((short) 0xE000)
        .putInt(8)
        .putInt(0)
        .putInt(8 + cut + 8 + (f1.length - cut));
    px.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(cut).put(f1, 0, cut);
    px.putShort((short) 0xFFFE)
        .putShort((short) 0xE000)
        .putInt(f1.length - cut)
        .put(f1, cut, f1.length - cut);
    px.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(f2.length).put(f2);
    px.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);
    java.nio.ByteBuffer hdr =
        java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    hdr.putShort((short) 0x7FE0)
        .putShort((short) 0x0010)
        .put((byte) 'O')
        .put((byte) 'B')
        .putShort((short) 0)
        .putInt(-1);
    Path f =
        new TestFiles.Dicom("1.2.840.10008.1.2.4.50")
            .us(0x00280002, 1)
            .str(0x00280004, "CS", "MONOCHROME2")
            .str(0x00280008, "IS", "2")
            .us(0x00280010, 8)
            .us(0x00280011, 16)
            .us(0x00280100, 8)
            .us(0x00280101, 8)
            .us(0x00280102, 7)
            .us(0x00280103, 0)
            .bytes(hdr.array())
            .bytes(px.array())
            .write(dir.resolve("jpeg.dcm"));
    MedicalVolume v = MedicalImages.read(f);
    assertThat(v.slices()).isEqualTo(2);
    assertThat(v.metadata().transferSyntaxName()).isEqualTo("JPEG Baseline (Process 1)");
    byte[][] frames = {f1, f2};
    for (int k = 0; k < 2; k++) {
      // the same bytes decoded by ImageIO directly: the DICOM path must give the identical pixels
      java.awt.image.Raster want =
          javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(frames[k])).getRaster();
      float[] got = v.slice(k);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 16; x++) {
          assertThat(got[y * 16 + x])
              .as("frame %d (%d, %d)", k, x, y)
              .isEqualTo((float) want.getSample(x, y, 0));
        }
      }
    }
  }

  @Test
  void withoutPositionsTheInstanceNumberOrders() throws IOException {
    Path s = Files.createDirectory(dir.resolve("s"));
    int[] instances = {3, 1, 2};
    for (int i = 0; i < 3; i++) {
      new TestFiles.Dicom(EXPLICIT_LE)
          .str(0x0020000E, "UI", "1.2.3")
          .str(0x00200013, "IS", String.valueOf(instances[i]))
          .image(1, 1, 16, false, "MONOCHROME2")
          .raw(0x7FE00010, "OW", words(instances[i]))
          .write(s.resolve("a" + i + ".dcm"));
    }
    MedicalVolume v = MedicalImages.read(s);
    assertThat(new float[] {v.value(0, 0, 0), v.value(1, 0, 0), v.value(2, 0, 0)})
        .containsExactly(1, 2, 3);
  }
}
