package io.github.mediclip.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DICOM "JPEG Baseline (Process 1)" and the "JPEG Extended (Process 2 &amp; 4)" UID, written at
 * test time by third-party tools: the JPEG code streams by Pillow (libjpeg), the Part 10 file by
 * pydicom ({@code encapsulate}), and the expected pixels decoded by Pillow. Skipped when no Python
 * with pydicom, Pillow and NumPy is found ({@code -Dmediclip.python=...}, else {@code python3},
 * else {@code /usr/bin/python3}; Debian: {@code apt install python3-pydicom python3-pil
 * python3-numpy}). Nothing generated is committed.
 */
class JpegBaselineThirdPartyTest {

  static final int ROWS = 48;
  static final int COLUMNS = 64;
  static final int FRAMES = 2;

  /** Writes the DICOM file (argv 1) and the Pillow-decoded frames as uint8 (argv 2). */
  static final String SCRIPT =
      """
      import io, sys
      import numpy as np
      from PIL import Image
      from pydicom.dataset import Dataset, FileMetaDataset
      from pydicom.encaps import encapsulate

      out, expected, uid = sys.argv[1], sys.argv[2], sys.argv[3]
      rows, cols, frames = %d, %d, %d
      y, x = np.mgrid[0:rows, 0:cols]
      streams, decoded = [], []
      for f in range(frames):
          img = (128 + 90 * np.sin(x / 7.0 + f) * np.cos(y / 5.0)).astype(np.uint8)
          img[10:20, 30 + 5 * f:40 + 5 * f] = 250
          buf = io.BytesIO()
          Image.fromarray(img, mode="L").save(buf, format="JPEG", quality=85)
          streams.append(buf.getvalue())
          decoded.append(np.asarray(Image.open(io.BytesIO(buf.getvalue()))).astype(np.uint8))
      meta = FileMetaDataset()
      meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
      meta.MediaStorageSOPInstanceUID = "2.25.1234567"
      meta.TransferSyntaxUID = uid
      ds = Dataset()
      ds.file_meta = meta
      ds.SOPClassUID = meta.MediaStorageSOPClassUID
      ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
      ds.Modality = "OT"
      ds.SeriesInstanceUID = "2.25.7654321"
      ds.Rows, ds.Columns = rows, cols
      ds.NumberOfFrames = frames
      ds.SamplesPerPixel = 1
      ds.PhotometricInterpretation = "MONOCHROME2"
      ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
      ds.PixelData = encapsulate(streams)
      ds["PixelData"].is_undefined_length = True
      ds["PixelData"].VR = "OB"
      ds.is_little_endian, ds.is_implicit_VR = True, False
      ds.save_as(out, write_like_original=False)
      np.stack(decoded).tofile(expected)
      """
          .formatted(ROWS, COLUMNS, FRAMES);

  static String python;

  @BeforeAll
  static void findPython() {
    List<String> candidates = new ArrayList<>();
    String configured = System.getProperty("mediclip.python");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    candidates.add("python3");
    candidates.add("/usr/bin/python3");
    for (String c : candidates) {
      if (run(c, "-c", "import pydicom, PIL, numpy") == 0) {
        python = c;
        return;
      }
    }
    Assumptions.assumeTrue(
        false,
        "no Python with pydicom, Pillow and NumPy ("
            + candidates
            + "); skipping the third-party JPEG Baseline DICOM test");
  }

  static int run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"})
  void framesDecodeToThePixelsLibjpegDecodes(String uid, @org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path script = dir.resolve("write.py");
    Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
    Path dcm = dir.resolve("jpeg.dcm");
    Path expected = dir.resolve("expected.u8");
    assertThat(run(python, script.toString(), dcm.toString(), expected.toString(), uid))
        .as("the pydicom script")
        .isZero();
    byte[] want = Files.readAllBytes(expected);
    assertThat(want).hasSize(FRAMES * ROWS * COLUMNS);

    MedicalVolume v = MedicalImages.read(dcm);
    assertThat(v.metadata().transferSyntaxUid()).isEqualTo(uid);
    assertThat(v.slices()).isEqualTo(FRAMES);
    assertThat(v.rows()).isEqualTo(ROWS);
    assertThat(v.columns()).isEqualTo(COLUMNS);
    int differing = 0;
    for (int f = 0; f < FRAMES; f++) {
      float[] got = v.slice(f);
      for (int i = 0; i < ROWS * COLUMNS; i++) {
        if (got[i] != (want[f * ROWS * COLUMNS + i] & 0xFF)) {
          differing++;
        }
      }
    }
    assertThat(differing).as("voxels that differ from libjpeg's decode").isZero();
    // the frames differ (the bright block moves), so frame order is checked too
    assertThat(v.slice(0)).isNotEqualTo(v.slice(1));
  }
}
