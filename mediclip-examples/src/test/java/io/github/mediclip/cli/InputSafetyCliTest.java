package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, input side, through the command line. Each test shows that the user's files are
 * byte-identical afterwards, that the run went on past the bad item, and (for the runs in a
 * separate JVM with a fake {@code java.io.tmpdir}) that the temp folder holds nothing of ours. Test
 * images are made here with ImageIO.
 */
class InputSafetyCliTest {
  @TempDir static Path tmp;

  private static Path data;
  private static Path backbone;
  private static Path model;

  @BeforeAll
  static void demo() {
    Path demo = tmp.resolve("demo");
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
    data = demo.resolve("data");
    backbone = demo.resolve("backbone");
    model = demo.resolve("detector");
  }

  // ------------------------------------------------------------------ helpers

  static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).isTrue();
    return out.toByteArray();
  }

  static BufferedImage image(int w, int h, int type, int seed) {
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = (x * 5 + y * 11 + seed * 37) & 0xFF;
        if (type == BufferedImage.TYPE_USHORT_GRAY) {
          img.getRaster().setSample(x, y, 0, v * 257);
        } else {
          img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | (v / 2));
        }
      }
    }
    return img;
  }

  /** A 1 x 1 PNG whose header declares w x h pixels (IHDR rewritten, CRC fixed). */
  static byte[] pixelBomb(int w, int h) throws IOException {
    byte[] b = encode(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png");
    ByteBuffer.wrap(b).putInt(16, w).putInt(20, h);
    CRC32 crc = new CRC32();
    crc.update(b, 12, 17);
    ByteBuffer.wrap(b).putInt(29, (int) crc.getValue());
    return b;
  }

  static void mkfifo(Path p) throws Exception {
    Process proc = new ProcessBuilder("mkfifo", p.toString()).start();
    assertThat(proc.waitFor()).as("mkfifo " + p).isZero();
  }

  /**
   * Every path under root with its bytes (links and pipes as empty entries; they are never read).
   */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String key = root.relativize(p).toString();
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          m.put(
              key,
              Arrays.toString(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(Files.readAllBytes(p))));
        } else if (Files.isSymbolicLink(p)) {
          m.put(key, "link -> " + Files.readSymbolicLink(p));
        } else {
          m.put(key, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "special");
        }
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return m;
  }

  static Path copyData(String name) throws IOException {
    Path copy = tmp.resolve(name);
    try (Stream<Path> files = Files.walk(data)) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(data.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return copy;
  }

  /** Adds a truncated PNG (header fine, data cut), a pixel bomb and a named pipe to a folder. */
  static List<Path> addHostileFiles(Path dir) throws Exception {
    byte[] full = encode(image(48, 48, BufferedImage.TYPE_BYTE_GRAY, 7), "png");
    Path cut = Files.write(dir.resolve("zz_cut.png"), Arrays.copyOf(full, full.length / 2));
    Path bomb = Files.write(dir.resolve("zz_bomb.png"), pixelBomb(40000, 40000));
    Path pipe = dir.resolve("zz_pipe.png");
    mkfifo(pipe);
    return List.of(cut, bomb, pipe);
  }

  record Run(int exitCode, String out, String err) {}

  /**
   * Runs the tool in a separate JVM whose {@code java.io.tmpdir} is a fresh, empty folder, with a
   * time limit (a hang fails the test), and checks afterwards that the temp folder is still empty.
   */
  static Run separateJvm(String name, String... args) throws Exception {
    Path fakeTmp = Files.createDirectories(tmp.resolve("fake-tmp-" + name));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Djava.io.tmpdir=" + fakeTmp,
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                MediClipCli.class.getName()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve(name + ".out");
    Path err = tmp.resolve(name + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    Process p = pb.start();
    if (!p.waitFor(540, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "mediclip " + String.join(" ", args) + " hung; stderr: " + Files.readString(err));
    }
    try (Stream<Path> left = Files.list(fakeTmp)) {
      assertThat(left.toList()).as("files left in java.io.tmpdir").isEmpty();
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static List<JsonObject> jsonLines(String out) {
    return out.strip().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
  }

  // ------------------------------------------------------------------ defects 2, 4, 6, "truncated
  // JPEG"

  @Test
  void detectNeverOverwritesReportsBadInputsAndGoesOn() throws Exception {
    Path y = Files.createDirectories(tmp.resolve("y"));
    Files.write(y.resolve("a.png"), encode(image(48, 48, BufferedImage.TYPE_BYTE_GRAY, 1), "png"));
    Files.write(y.resolve("a.jpg"), encode(image(48, 48, BufferedImage.TYPE_INT_RGB, 2), "jpg"));
    Files.write(
        y.resolve("g16.png"), encode(image(48, 48, BufferedImage.TYPE_USHORT_GRAY, 3), "png"));
    Files.write(y.resolve("bomb.png"), pixelBomb(40000, 40000));
    byte[] jpeg = encode(image(48, 48, BufferedImage.TYPE_INT_RGB, 4), "jpg");
    Files.write(y.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
    mkfifo(y.resolve("pipe.png"));
    Files.createSymbolicLink(y.resolve("dead.png"), y.resolve("gone.png"));
    Path empty = Files.createDirectories(tmp.resolve("empty-folder"));
    Map<String, String> before = snapshot(y);

    // --out equal to, or around, an input is refused before anything is written
    for (Path bad : List.of(y, tmp)) {
      CliTestSupport.Result r =
          CliTestSupport.run(
              "detect", "--model", model.toString(), "--out", bad.toString(), y.toString());
      assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
      assertThat(r.err())
          .startsWith("mediclip: --out " + bad + " overlaps the input " + y)
          .hasLineCount(1);
      assertThat(snapshot(y)).isEqualTo(before);
    }
    CliTestSupport.Result file =
        CliTestSupport.run(
            "detect",
            "--model",
            model.toString(),
            "--out",
            y.resolve("a.png").toString(),
            y.resolve("a.jpg").toString());
    assertThat(file.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(snapshot(y)).isEqualTo(before);

    // an existing file in --out that this run did not write is never replaced
    Path o = Files.createDirectories(tmp.resolve("o"));
    Files.writeString(o.resolve("a.png.overlay.png"), "mine");
    Run r =
        separateJvm(
            "detect",
            "detect",
            "--model",
            model.toString(),
            "--out",
            o.toString(),
            "--save-maps",
            y.toString(),
            y.resolve("pipe.png").toString(),
            y.resolve("dead.png").toString(),
            empty.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    List<JsonObject> lines = jsonLines(r.out());
    assertThat(lines)
        .extracting(l -> Path.of(l.get("path").getAsString()).getFileName().toString())
        .containsExactly(
            "a.jpg", "a.png", "bomb.png", "cut.jpg", "g16.png", "pipe.png", "dead.png");
    assertThat(lines.get(0).get("heatmap").getAsString())
        .isEqualTo(o.resolve("a.jpg.overlay.png").toString());
    assertThat(lines.get(1).get("error").getAsString())
        .isEqualTo(
            o.resolve("a.png.overlay.png")
                + " already exists and was not written by this run; it is left as it is. Use a new or empty --out"
                + " folder");
    assertThat(lines.get(2).get("error").getAsString())
        .startsWith(
            "cannot read image "
                + y.resolve("bomb.png")
                + ": image is 40000 x 40000 = 1600000000 pixels, more than the limit of 50000000 pixels");
    assertThat(lines.get(3).get("warning").getAsString()).startsWith("the decoder reported: ");
    assertThat(lines.get(3).get("score").getAsDouble()).isBetween(0.0, 1.0);
    // the run went on past the bomb: the 16-bit image after it is scored and gets its own overlay
    assertThat(lines.get(4).get("score").getAsDouble()).isBetween(0.0, 1.0);
    assertThat(lines.get(4).get("map").getAsString())
        .isEqualTo(o.resolve("g16.png.map.npy").toString());
    assertThat(lines.get(5).get("error").getAsString()).contains("pipe.png: not a regular file");
    assertThat(lines.get(6).get("error").getAsString()).contains("dead.png: broken symbolic link");
    assertThat(r.err())
        .contains("mediclip: skipped: " + y.resolve("pipe.png") + ": not a regular file")
        .contains("mediclip: skipped: " + y.resolve("dead.png") + ": broken symbolic link")
        .contains("mediclip: skipped: " + empty + ": folder holds no image files")
        .contains("mediclip: warning: " + y.resolve("cut.jpg") + ": the decoder reported: ");
    assertThat(o.resolve("a.png.overlay.png")).hasContent("mine");
    try (Stream<Path> s = Files.list(o)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "a.png.overlay.png",
              "a.jpg.overlay.png",
              "a.jpg.map.npy",
              "cut.jpg.overlay.png",
              "cut.jpg.map.npy",
              "g16.png.overlay.png",
              "g16.png.map.npy");
    }
    assertThat(snapshot(y)).isEqualTo(before);
  }

  // ------------------------------------------------------------------ defects 5, 6, 11 (evaluate)

  @Test
  void evaluateSkipsEveryBadTestImageAndRefusesAReportInsideTheData() throws Exception {
    Path d = copyData("eval-data");
    List<Path> hostile = addHostileFiles(d.resolve("test/normal"));
    Map<String, String> before = snapshot(d);

    CliTestSupport.Result inside =
        CliTestSupport.run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            d.toString(),
            "--out",
            d.resolve("report").toString());
    assertThat(inside.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(inside.err())
        .isEqualTo(
            "mediclip: --out "
                + d.resolve("report")
                + " overlaps --data "
                + d
                + "; outputs must never be written into the data being read or replace it. Choose a folder outside"
                + " the data"
                + System.lineSeparator());
    Path foreign = Files.createDirectories(tmp.resolve("thesis"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    CliTestSupport.Result taken =
        CliTestSupport.run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            d.toString(),
            "--out",
            foreign.toString());
    assertThat(taken.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(taken.err())
        .contains("the folder is not empty and holds no metrics.json")
        .hasLineCount(1);
    assertThat(foreign.resolve("notes.txt")).hasContent("mine");
    assertThat(snapshot(d)).isEqualTo(before);

    Path report = tmp.resolve("eval-report");
    Run r =
        separateJvm(
            "evaluate",
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            d.toString(),
            "--out",
            report.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject j = JsonParser.parseString(r.out().strip()).getAsJsonObject();
    assertThat(j.get("skipped_files").getAsInt()).isEqualTo(3);
    assertThat(j.get("n_test").getAsInt()).isEqualTo(6); // every good image was scored
    // header failures (bomb, pipe) and the decode failure (cut) are reported the same way
    for (Path h : hostile) {
      assertThat(r.err()).contains("mediclip: skipped: skipping " + h + ": ");
    }
    assertThat(report.resolve("metrics.json")).isRegularFile();
    assertThat(snapshot(d)).isEqualTo(before);
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".eval-report"));
    }
  }

  // ------------------------------------------------------------------ defect 5 (training pool)

  @Test
  void trainSkipsUndecodableImagesInTheTrainingPool() throws Exception {
    Path d = copyData("train-data");
    List<Path> hostile = addHostileFiles(d.resolve("train/normal"));
    Map<String, String> before = snapshot(d);
    Run r =
        separateJvm(
            "train",
            "train",
            "--data",
            d.toString(),
            "--backbone",
            backbone.toString(),
            "--k",
            "2",
            "--epochs",
            "1",
            "--seed",
            "3",
            "--holdout-validation", // reads the whole pool (KShotCliTest: without)
            "--out",
            tmp.resolve("bundle-train").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject j =
        JsonParser.parseString(r.out().strip().lines().reduce((a, b) -> b).orElseThrow())
            .getAsJsonObject();
    assertThat(j.get("skipped_files").getAsInt()).isEqualTo(3);
    for (Path h : hostile) {
      assertThat(r.err()).contains("mediclip: skipped: skipping " + h + ": ");
    }
    assertThat(snapshot(d)).isEqualTo(before);
  }

  // ------------------------------------------------------------------ defect 15

  @Test
  void everyInvalidOptionValueExitsWith2BeforeAnyWork() throws Exception {
    Path nowhere = tmp.resolve("no-such-data");
    Path out = tmp.resolve("never-written");
    String[] train = {
      "train",
      "--data",
      nowhere.toString(),
      "--backbone",
      nowhere.toString(),
      "--out",
      out.toString()
    };
    Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
    cases.put(List.of("--epochs", "0"), "mediclip: --epochs must be in [1, 100000], but was 0");
    cases.put(
        List.of("--batch-size", "0"), "mediclip: --batch-size must be in [1, 1024], but was 0");
    cases.put(List.of("--lr", "0"), "mediclip: --lr must be in (0, 1], but was 0.0");
    cases.put(List.of("--lr", "NaN"), "mediclip: --lr must be in (0, 1], but was NaN");
    cases.put(
        List.of("--image-size", "4096"),
        "mediclip: --image-size must be in [16, 1024], but was 4096: "
            + "larger inputs need more memory");
    cases.put(
        List.of("--patience", "-1"), "mediclip: --patience must be in [0, 100000], but was -1");
    cases.put(List.of("--k", "0"), "mediclip: --k must be in [1, 100000], but was 0");
    cases.put(
        List.of("--layout", "tiles"), "mediclip: --layout must be mediclip, mvtec, plain or auto");
    cases.put(
        List.of("--device", "tpu"),
        "mediclip: --device must be cpu, gpu, gpu:N or auto, but was 'tpu'");
    cases.put(List.of("--synthesis", "NoSuchTask"), "mediclip: --synthesis: ");
    for (Map.Entry<List<String>, String> c : cases.entrySet()) {
      List<String> args = new ArrayList<>(List.of(train));
      args.addAll(c.getKey());
      CliTestSupport.Result r = CliTestSupport.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(c.getKey() + ": " + r.err()).isEqualTo(MediClipCli.EXIT_USAGE);
      assertThat(r.err()).as(c.getKey().toString()).startsWith(c.getValue()).hasLineCount(1);
    }
    String[][] others = {
      {
        "evaluate",
        "--model",
        nowhere.toString(),
        "--data",
        nowhere.toString(),
        "--out",
        out.toString(),
        "--batch-size",
        "0"
      },
      {
        "evaluate",
        "--model",
        nowhere.toString(),
        "--data",
        nowhere.toString(),
        "--out",
        out.toString(),
        "--layout",
        "x"
      },
      {
        "evaluate",
        "--model",
        nowhere.toString(),
        "--data",
        nowhere.toString(),
        "--out",
        out.toString(),
        "--device",
        "gpu:x"
      },
      {"detect", "--model", nowhere.toString(), "--device", "quantum", nowhere.toString()},
      {
        "sweep",
        "--data",
        nowhere.toString(),
        "--backbone",
        nowhere.toString(),
        "--out",
        out.toString(),
        "--k",
        "0"
      },
      {
        "sweep",
        "--data",
        nowhere.toString(),
        "--backbone",
        nowhere.toString(),
        "--out",
        out.toString(),
        "--image-size",
        "5000"
      },
      {
        "sweep",
        "--data",
        nowhere.toString(),
        "--backbone",
        nowhere.toString(),
        "--out",
        out.toString(),
        "--epochs",
        "0"
      },
      {"metrics", "--scores", nowhere.toString(), "--fpr-limit", "0"},
      {"metrics", "--scores", nowhere.toString(), "--fpr-limit", "1.5"},
      {"init-backbone", "--preset", "tiny", "--image-size", "4096", "--out", out.toString()},
    };
    for (String[] args : others) {
      CliTestSupport.Result r = CliTestSupport.run(args);
      assertThat(r.exitCode())
          .as(String.join(" ", args) + ": " + r.err())
          .isEqualTo(MediClipCli.EXIT_USAGE);
      assertThat(r.err()).hasLineCount(1);
    }
    assertThat(out).doesNotExist();
  }

  // ------------------------------------------------------------------ defect 4 / 13: .npy sizes

  @Test
  void npyMapsAreRangeCheckedBeforeAllocation() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("npy"));
    Path maps = Files.createDirectories(dir.resolve("maps"));
    Path masks = Files.createDirectories(dir.resolve("masks"));
    Path scores =
        Files.writeString(dir.resolve("scores.csv"), "id,label,score\nx,0,0.1\ny,1,0.9\n");
    NpyWriter.write(maps.resolve("y.npy"), 2, 2, new float[4]);
    NpyWriter.write(masks.resolve("y.npy"), 2, 2, new float[] {1, 0, 0, 0});
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (40000, 40000), }",
        "field 'shape' [40000, 40000] is 1600000000 values, more than the limit of 50000000");
    cases.put(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-5, 4), }",
        "field 'shape' [-5, 4] holds -5; dimensions must be in [0, 2147483647]");
    cases.put(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 4), }",
        "field 'shape' holds a value that is not an integer in range: For input string: "
            + "\"99999999999999999999\"");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path x = Files.write(maps.resolve("x.npy"), npy(1, c.getKey(), -1));
      assertThat(Files.size(x)).isLessThan(200);
      CliTestSupport.Result r =
          CliTestSupport.run(
              "metrics",
              "--scores",
              scores.toString(),
              "--maps",
              maps.toString(),
              "--masks",
              masks.toString());
      assertThat(r.exitCode()).as(r.err()).isEqualTo(MediClipCli.EXIT_FAILURE);
      assertThat(r.err())
          .isEqualTo(
              "mediclip: "
                  + x
                  + ": "
                  + c.getValue()
                  + (c.getValue().contains("limit")
                      ? " (-Dmediclip.image.maxPixels=N raises it)"
                      : "")
                  + System.lineSeparator());
    }
    // a version-2 header whose length field points far beyond the file
    Path x =
        Files.write(
            maps.resolve("x.npy"), npy(2, "{'descr': '<f4', 'shape': (2, 2), }", 0x7FFFFFF0));
    CliTestSupport.Result r =
        CliTestSupport.run(
            "metrics",
            "--scores",
            scores.toString(),
            "--maps",
            maps.toString(),
            "--masks",
            masks.toString());
    assertThat(r.err())
        .isEqualTo(
            "mediclip: "
                + x
                + ": field header_len says 2147483632 bytes, but the file has"
                + " only "
                + (Files.size(x) - 12)
                + " after the preamble"
                + System.lineSeparator());
  }

  /** A .npy with the given header text (and, when headerLen >= 0, that declared header length). */
  static byte[] npy(int major, String header, int headerLen) {
    byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
    int pre = major == 1 ? 10 : 12;
    ByteBuffer bb = ByteBuffer.allocate(pre + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    bb.put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.ISO_8859_1))
        .put((byte) major)
        .put((byte) 0);
    if (major == 1) {
      bb.putShort((short) h.length);
    } else {
      bb.putInt(headerLen >= 0 ? headerLen : h.length);
    }
    bb.put(h);
    return bb.array();
  }

  // ------------------------------------------------------------------ "also fix": metrics CSV

  @Test
  void metricsCsvStripsABomReadsQuotedFieldsAndRefusesDuplicateIds() throws Exception {
    Path csv = tmp.resolve("bom.csv");
    Files.write(
        csv,
        ("\uFEFFid,label,score\n\"scan, left.png\",0,0.1\n\"say \"\"hi\"\"\",1,0.9\n" + "c,1,0.8\n")
            .getBytes(StandardCharsets.UTF_8));
    CliTestSupport.Result ok = CliTestSupport.run("metrics", "--scores", csv.toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(JsonParser.parseString(ok.out()).getAsJsonObject().get("n").getAsInt()).isEqualTo(3);
    assertThat(MetricsCommand.readCsv(csv))
        .extracting(MetricsCommand.Row::id)
        .containsExactly("scan, left.png", "say \"hi\"", "c");

    Path dup = Files.writeString(tmp.resolve("dup.csv"), "a,0,0.1\nb,1,0.9\na,1,0.5\n");
    CliTestSupport.Result r = CliTestSupport.run("metrics", "--scores", dup.toString());
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(r.err())
        .isEqualTo(
            "mediclip: "
                + dup
                + " line 3: id 'a' already appeared on line 1; each image"
                + " must be listed once"
                + System.lineSeparator());
  }

  // ------------------------------------------------------------------ defects 4, 7, 13:
  // synth-preview

  @Test
  void synthPreviewErrorsAreOneLineAndItsPngIsWrittenWhole() throws Exception {
    Path img =
        Files.write(
            tmp.resolve("sp.png"), encode(image(48, 48, BufferedImage.TYPE_BYTE_GRAY, 9), "png"));
    Path bomb = Files.write(tmp.resolve("sp-bomb.png"), pixelBomb(40000, 40000));
    Path aFile = Files.writeString(tmp.resolve("sp-file.txt"), "mine");
    CliTestSupport.Result under =
        CliTestSupport.run(
            "synth-preview",
            "--image",
            img.toString(),
            "--task",
            "CutpasteTask",
            "--size",
            "32",
            "--out",
            aFile.resolve("x.png").toString());
    assertThat(under.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(under.err())
        .isEqualTo(
            "mediclip: cannot write --out "
                + aFile.resolve("x.png")
                + ": "
                + aFile
                + " is a file, not a folder"
                + System.lineSeparator());
    CliTestSupport.Result big =
        CliTestSupport.run(
            "synth-preview",
            "--image",
            bomb.toString(),
            "--task",
            "CutpasteTask",
            "--size",
            "32",
            "--out",
            tmp.resolve("sp-out.png").toString());
    assertThat(big.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(big.err())
        .startsWith("mediclip: cannot read image " + bomb + ": image is 40000 x 40000")
        .hasLineCount(1);
    assertThat(tmp.resolve("sp-out.png")).doesNotExist();
    CliTestSupport.Result good =
        CliTestSupport.run(
            "synth-preview",
            "--image",
            img.toString(),
            "--task",
            "CutpasteTask",
            "--size",
            "64",
            "--n",
            "2",
            "--out",
            tmp.resolve("sp-out.png").toString());
    assertThat(good.exitCode()).as(good.err()).isZero();
    assertThat(ImageIO.read(tmp.resolve("sp-out.png").toFile()).getWidth()).isEqualTo(2 * 68 + 4);
    assertThat(aFile).hasContent("mine");
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".sp-out.png"));
    }
  }

  // ------------------------------------------------------------------ defect 7: init-backbone,
  // sweep

  @Test
  void initBackboneAndSweepReplaceOnlyTheirOwnFoldersAndAsAWhole() throws Exception {
    Path foreign = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(foreign.resolve("thesis.txt"), "mine");
    CliTestSupport.Result refused =
        CliTestSupport.run("init-backbone", "--preset", "tiny", "--out", foreign.toString());
    assertThat(refused.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(refused.err())
        .contains("the folder is not empty and holds no RANDOM_INIT.json")
        .hasLineCount(1);
    CliTestSupport.Result sweep =
        CliTestSupport.run(
            "sweep",
            "--data",
            data.toString(),
            "--backbone",
            backbone.toString(),
            "--k",
            "1",
            "--seeds",
            "1",
            "--epochs",
            "1",
            "--out",
            foreign.toString());
    assertThat(sweep.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(sweep.err())
        .contains("holds no runs.csv")
        .doesNotContain("training")
        .hasLineCount(1);
    assertThat(snapshot(foreign)).containsOnlyKeys("", "thesis.txt");

    Path bb = tmp.resolve("bb-swap");
    assertThat(
            CliTestSupport.run(
                    "init-backbone", "--preset", "tiny", "--seed", "1", "--out", bb.toString())
                .exitCode())
        .isZero();
    Map<String, String> first = snapshot(bb);
    // a failure while writing the new folder (a corrupt --tokenizer) leaves the old one untouched
    Path badBpe = Files.write(tmp.resolve("bad.txt.gz"), new byte[] {1, 2, 3});
    CliTestSupport.Result failed =
        CliTestSupport.run(
            "init-backbone",
            "--preset",
            "tiny",
            "--seed",
            "2",
            "--tokenizer",
            badBpe.toString(),
            "--out",
            bb.toString());
    assertThat(failed.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(failed.err()).doesNotContain("\tat ");
    assertThat(snapshot(bb)).isEqualTo(first);
    // our own folder is replaced as a whole
    assertThat(
            CliTestSupport.run(
                    "init-backbone", "--preset", "tiny", "--seed", "2", "--out", bb.toString())
                .exitCode())
        .isZero();
    assertThat(snapshot(bb)).containsOnlyKeys(first.keySet()).isNotEqualTo(first);
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".bb-swap"));
    }
  }

  // ------------------------------------------------------------------ "also fix": sample lists,
  // defect 13

  @Test
  void sampleListsPointingOutsideTheDataAreRefusedWithoutEchoingContent() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("mc"));
    Files.createDirectories(root.resolve("images"));
    Files.createDirectories(root.resolve("samples"));
    Files.write(
        root.resolve("images/n.png"),
        encode(image(32, 32, BufferedImage.TYPE_BYTE_GRAY, 1), "png"));
    Files.write(
        root.resolve("images/a.png"),
        encode(image(32, 32, BufferedImage.TYPE_BYTE_GRAY, 2), "png"));
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "root:x:0:0:TOPSECRET\n");
    Files.writeString(
        root.resolve("samples/train.json"),
        "{\"filename\": \"n.png\", \"label\": 0}\n"
            + "{\"filename\": \"../../secret.txt\", \"label\": 0}\n{\"filename\": \"n.png\" \"label\": 0}\n");
    Files.writeString(
        root.resolve("samples/test.json"),
        "{\"filename\": \"n.png\", \"label\": 0}\n"
            + "{\"filename\": \""
            + secret
            + "\", \"label\": 1}\n");
    Map<String, String> before = snapshot(root);
    CliTestSupport.Result r =
        CliTestSupport.run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            root.toString(),
            "--out",
            tmp.resolve("mc-report").toString());
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    Path train = root.resolve("samples/train.json");
    assertThat(r.err().lines().toList())
        .startsWith(
            "mediclip: problem: "
                + train
                + ": line 2: field \"filename\" points outside the dataset folder "
                + root
                + " (absolute path, '..' or a link leading out); refused. Allow it explicitly if it is"
                + " meant (CLI: --allow-paths-outside-data)");
    assertThat(r.err().lines().filter(l -> l.contains("line 3 is not valid JSON")))
        .singleElement()
        .asString()
        .startsWith("mediclip: problem: " + train + ": line 3 is not valid JSON (");
    assertThat(r.err())
        .contains("test.json: line 2: field \"filename\" points outside")
        .doesNotContain("TOPSECRET")
        .doesNotContain("root:x")
        .doesNotContain("Exception");
    assertThat(r.err().lines().reduce((a, b) -> b).orElseThrow())
        .isEqualTo(
            "mediclip: cannot read dataset "
                + root
                + ": 3 problems, each listed above on its own line");
    assertThat(snapshot(root)).isEqualTo(before);
    assertThat(tmp.resolve("mc-report")).doesNotExist();
  }
}
