package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.VolumePrediction;
import io.github.mediclip.VolumeScoring;
import io.github.mediclip.eval.phantom.PhantomDataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mediclip detect} on volumes: a NIfTI file written here (float32, 4 slices), and the
 * lgg-volumes NIfTI and DICOM series of one patient when present.
 */
class DetectVolumeCliTest {
  @TempDir static Path tmp;
  static Path model;
  static Path volumes;
  static Path nii;

  @BeforeAll
  static void prepare() throws IOException {
    Path data = tmp.resolve("data");
    PhantomDataset.generate(data, 3, 2, 2, 48, 4);
    Path backbone = tmp.resolve("backbone");
    Backbones.writeRandom("tiny", 4, 48, backbone, null);
    model = tmp.resolve("model");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "train",
            "--data",
            data.toString(),
            "--backbone",
            backbone.toString(),
            "--k",
            "2",
            "--epochs",
            "1",
            "--seed",
            "2",
            "--out",
            model.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    volumes = tmp.resolve("volumes");
    Files.createDirectories(volumes);
    nii = writeNifti(volumes.resolve("v.nii"), 48, 40, 4);
  }

  /** A float32 NIfTI-1 volume (columns x rows x slices) with a bright blob in slice 2. */
  static Path writeNifti(Path file, int w, int h, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(352 + 4 * w * h * n).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 348);
    short[] dim = {3, (short) w, (short) h, (short) n, 1, 1, 1, 1};
    for (int d = 0; d < 8; d++) {
      b.putShort(40 + 2 * d, dim[d]);
      b.putFloat(76 + 4 * d, 1f);
    }
    b.putShort(70, (short) 16).putShort(72, (short) 32);
    b.putFloat(108, 352f).putFloat(112, 1f).putFloat(116, 0f);
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    int off = 352;
    for (int k = 0; k < n; k++) {
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          double v = 300 + 200 * Math.sin(c * 0.3 + k) * Math.cos(r * 0.2);
          if (k == 2 && Math.hypot(c - 20, r - 15) < 6) {
            v = 1500;
          }
          b.putFloat(off, (float) v);
          off += 4;
        }
      }
    }
    Files.write(file, b.array());
    return file;
  }

  static JsonObject onlyLine(CliTestSupport.Result r) {
    String[] lines = r.out().strip().split("\\R");
    assertThat(lines).as(r.out()).hasSize(1);
    return JsonParser.parseString(lines[0]).getAsJsonObject();
  }

  static double[] doubles(JsonArray a) {
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).getAsDouble();
    }
    return d;
  }

  @Test
  void niftiGivesOneLineWithSliceScoresEqualToTheApi() throws IOException {
    CliTestSupport.Result r =
        CliTestSupport.run("detect", "--model", model.toString(), nii.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject o = onlyLine(r);
    assertThat(o.get("path").getAsString()).isEqualTo(nii.toString());
    assertThat(o.get("format").getAsString()).isEqualTo("NIfTI-1");
    assertThat(o.get("slices").getAsInt()).isEqualTo(4);
    assertThat(o.get("scoring").getAsString()).isEqualTo("max");
    // no policy recorded in this bundle and NIfTI has no modality: the default percentile policy
    assertThat(o.get("intensity_policy").getAsString()).isEqualTo("percentile:0.5/99.5");
    double[] s = doubles(o.getAsJsonArray("slice_scores"));
    try (MediClipDetector d = MediClip.load(model)) {
      VolumePrediction vp = d.predictVolume(nii);
      assertThat(s).hasSize(4);
      for (int k = 0; k < 4; k++) {
        assertThat(s[k]).isEqualTo(vp.slices().get(k).score());
      }
      assertThat(o.get("score").getAsDouble()).isEqualTo(vp.score());
      assertThat(o.get("anomalous").getAsBoolean())
          .isEqualTo(d.operatingPoint().isAnomalous(vp.score()));
      List<Integer> top = new ArrayList<>();
      o.getAsJsonArray("top_slices").forEach(e -> top.add(e.getAsInt()));
      assertThat(top).isEqualTo(vp.topSlices(3));
    }
    assertThat(o.get("score").getAsDouble())
        .isEqualTo(java.util.Arrays.stream(s).max().orElseThrow());
  }

  @Test
  void topKMeanAndAnExplicitPolicyAreRecorded() {
    CliTestSupport.Result r =
        CliTestSupport.run(
            "detect",
            "--model",
            model.toString(),
            "--volume-scoring",
            "top-k-mean:2",
            "--intensity-policy",
            "minmax",
            nii.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject o = onlyLine(r);
    assertThat(o.get("scoring").getAsString()).isEqualTo("top-k-mean:2");
    assertThat(o.get("intensity_policy").getAsString()).isEqualTo("minmax");
    double[] s = doubles(o.getAsJsonArray("slice_scores"));
    assertThat(o.get("score").getAsDouble()).isEqualTo(VolumeScoring.topKMean(2).score(s));
    double[] sorted = s.clone();
    java.util.Arrays.sort(sorted);
    assertThat(o.get("score").getAsDouble())
        .isCloseTo((sorted[3] + sorted[2]) / 2, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void badOptionsAreUsageErrors() {
    CliTestSupport.Result r =
        CliTestSupport.run(
            "detect", "--model", model.toString(), "--intensity-policy", "sepia", nii.toString());
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
    assertThat(r.err()).contains("intensity policy 'sepia' not understood");
    CliTestSupport.Result r2 =
        CliTestSupport.run(
            "detect", "--model", model.toString(), "--volume-scoring", "median", nii.toString());
    assertThat(r2.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
  }

  @Test
  void overlaysOfTheTopSlicesAreWrittenAndNeverReplaced() throws IOException {
    Path out = tmp.resolve("out-overlays");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "detect",
            "--model",
            model.toString(),
            "--out",
            out.toString(),
            "--top-slices",
            "2",
            "--save-maps",
            volumes.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject o = onlyLine(r); // the folder holds one NIfTI volume
    List<String> expected = new ArrayList<>();
    for (var e : o.getAsJsonArray("top_slices")) {
      expected.add("v.nii.slice" + e.getAsInt() + ".overlay.png");
      expected.add("v.nii.slice" + e.getAsInt() + ".map.npy");
    }
    assertThat(expected).hasSize(4);
    List<String> names;
    try (var s = Files.list(out)) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(javax.imageio.ImageIO.read(out.resolve(expected.get(0)).toFile()).getWidth())
        .isEqualTo(48);
    byte[] before = Files.readAllBytes(out.resolve(expected.get(0)));
    // a second run into the same folder: the existing overlay is left alone, the volume reports an
    // error
    CliTestSupport.Result again =
        CliTestSupport.run(
            "detect",
            "--model",
            model.toString(),
            "--out",
            out.toString(),
            "--top-slices",
            "2",
            nii.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(onlyLine(again).get("error").getAsString()).contains("already exists");
    assertThat(Files.readAllBytes(out.resolve(expected.get(0)))).isEqualTo(before);
    // --out inside the input folder is refused before anything is written
    CliTestSupport.Result inside =
        CliTestSupport.run(
            "detect",
            "--model",
            model.toString(),
            "--out",
            volumes.resolve("o").toString(),
            volumes.toString());
    assertThat(inside.exitCode()).isEqualTo(1);
    assertThat(inside.err()).contains("overlaps the input");
    assertThat(Files.exists(volumes.resolve("o"))).isFalse();
  }

  @Test
  void lggNiftiAndDicomSeriesOfOnePatientScoreAlike() {
    String shared = System.getProperty("mediclip.shared.dir");
    Path dir = shared == null ? null : Paths.get(shared, "data", "lgg-volumes");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(dir.resolve("dicom")),
        "lgg-volumes not found at " + dir + "; skipping");
    String patient = "TCGA_CS_4943_20000902"; // Implicit VR Little Endian series
    Path niftiFile = dir.resolve("nifti/" + patient + ".nii.gz");
    Path series = dir.resolve("dicom/" + patient);
    CliTestSupport.Result r =
        CliTestSupport.run(
            "detect", "--model", model.toString(), niftiFile.toString(), series.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\\R");
    assertThat(lines).hasSize(2);
    JsonObject n = JsonParser.parseString(lines[0]).getAsJsonObject();
    JsonObject d = JsonParser.parseString(lines[1]).getAsJsonObject();
    assertThat(d.get("path").getAsString()).isEqualTo(series.toString());
    assertThat(n.get("slices").getAsInt()).isEqualTo(20);
    assertThat(d.get("slices").getAsInt()).isEqualTo(20);
    // the same FLAIR values (README): MR and NIfTI both default to percentile:0.5/99.5 -> same
    // scores
    assertThat(d.get("intensity_policy").getAsString()).isEqualTo("percentile:0.5/99.5");
    assertThat(doubles(d.getAsJsonArray("slice_scores")))
        .containsExactly(doubles(n.getAsJsonArray("slice_scores")));
  }

  @Test
  void evaluateVolumesLayoutMatchesTheApi() throws IOException {
    Path set = tmp.resolve("volset");
    Files.createDirectories(set);
    writeNifti(set.resolve("a.nii"), 48, 40, 4);
    // mask: the bright blob of slice 2 (see writeNifti), uint8 written as float32 0/1
    ByteBuffer m =
        ByteBuffer.wrap(Files.readAllBytes(set.resolve("a.nii"))).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 352; i < m.capacity(); i += 4) {
      m.putFloat(i, m.getFloat(i) == 1500f ? 1f : 0f);
    }
    Files.write(set.resolve("a_mask.nii"), m.array());
    Path out = tmp.resolve("volreport");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            set.toString(),
            "--layout",
            "volumes",
            "--out",
            out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject o = onlyLine(r);
    assertThat(o.get("volumes").getAsInt()).isEqualTo(1);
    assertThat(o.get("slices").getAsInt()).isEqualTo(4);
    assertThat(o.get("anomalous_slices").getAsInt()).isEqualTo(1);
    assertThat(o.has("volume_auroc")).isFalse(); // one volume: undefined
    try (MediClipDetector d = MediClip.load(model)) {
      io.github.mediclip.eval.VolumeEvaluation e =
          io.github.mediclip.eval.VolumeEvaluator.evaluate(
              d, io.github.mediclip.eval.data.VolumeDataset.read(set), VolumeScoring.max());
      assertThat(o.get("slice_auroc").getAsDouble()).isEqualTo(e.sliceAuroc());
      assertThat(o.get("pixel_auroc").getAsDouble()).isEqualTo(e.pixelAuroc());
      assertThat(o.get("pixel_aupro").getAsDouble()).isEqualTo(e.pixelAupro());
    }
    assertThat(Files.readAllLines(out.resolve("slices.csv"))).hasSize(5);
    assertThat(Files.readAllLines(out.resolve("slices.csv")).get(3)).startsWith("a,2,1,");
    assertThat(Files.readString(out.resolve("metrics.json"))).contains("\"slice_auroc\"");
    // the output must lie outside the data
    CliTestSupport.Result inside =
        CliTestSupport.run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            set.toString(),
            "--layout",
            "volumes",
            "--out",
            set.resolve("r").toString());
    assertThat(inside.exitCode()).isEqualTo(1);
    assertThat(inside.err()).contains("overlaps --data");
  }
}
