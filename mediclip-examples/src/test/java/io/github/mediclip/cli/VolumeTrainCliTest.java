package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.train.KShotSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --layout volumes} and {@code evaluate --layout volumes} on lgg-volumes (skipped when
 * absent): the three ways of stating normal slices, strict k-shot (the shots are the draw of {@link
 * KShotSampler} from the normal slices, and only they are trained on), the shot file of {@code
 * VOLUME#k} lines read back by {@code --shots}, the policy in the manifest, and DICOM series with
 * NIfTI masks evaluated like the NIfTI volumes.
 */
class VolumeTrainCliTest {
  @TempDir static Path tmp;
  static Path lgg;
  static Path backbone;

  /** labels.csv: "patient#k" to has_tumour, in file order (patients sorted, slices ascending). */
  static Map<String, Integer> labels;

  @BeforeAll
  static void prepare() throws IOException {
    String shared = System.getProperty("mediclip.shared.dir");
    lgg = shared == null ? null : Paths.get(shared, "data", "lgg-volumes");
    Assumptions.assumeTrue(
        lgg != null && Files.isDirectory(lgg.resolve("dicom")),
        "lgg-volumes not found at " + lgg + "; skipping");
    backbone = tmp.resolve("backbone");
    Backbones.writeRandom("tiny", 4, 48, backbone, null);
    labels = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(lgg.resolve("labels.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      labels.put(f[0] + "#" + f[1], Integer.parseInt(f[2]));
    }
  }

  static CliTestSupport.Result train(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--backbone",
                backbone.toString(),
                "--layout",
                "volumes",
                "--epochs",
                "1",
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    return CliTestSupport.run(args.toArray(String[]::new));
  }

  /** {@code train --layout volumes --data DATA --normal-slices mask-free EXTRA...}. */
  static CliTestSupport.Result maskFree(Path out, Path data, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("--data", data.toString(), "--normal-slices", "mask-free"));
    args.addAll(List.of(extra));
    return train(out, args.toArray(String[]::new));
  }

  static JsonObject json(CliTestSupport.Result r) {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return JsonParser.parseString(r.lastLine()).getAsJsonObject();
  }

  static List<String> strings(JsonObject o, String field) {
    List<String> out = new ArrayList<>();
    o.getAsJsonArray(field).forEach(e -> out.add(e.getAsString()));
    return out;
  }

  /** "PATIENT.nii.gz#k" or "PATIENT#k" to the labels.csv key "PATIENT#k". */
  static String key(String shot) {
    return shot.replace(".nii.gz#", "#");
  }

  @Test
  void maskFreeDrawsKTumourFreeSlicesWithTheOneSamplerDeterministicallyAndShotsReplay()
      throws IOException {
    Path nifti = lgg.resolve("nifti");
    Path out1 = tmp.resolve("mf1");
    JsonObject o = json(maskFree(out1, nifti, "--k", "3", "--seed", "3"));
    // the pool, independently: the tumour-free slices of labels.csv, volumes in path order
    List<String> pool = new ArrayList<>();
    labels.forEach(
        (k, v) -> {
          if (v == 0) {
            pool.add(k.replace("#", ".nii.gz#"));
          }
        });
    assertThat(o.get("train_pool").getAsInt()).isEqualTo(pool.size());
    List<String> shots = strings(o, "shots");
    assertThat(shots).isEqualTo(KShotSampler.sample(pool, 3, 3));
    for (String s : shots) {
      assertThat(labels.get(key(s))).as(s).isZero();
    }
    assertThat(o.get("normals_seen").getAsInt()).isEqualTo(3);
    assertThat(o.get("k").getAsInt()).isEqualTo(3);
    assertThat(o.get("intensity_policy").getAsString()).isEqualTo("percentile:0.5/99.5");
    // the NIfTI-2 copy has no mask: skipped and reported, not silently dropped
    assertThat(o.get("skipped_files").getAsInt()).isEqualTo(1);
    Path shotFile = Path.of(o.get("shot_file").getAsString());
    assertThat(Files.readAllLines(shotFile)).isEqualTo(shots);
    BundleManifest m1;
    try (MediClipDetector d = MediClip.load(out1)) {
      m1 = d.manifest();
    }
    assertThat(m1.training().shotIds()).isEqualTo(shots);
    assertThat(m1.training().intensityPolicy()).isEqualTo("percentile:0.5/99.5");
    assertThat(m1.training().summary().normalsSeen()).isEqualTo(3);
    // same seed: same shots, same pixels (fingerprint) and bit-identical heads
    Path out2 = tmp.resolve("mf2");
    JsonObject again = json(maskFree(out2, nifti, "--k", "3", "--seed", "3"));
    assertThat(strings(again, "shots")).isEqualTo(shots);
    try (MediClipDetector d = MediClip.load(out2)) {
      assertThat(d.manifest().training().trainingFingerprint())
          .isEqualTo(m1.training().trainingFingerprint());
    }
    assertThat(Files.readAllBytes(out2.resolve("heads.safetensors")))
        .isEqualTo(Files.readAllBytes(out1.resolve("heads.safetensors")));
    // --shots reads the shot file back: the same slices under another seed
    Path out3 = tmp.resolve("mf3");
    JsonObject replay = json(maskFree(out3, nifti, "--shots", shotFile.toString(), "--seed", "3"));
    assertThat(strings(replay, "shots")).isEqualTo(shots);
    try (MediClipDetector d = MediClip.load(out3)) {
      assertThat(d.manifest().training().trainingFingerprint())
          .isEqualTo(m1.training().trainingFingerprint());
    }
    // a shot file naming a tumour slice is refused under mask-free
    Path bad = tmp.resolve("bad-shots.txt");
    Files.writeString(bad, "TCGA_CS_4941_19960909.nii.gz#12\n");
    CliTestSupport.Result r = maskFree(tmp.resolve("mf4"), nifti, "--shots", bad.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("the slice TCGA_CS_4941_19960909.nii.gz#12 is not among the " + pool.size());
    assertThat(Files.exists(tmp.resolve("mf4"))).isFalse();
  }

  @Test
  void slicesRangesOfDicomSeriesWithAnExplicitPolicyAreRecordedAndUsedAtInference() {
    Path out = tmp.resolve("ranges");
    JsonObject o =
        json(
            train(
                out,
                "--data",
                lgg.resolve("dicom").toString(),
                "--masks",
                lgg.resolve("nifti").toString(),
                "--normal-slices",
                "TCGA_CS_4943_20000902:0-3,TCGA_CS_5393_19990606:1-2",
                "--intensity-policy",
                "minmax",
                "--k",
                "2",
                "--seed",
                "5"));
    List<String> pool =
        List.of(
            "TCGA_CS_4943_20000902#0",
            "TCGA_CS_4943_20000902#1",
            "TCGA_CS_4943_20000902#2",
            "TCGA_CS_4943_20000902#3",
            "TCGA_CS_5393_19990606#1",
            "TCGA_CS_5393_19990606#2");
    assertThat(o.get("train_pool").getAsInt()).isEqualTo(6);
    assertThat(o.get("volumes").getAsInt()).isEqualTo(2);
    List<String> shots = strings(o, "shots");
    assertThat(shots).isEqualTo(KShotSampler.sample(pool, 2, 5));
    shots.forEach(s -> assertThat(labels.get(key(s))).as(s).isZero());
    assertThat(o.get("intensity_policy").getAsString()).isEqualTo("minmax");
    // the recorded policy is what detect uses on a volume by default
    CliTestSupport.Result d =
        CliTestSupport.run(
            "detect",
            "--model",
            out.toString(),
            lgg.resolve("nifti/TCGA_CS_4942_19970222.nii.gz").toString());
    assertThat(d.exitCode()).as(d.err()).isZero();
    assertThat(JsonParser.parseString(d.lastLine()).getAsJsonObject().get("intensity_policy"))
        .hasToString("\"minmax\"");
  }

  @Test
  void allTakesWholeVolumesAndSkipsAndReportsASeriesWithoutDecoder() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("normals"));
    Files.createSymbolicLink(
        data.resolve("a.nii.gz"), lgg.resolve("nifti/TCGA_CS_4942_19970222.nii.gz"));
    Files.createSymbolicLink(
        data.resolve("b"), lgg.resolve("dicom/TCGA_CS_5397_20010315")); // JPEG-LS
    CliTestSupport.Result r =
        train(
            tmp.resolve("all"),
            "--data",
            data.toString(),
            "--normal-slices",
            "all",
            "--k",
            "2",
            "--seed",
            "1");
    JsonObject o = json(r);
    List<String> pool = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      pool.add("a.nii.gz#" + k);
    }
    assertThat(o.get("train_pool").getAsInt()).isEqualTo(20);
    assertThat(strings(o, "shots")).isEqualTo(KShotSampler.sample(pool, 2, 1));
    assertThat(o.get("skipped_files").getAsInt()).isEqualTo(1);
    assertThat(r.err()).contains("skipping volume b: ").contains("1.2.840.10008.1.2.4.80");
  }

  @Test
  void statementsContradictedByAMaskAndBadOptionsAreRefusedBeforeTraining() throws IOException {
    Files.createDirectories(tmp.resolve("masks-here"));
    Path nifti = lgg.resolve("nifti");
    CliTestSupport.Result all =
        train(tmp.resolve("x1"), "--data", nifti.toString(), "--normal-slices", "all");
    assertThat(all.exitCode()).isEqualTo(1);
    assertThat(all.err())
        .contains("its mask " + nifti.resolve("TCGA_CS_4941_19960909_mask.nii.gz"))
        .contains("marks 8 of them anomalous");
    CliTestSupport.Result range =
        train(
            tmp.resolve("x2"),
            "--data",
            nifti.toString(),
            "--normal-slices",
            "TCGA_CS_4942_19970222:5-8");
    assertThat(range.exitCode()).isEqualTo(1);
    assertThat(range.err()).contains("marks 1 of them anomalous (slices [8])");
    CliTestSupport.Result outside =
        train(
            tmp.resolve("x3"),
            "--data",
            nifti.toString(),
            "--normal-slices",
            "TCGA_CS_4942_19970222:15-20");
    assertThat(outside.err()).contains("slice 20 of TCGA_CS_4942_19970222 does not exist");
    CliTestSupport.Result missing =
        train(tmp.resolve("x4"), "--data", nifti.toString(), "--normal-slices", "nobody:1-2");
    assertThat(missing.err()).contains("holds no volume of that name");
    CliTestSupport.Result noSelection = train(tmp.resolve("x5"), "--data", nifti.toString());
    assertThat(noSelection.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
    assertThat(noSelection.err()).contains("--layout volumes needs --normal-slices");
    CliTestSupport.Result syntax =
        train(tmp.resolve("x6"), "--data", nifti.toString(), "--normal-slices", "a:3-1");
    assertThat(syntax.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
    CliTestSupport.Result holdout = maskFree(tmp.resolve("x7"), nifti, "--holdout-validation");
    assertThat(holdout.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
    // the masks folder is protected like --data: no output inside it
    Path masks = tmp.resolve("masks-here");
    CliTestSupport.Result intoMasks =
        maskFree(masks.resolve("x8"), nifti, "--masks", masks.toString());
    assertThat(intoMasks.exitCode()).isEqualTo(1);
    assertThat(intoMasks.err()).contains("it lies inside the input " + masks);
    assertThat(Files.exists(masks.resolve("x8"))).isFalse();
    for (String name : List.of("x1", "x2", "x3", "x4", "x5", "x6", "x7")) {
      assertThat(Files.exists(tmp.resolve(name))).as(name).isFalse();
    }
  }

  @Test
  void evaluateDicomSeriesWithNiftiMasksMatchesTheNiftiLayoutAndReportsUndecodableSeries()
      throws IOException {
    // four patients (to keep the test short): JPEG Lossless and JPEG-LS series, which do not decode
    // here, Implicit VR LE and JPEG 2000; the DICOM folder and the NIfTI folder link to lgg-volumes
    List<String> patients =
        List.of(
            "TCGA_CS_4941_19960909",
            "TCGA_CS_4943_20000902",
            "TCGA_CS_5396_20010302",
            "TCGA_CS_5397_20010315");
    Path dicom = Files.createDirectories(tmp.resolve("sub-dicom"));
    Path nifti = Files.createDirectories(tmp.resolve("sub-nifti"));
    for (String p : patients) {
      Files.createSymbolicLink(dicom.resolve(p), lgg.resolve("dicom/" + p));
      for (String f : List.of(p + ".nii.gz", p + "_mask.nii.gz")) {
        Files.createSymbolicLink(nifti.resolve(f), lgg.resolve("nifti/" + f));
      }
    }
    Path model = tmp.resolve("eval-model");
    json(maskFree(model, nifti, "--k", "2", "--seed", "2"));
    Path nOut = tmp.resolve("eval-nifti");
    CliTestSupport.Result n =
        CliTestSupport.run(
            "evaluate",
            "--model",
            model.toString(),
            "--layout",
            "volumes",
            "--data",
            nifti.toString(),
            "--out",
            nOut.toString());
    assertThat(n.exitCode()).as(n.err()).isZero();
    Path dOut = tmp.resolve("eval-dicom");
    CliTestSupport.Result d =
        CliTestSupport.run(
            "evaluate",
            "--model",
            model.toString(),
            "--layout",
            "volumes",
            "--data",
            dicom.toString(),
            "--masks",
            nifti.toString(),
            "--out",
            dOut.toString());
    assertThat(d.exitCode()).as(d.err()).isZero();
    JsonObject dj = JsonParser.parseString(d.lastLine()).getAsJsonObject();
    // JPEG Lossless (no TwelveMonkeys here) and JPEG-LS: reported, not dropped silently
    assertThat(dj.get("volumes").getAsInt()).isEqualTo(2);
    assertThat(dj.get("skipped_files").getAsInt()).isEqualTo(2);
    assertThat(d.err())
        .contains("skipping volume TCGA_CS_4941_19960909: ")
        .contains("skipping volume TCGA_CS_5397_20010315: ");
    assertThat(Files.readString(dOut.resolve("metrics.json")))
        .contains("1.2.840.10008.1.2.4.70")
        .contains("1.2.840.10008.1.2.4.80");
    // slices.csv: volume,slice,label,score; every DICOM line equals the NIfTI line of its volume
    List<String> nLines = Files.readAllLines(nOut.resolve("slices.csv"));
    List<String> dLines = Files.readAllLines(dOut.resolve("slices.csv"));
    assertThat(dLines.subList(1, dLines.size()))
        .isEqualTo(
            nLines.stream()
                .skip(1)
                .filter(
                    l ->
                        !l.startsWith("TCGA_CS_4941_19960909,")
                            && !l.startsWith("TCGA_CS_5397_20010315,"))
                .toList());
    assertThat(dLines).hasSize(1 + 20 + 24);
    // and the NIfTI labels are labels.csv
    for (String l : nLines.subList(1, nLines.size())) {
      String[] f = l.split(",");
      assertThat(Integer.parseInt(f[2])).as(l).isEqualTo(labels.get(f[0] + "#" + f[1]));
    }
    assertThat(nLines).hasSize(1 + 23 + 20 + 24 + 22);
  }
}
