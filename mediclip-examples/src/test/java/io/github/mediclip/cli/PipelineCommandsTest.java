package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo, train, detect and evaluate commands end to end on tiny inputs (48 x 48 phantoms, a
 * random tiny CLIP, one epoch), in-process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineCommandsTest {
  @TempDir static Path tmp;

  private static Path demo;
  private static JsonObject demoJson;

  @BeforeAll
  static void runDemo() {
    demo = tmp.resolve("demo");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "demo",
            "--out",
            demo.toString(),
            "--size",
            "48",
            "--k",
            "4",
            "--held-out",
            "2",
            "--test",
            "3",
            "--epochs",
            "1",
            "--seed",
            "5");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("RANDOMLY INITIALIZED").contains("NOT PRETRAINED");
    demoJson = JsonParser.parseString(r.lastLine()).getAsJsonObject();
  }

  @Test
  @Order(1)
  void demoPrintsAurocBeforeAndAfterAndWritesEverything() {
    for (String key :
        List.of(
            "image_auroc_before", "pixel_auroc_before", "image_auroc_after", "pixel_auroc_after")) {
      assertThat(demoJson.get(key).getAsDouble()).as(key).isBetween(0.0, 1.0);
    }
    assertThat(demoJson.get("backbone").getAsString()).contains("RANDOM");
    assertThat(demo.resolve("report").resolve("index.html")).isRegularFile();
    assertThat(demo.resolve("report").resolve("metrics.json")).isRegularFile();
    assertThat(demo.resolve("backbone").resolve(Backbones.RANDOM_MARKER)).isRegularFile();
    assertThat(demo.resolve("detector")).isDirectory();
  }

  @Test
  @Order(2)
  void demoRefusesAForeignNonEmptyFolder() throws Exception {
    Path foreign = Files.createDirectories(tmp.resolve("foreign"));
    Files.writeString(foreign.resolve("keep.txt"), "mine");
    CliTestSupport.Result r = CliTestSupport.run("demo", "--out", foreign.toString());
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(r.err())
        .isEqualTo(
            "mediclip: --out "
                + foreign
                + " is not empty and was not written by "
                + "'mediclip demo'; choose a new folder"
                + System.lineSeparator());
    assertThat(foreign.resolve("keep.txt")).hasContent("mine");
  }

  @Test
  @Order(3)
  void trainDetectEvaluateOnTheDemoData() throws Exception {
    Path bundle = tmp.resolve("bundle");
    CliTestSupport.Result t =
        CliTestSupport.run(
            "train",
            "--data",
            demo.resolve("data").toString(),
            "--backbone",
            demo.resolve("backbone").toString(),
            "--k",
            "4",
            "--seed",
            "3",
            "--epochs",
            "1",
            "--out",
            bundle.toString());
    assertThat(t.exitCode()).as(t.err()).isZero();
    JsonObject tj = JsonParser.parseString(t.lastLine()).getAsJsonObject();
    assertThat(tj.get("k").getAsInt()).isEqualTo(4);
    assertThat(tj.get("epochs_run").getAsInt()).isEqualTo(1);
    assertThat(tj.get("random_backbone").getAsBoolean()).isTrue();
    assertThat(tj.get("skipped_files").getAsInt()).isZero();
    assertThat(t.err()).contains("NOT PRETRAINED");

    Path abnormal =
        Files.list(demo.resolve("data/test/abnormal")).sorted().findFirst().orElseThrow();
    Path missing = tmp.resolve("no-such.png");
    Path heat = tmp.resolve("heat");
    CliTestSupport.Result d =
        CliTestSupport.run(
            "detect",
            "--model",
            bundle.toString(),
            "--out",
            heat.toString(),
            "--save-maps",
            abnormal.toString(),
            missing.toString());
    assertThat(d.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    List<String> lines = d.out().strip().lines().toList();
    assertThat(lines).hasSize(2);
    JsonObject ok = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertThat(ok.get("path").getAsString()).isEqualTo(abnormal.toString());
    assertThat(ok.get("score").getAsDouble()).isBetween(0.0, 1.0);
    assertThat(Path.of(ok.get("heatmap").getAsString())).isRegularFile();
    Npy.Grid map = Npy.read(Path.of(ok.get("map").getAsString()));
    assertThat(map.width()).isEqualTo(48);
    JsonObject bad = JsonParser.parseString(lines.get(1)).getAsJsonObject();
    assertThat(bad.get("path").getAsString()).isEqualTo(missing.toString());
    assertThat(bad.get("error").getAsString()).contains("no-such.png");
    assertThat(d.err())
        .isEqualTo(
            "mediclip: 1 of 2 images could not be scored (see the \"error\" lines)"
                + System.lineSeparator());

    Path report = tmp.resolve("report");
    CliTestSupport.Result e =
        CliTestSupport.run(
            "evaluate",
            "--model",
            bundle.toString(),
            "--data",
            demo.resolve("data").toString(),
            "--out",
            report.toString());
    assertThat(e.exitCode()).as(e.err()).isZero();
    JsonObject ej = JsonParser.parseString(e.lastLine()).getAsJsonObject();
    assertThat(ej.get("n_test").getAsInt()).isEqualTo(6);
    assertThat(ej.get("normals_seen").getAsInt())
        .isEqualTo(4); // the bundle's k-shot run saw its 4 shots
    assertThat(ej.get("image_auroc").getAsDouble()).isBetween(0.0, 1.0);
    assertThat(ej.get("pixel_auroc").getAsDouble()).isBetween(0.0, 1.0);
    assertThat(report.resolve("metrics.json")).isRegularFile();
    // the report records the bundle's normals_seen too, as the JSON line does
    JsonObject metrics =
        JsonParser.parseString(Files.readString(report.resolve("metrics.json"))).getAsJsonObject();
    assertThat(metrics.get("normals_seen").getAsInt()).isEqualTo(4);
  }

  @Test
  @Order(4)
  void initBackboneWritesARandomModelFolder() throws Exception {
    Path bb = tmp.resolve("bb");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "init-backbone", "--preset", "TINY", "--seed", "9", "--out", bb.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(bb.resolve("open_clip_config.json")).isRegularFile();
    assertThat(bb.resolve("open_clip_model.safetensors")).isRegularFile();
    assertThat(bb.resolve("vocab.json")).isRegularFile();
    try (var reader =
        io.github.mediclip.internal.clip.SafetensorsReader.open(
            bb.resolve("open_clip_model.safetensors"))) {
      assertThat(reader.metadata())
          .containsEntry("mediclip.random_init", "true")
          .containsEntry("mediclip.seed", "9");
    }
    CliTestSupport.Result bad =
        CliTestSupport.run("init-backbone", "--preset", "vit-x", "--out", bb.toString());
    assertThat(bad.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
    assertThat(bad.err()).startsWith("mediclip: --preset: unknown preset 'vit-x'; available: ");
  }

  /** Real images with lying extensions, alpha, palettes, 1920x1080, TIFF: each must be scored. */
  @Test
  @Order(6)
  void detectScoresTheOddRealImagesWhenTheSharedDataIsPresent() {
    String shared = System.getProperty("mediclip.shared.dir");
    Path data = shared == null ? null : Path.of(shared, "data");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        data != null && Files.isDirectory(data.resolve("brainmri")),
        "skipped: no real data at ${mediclip.shared.dir}/data (set -Dmediclip.shared.dir to ../shared)");
    List<String> odd =
        List.of(
            "brainmri/test/normal/No15.jpg",
            "brainmri/test/normal/no.jpg",
            "brainmri/train/normal/no_98.jpg",
            "brainmri/test/normal/no_9.png",
            "brainmri/test/abnormal/Y259.JPG",
            "brainmri/test/abnormal/Y92.png",
            "lgg-mri/test/abnormal/TCGA_CS_4942_19970222_11.tif");
    List<String> args =
        new java.util.ArrayList<>(List.of("detect", "--model", tmp.resolve("bundle").toString()));
    odd.forEach(f -> args.add(data.resolve(f).toString()));
    CliTestSupport.Result d = CliTestSupport.run(args.toArray(String[]::new));
    assertThat(d.exitCode()).as(d.out() + d.err()).isZero();
    List<String> lines = d.out().strip().lines().toList();
    assertThat(lines).hasSize(odd.size());
    for (String line : lines) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      assertThat(o.has("error")).as(line).isFalse();
      assertThat(o.get("score").getAsDouble()).as(line).isBetween(0.0, 1.0);
    }
  }

  @Test
  @Order(7)
  void detectOnAFolderReportsNonImageFiles() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("mixed/sub"));
    Path img = Files.list(demo.resolve("data/test/normal")).sorted().findFirst().orElseThrow();
    Files.copy(img, folder.resolve("scan.png"));
    Files.writeString(folder.resolve("notes.txt"), "not an image");
    CliTestSupport.Result d =
        CliTestSupport.run(
            "detect", "--model", tmp.resolve("bundle").toString(), tmp.resolve("mixed").toString());
    assertThat(d.exitCode()).as(d.err()).isZero();
    assertThat(d.out().strip().lines()).hasSize(1).allMatch(l -> l.contains("scan.png"));
    assertThat(d.err())
        .contains("mediclip: skipped: " + folder.resolve("notes.txt") + ": not an image file name");
  }

  @Test
  @Order(8)
  void sweepPrintsOneLinePerRunAndASummary() {
    Path out = tmp.resolve("sweep");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "sweep",
            "--data",
            demo.resolve("data").toString(),
            "--backbone",
            demo.resolve("backbone").toString(),
            "--k",
            "2",
            "--seeds",
            "4",
            "--epochs",
            "1",
            "--out",
            out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().strip().lines().toList();
    assertThat(lines).hasSize(2);
    JsonObject run = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertThat(run.get("k").getAsInt()).isEqualTo(2);
    assertThat(run.get("seed").getAsLong()).isEqualTo(4);
    JsonObject summary = JsonParser.parseString(lines.get(1)).getAsJsonObject();
    assertThat(summary.getAsJsonArray("rows")).hasSize(1);
    assertThat(out.resolve("table.md")).isRegularFile();
  }

  @Test
  @Order(9)
  void evaluateSkipsAndReportsAnUnreadableTestImage() throws Exception {
    Path copy = tmp.resolve("broken-data");
    try (var files = Files.walk(demo.resolve("data"))) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(demo.resolve("data").relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Path garbage = copy.resolve("test/normal/zz_garbage.png");
    Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    CliTestSupport.Result e =
        CliTestSupport.run(
            "evaluate",
            "--model",
            tmp.resolve("bundle").toString(),
            "--data",
            copy.toString(),
            "--out",
            tmp.resolve("report-broken").toString());
    assertThat(e.exitCode()).as(e.err()).isZero();
    JsonObject ej = JsonParser.parseString(e.lastLine()).getAsJsonObject();
    assertThat(ej.get("skipped_files").getAsInt()).isEqualTo(1);
    assertThat(ej.get("n_test").getAsInt()).isEqualTo(6);
    assertThat(e.err()).contains("mediclip: skipped: ").contains(garbage.toString());
  }

  @Test
  @Order(5)
  void trainRejectsTooLargeK() {
    CliTestSupport.Result t =
        CliTestSupport.run(
            "train",
            "--data",
            demo.resolve("data").toString(),
            "--backbone",
            demo.resolve("backbone").toString(),
            "--k",
            "99",
            "--out",
            tmp.resolve("b2").toString());
    assertThat(t.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(t.err())
        .endsWith(
            "mediclip: --k 99 but "
                + demo.resolve("data")
                + " has only 6 normal training "
                + "images" /* listed, not opened: k-shot reads only its shots */
                + System.lineSeparator());
  }

  @Test
  @Order(10)
  void trainAndSweepDrawTheSameShotsAndAShotFileRepeatsARun() throws Exception {
    String data = demo.resolve("data").toString();
    String backbone = demo.resolve("backbone").toString();
    Path a = tmp.resolve("shots-a");
    CliTestSupport.Result t =
        CliTestSupport.run(
            "train",
            "--data",
            data,
            "--backbone",
            backbone,
            "--k",
            "3",
            "--seed",
            "2",
            "--epochs",
            "1",
            "--out",
            a.toString());
    assertThat(t.exitCode()).as(t.err()).isZero();
    JsonObject tj = JsonParser.parseString(t.lastLine()).getAsJsonObject();
    List<String> trainShots = strings(tj.getAsJsonArray("shots"));
    assertThat(trainShots).hasSize(3).allMatch(s -> s.startsWith("train/"));
    // k-shot protocol: only the 3 shots of the 6 normal training images were used
    assertThat(tj.get("normals_seen").getAsInt()).isEqualTo(3);
    assertThat(tj.get("validation_source").getAsString()).isEqualTo("synthesized-shots");
    Path shotFile = tmp.resolve("shots-a.shots.txt");
    assertThat(Path.of(tj.get("shot_file").getAsString())).isEqualTo(shotFile);
    assertThat(Files.readAllLines(shotFile)).isEqualTo(trainShots);

    Path sweep = tmp.resolve("sweep-shots");
    CliTestSupport.Result w =
        CliTestSupport.run(
            "sweep",
            "--data",
            data,
            "--backbone",
            backbone,
            "--k",
            "3",
            "--seeds",
            "2",
            "--epochs",
            "1",
            "--out",
            sweep.toString());
    assertThat(w.exitCode()).as(w.err()).isZero();
    JsonObject run =
        JsonParser.parseString(w.out().strip().lines().toList().get(0)).getAsJsonObject();
    assertThat(strings(run.getAsJsonArray("shots"))).isEqualTo(trainShots);
    assertThat(run.get("normals_seen").getAsInt()).isEqualTo(3);
    assertThat(Files.readAllLines(sweep.resolve("shots/k3_seed2.txt"))).isEqualTo(trainShots);
    assertThat(Files.readAllLines(sweep.resolve("runs.csv")).get(0))
        .startsWith("k,seed,normals_seen,");

    // --shots FILE repeats the run: the same scores, bit for bit
    Path b = tmp.resolve("shots-b");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "train",
            "--data",
            data,
            "--backbone",
            backbone,
            "--shots",
            shotFile.toString(),
            "--seed",
            "2",
            "--epochs",
            "1",
            "--out",
            b.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject rj = JsonParser.parseString(r.lastLine()).getAsJsonObject();
    assertThat(strings(rj.getAsJsonArray("shots"))).isEqualTo(trainShots);
    Path image = Files.list(demo.resolve("data/test/abnormal")).sorted().findFirst().orElseThrow();
    assertThat(score(b, image)).isEqualTo(score(a, image));
    CliTestSupport.Result s =
        CliTestSupport.run(
            "sweep",
            "--data",
            data,
            "--backbone",
            backbone,
            "--shots",
            shotFile.toString(),
            "--seeds",
            "2",
            "--epochs",
            "1",
            "--out",
            tmp.resolve("sweep-file").toString());
    assertThat(s.exitCode()).as(s.err()).isZero();
    JsonObject sj =
        JsonParser.parseString(s.out().strip().lines().toList().get(0)).getAsJsonObject();
    assertThat(sj.get("image_auroc").getAsDouble()).isEqualTo(run.get("image_auroc").getAsDouble());

    CliTestSupport.Result bad =
        CliTestSupport.run(
            "train",
            "--data",
            data,
            "--backbone",
            backbone,
            "--shots",
            shotFile.toString(),
            "--k",
            "4",
            "--out",
            tmp.resolve("shots-c").toString());
    assertThat(bad.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(bad.err())
        .isEqualTo(
            "mediclip: --k 4 but --shots "
                + shotFile
                + " lists 3 images; leave out --k"
                + System.lineSeparator());
  }

  @Test
  @Order(11)
  void trainAndDetectWithAConfigLessBackboneFolder() throws Exception {
    // OpenAI-named weights and tokenizer files, but no open_clip_config.json: the architecture is
    // inferred
    Path folder = Files.createDirectories(tmp.resolve("no-config-backbone"));
    try (var files = Files.list(demo.resolve("backbone"))) {
      for (Path p : files.toList()) {
        if (!p.getFileName().toString().equals("open_clip_config.json")) {
          Files.copy(p, folder.resolve(p.getFileName().toString()));
        }
      }
    }
    assertThat(folder.resolve("open_clip_config.json")).doesNotExist();
    Path bundle = tmp.resolve("no-config-bundle");
    CliTestSupport.Result t =
        CliTestSupport.run(
            "train",
            "--data",
            demo.resolve("data").toString(),
            "--backbone",
            folder.toString(),
            "--k",
            "2",
            "--seed",
            "1",
            "--epochs",
            "1",
            "--out",
            bundle.toString());
    assertThat(t.exitCode()).as(t.err()).isZero();
    Path image = Files.list(demo.resolve("data/test/abnormal")).sorted().findFirst().orElseThrow();
    assertThat(score(bundle, image)).isBetween(0.0, 1.0);
  }

  private static List<String> strings(com.google.gson.JsonArray a) {
    List<String> out = new java.util.ArrayList<>();
    a.forEach(e -> out.add(e.getAsString()));
    return out;
  }

  private static double score(Path bundle, Path image) {
    CliTestSupport.Result d =
        CliTestSupport.run("detect", "--model", bundle.toString(), image.toString());
    assertThat(d.exitCode()).as(d.err()).isZero();
    return JsonParser.parseString(d.out().strip().lines().toList().get(0))
        .getAsJsonObject()
        .get("score")
        .getAsDouble();
  }
}
