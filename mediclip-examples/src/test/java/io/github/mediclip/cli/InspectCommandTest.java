package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.formats.MedicalImages;
import io.github.mediclip.formats.MedicalVolume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
  @TempDir Path tmp;

  /** A 3x2x2 int16 NIfTI-1 (i fastest) with scl_slope 0.5 and scl_inter 10. */
  static Path smallNifti(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(352 + 24).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 348);
    short[] dim = {3, 3, 2, 2, 1, 1, 1, 1};
    for (int d = 0; d < 8; d++) {
      b.putShort(40 + 2 * d, dim[d]);
      b.putFloat(76 + 4 * d, d == 3 ? 2.5f : 1f);
    }
    b.putShort(70, (short) 4).putShort(72, (short) 16);
    b.putFloat(108, 352f).putFloat(112, 0.5f).putFloat(116, 10f);
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    for (int i = 0; i < 12; i++) {
      b.putShort(352 + 2 * i, (short) (i * 2 - 6));
    }
    Files.write(file, b.array());
    return file;
  }

  /** Reads a float32 C-order .npy written by the command: shape and values. */
  static float[] readNpy(Path file, int[] shapeOut) throws IOException {
    byte[] all = Files.readAllBytes(file);
    assertThat(all[0] & 0xFF).isEqualTo(0x93);
    int hlen = (all[8] & 0xFF) | ((all[9] & 0xFF) << 8);
    String header = new String(all, 10, hlen, StandardCharsets.ISO_8859_1);
    assertThat(header).contains("'descr': '<f4'").contains("'fortran_order': False");
    String shape = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(")"));
    String[] parts = shape.split(",");
    for (int i = 0; i < 3; i++) {
      shapeOut[i] = Integer.parseInt(parts[i].trim());
    }
    ByteBuffer bb =
        ByteBuffer.wrap(all, 10 + hlen, all.length - 10 - hlen).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[bb.remaining() / 4];
    bb.asFloatBuffer().get(v);
    return v;
  }

  @Test
  void niftiMetadataAndNpyOfModalityValues() throws Exception {
    Path nii = smallNifti(tmp.resolve("v.nii"));
    Path out = tmp.resolve("out/v.npy");
    CliTestSupport.Result r =
        CliTestSupport.run("inspect", nii.toString(), "--npy", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject o = JsonParser.parseString(r.lastLine()).getAsJsonObject();
    assertThat(o.get("format").getAsString()).isEqualTo("NIfTI-1");
    assertThat(o.get("rows").getAsInt()).isEqualTo(2);
    assertThat(o.get("columns").getAsInt()).isEqualTo(3);
    assertThat(o.get("slices").getAsInt()).isEqualTo(2);
    assertThat(o.get("bitsAllocated").getAsInt()).isEqualTo(16);
    assertThat(o.get("rescaleSlope").getAsDouble()).isEqualTo(0.5);
    assertThat(o.get("rescaleIntercept").getAsDouble()).isEqualTo(10.0);
    assertThat(o.get("sliceSpacing").getAsDouble()).isEqualTo(2.5);
    assertThat(o.has("windowCenter")).as("unknown values are left out").isFalse();
    assertThat(o.get("defaultIntensityPolicy").getAsString()).isEqualTo("percentile:0.5/99.5");
    int[] shape = new int[3];
    float[] v = readNpy(out, shape);
    assertThat(shape).containsExactly(2, 2, 3);
    // voxel (i, j, k) stored at i + 3 j + 6 k holds 2 n - 6; npy [k][r = j][c = i]; value = 0.5 s +
    // 10
    float[] want = new float[12];
    for (int n = 0; n < 12; n++) {
      want[n] = 0.5f * (2 * n - 6) + 10;
    }
    assertThat(v).containsExactly(want);
    try (Stream<Path> s = Files.list(out.getParent())) {
      assertThat(s.toList()).containsExactly(out); // no temp file left
    }
  }

  @Test
  void badInputIsOneLineNamingTheFileAndWritesNothing() throws Exception {
    Path f = Files.writeString(tmp.resolve("readme.txt"), "not an image");
    Path out = tmp.resolve("x.npy");
    CliTestSupport.Result r = CliTestSupport.run("inspect", f.toString(), "--npy", out.toString());
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(r.err().strip())
        .doesNotContain("\n")
        .contains(f.toString())
        .contains("not a DICOM Part 10 file");
    assertThat(out).doesNotExist();
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.toList()).containsExactly(f);
    }
  }

  static Path lggVolumes() {
    String shared = System.getProperty("mediclip.shared.dir");
    Path dir = shared == null ? null : Paths.get(shared, "data", "lgg-volumes");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(dir.resolve("dicom")),
        "lgg-volumes not found at " + dir + "; skipping");
    return dir;
  }

  @Test
  void rleSeriesInspectAndNpyEqualTheNifti() throws Exception {
    Path dir = lggVolumes();
    String patient = "TCGA_CS_4944_20010208";
    Path out = tmp.resolve("rle.npy");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "inspect", dir.resolve("dicom/" + patient).toString(), "--npy", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject o = JsonParser.parseString(r.lastLine()).getAsJsonObject();
    assertThat(o.get("format").getAsString()).isEqualTo("DICOM");
    assertThat(o.get("transferSyntaxUid").getAsString()).isEqualTo("1.2.840.10008.1.2.5");
    assertThat(o.get("transferSyntaxName").getAsString()).isEqualTo("RLE Lossless");
    assertThat(o.get("modality").getAsString()).isEqualTo("MR");
    assertThat(o.get("photometricInterpretation").getAsString()).isEqualTo("MONOCHROME2");
    assertThat(o.get("bitsStored").getAsInt()).isEqualTo(12);
    assertThat(o.get("windowCenter").getAsDouble()).isEqualTo(128.0);
    int[] shape = new int[3];
    float[] v = readNpy(out, shape);
    MedicalVolume nifti = MedicalImages.read(dir.resolve("nifti/" + patient + ".nii.gz"));
    assertThat(shape).containsExactly(nifti.slices(), nifti.rows(), nifti.columns());
    // Arrays.equals: AssertJ's containsExactly is quadratic on 1.3 M values
    assertThat(java.util.Arrays.equals(v, nifti.toArray())).as("npy == NIfTI values").isTrue();
  }

  /**
   * Cross-check with pydicom and nibabel (third-party readers) where they are installed: the .npy
   * of every uncompressed/RLE/deflated series equals pydicom's modality values sorted by position,
   * and the NIfTI's equals nibabel's {@code get_fdata()[:, :, k].T}. Skips without python3, numpy,
   * pydicom or nibabel.
   */
  @Test
  void npyEqualsPydicomAndNibabel() throws Exception {
    Path dir = lggVolumes();
    Assumptions.assumeTrue(
        python("import numpy, pydicom, nibabel") == 0,
        "python3 with numpy, pydicom and nibabel not available; skipping the cross-check");
    List<String> checks = new ArrayList<>();
    for (String patient :
        new String[] {
          "TCGA_CS_4942_19970222",
          "TCGA_CS_4943_20000902",
          "TCGA_CS_4944_20010208",
          "TCGA_CS_5393_19990606",
          "TCGA_CS_5395_19981004"
        }) {
      Path npy = tmp.resolve(patient + ".npy");
      assertThat(
              CliTestSupport.run(
                      "inspect",
                      dir.resolve("dicom/" + patient).toString(),
                      "--npy",
                      npy.toString())
                  .exitCode())
          .isZero();
      checks.add("check_dicom(" + q(dir.resolve("dicom/" + patient)) + ", " + q(npy) + ")");
      Path nnpy = tmp.resolve(patient + "-nii.npy");
      Path nii = dir.resolve("nifti/" + patient + ".nii.gz");
      assertThat(CliTestSupport.run("inspect", nii.toString(), "--npy", nnpy.toString()).exitCode())
          .isZero();
      checks.add("check_nifti(" + q(nii) + ", " + q(nnpy) + ")");
    }
    String script =
        String.join(
            "\n",
            "import glob, numpy as np, pydicom, nibabel as nib",
            "def check_dicom(d, npy):",
            "    ds = [pydicom.dcmread(f) for f in glob.glob(d + '/*')]",
            "    ds.sort(key=lambda x: float(x.ImagePositionPatient[2]))",
            "    ref = np.stack([x.pixel_array * float(x.RescaleSlope) + float(x.RescaleIntercept)"
                + " for x in ds]).astype(np.float32)",
            "    got = np.load(npy)",
            "    assert got.shape == ref.shape and np.array_equal(got, ref), d",
            "def check_nifti(f, npy):",
            "    img = nib.load(f); a = img.get_fdata()",
            "    ref = np.stack([a[:, :, k].T for k in range(a.shape[2])]).astype(np.float32)",
            "    got = np.load(npy)",
            "    assert got.shape == ref.shape and np.array_equal(got, ref), f",
            String.join("\n", checks),
            "print('ok')");
    assertThat(python(script)).as("pydicom/nibabel cross-check").isZero();
  }

  private static String q(Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "\\'") + "'";
  }

  /**
   * Debian's python3-pydicom/python3-nibabel live under the system interpreter, not a pyenv one.
   */
  private static int python(String code) throws Exception {
    int rc = python("python3", code);
    return rc == 0 || !Files.isExecutable(Paths.get("/usr/bin/python3"))
        ? rc
        : python("/usr/bin/python3", code);
  }

  private static int python(String exe, String code) throws Exception {
    try {
      Process p = new ProcessBuilder(exe, "-c", code).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (p.exitValue() != 0 && !code.startsWith("import numpy, pydicom")) {
        System.err.println(output);
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    }
  }
}
