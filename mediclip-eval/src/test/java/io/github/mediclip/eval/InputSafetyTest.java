package io.github.mediclip.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.DatasetException;
import io.github.mediclip.eval.data.DatasetReader;
import io.github.mediclip.eval.data.ImageFiles;
import io.github.mediclip.eval.data.Layout;
import io.github.mediclip.eval.internal.OutputFolders;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, input side, in the library: bad files in data sets are skipped with a report (header
 * and decode failures alike, named pipes never opened), sample lists stay inside the data folder,
 * report folders are swapped in whole.
 */
class InputSafetyTest {

  @TempDir Path tmp;

  static byte[] png(int w, int h, int seed) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x * 7 + y * 13 + seed * 31) & 0xFF);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** A 1 x 1 PNG whose header declares w x h. */
  static byte[] declaredPng(int w, int h) throws IOException {
    byte[] b = png(1, 1, 0);
    ByteBuffer.wrap(b).putInt(16, w).putInt(20, h);
    CRC32 crc = new CRC32();
    crc.update(b, 12, 17);
    ByteBuffer.wrap(b).putInt(29, (int) crc.getValue());
    return b;
  }

  static Map<Path, byte[]> snapshot(Path root) throws IOException {
    Map<Path, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          m.put(root.relativize(p), Files.readAllBytes(p));
        } else {
          m.put(root.relativize(p), new byte[0]);
        }
      }
    }
    return m;
  }

  static void assertSame(Map<Path, byte[]> a, Map<Path, byte[]> b) {
    assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
    a.forEach((k, v) -> assertThat(b.get(k)).as(k.toString()).isEqualTo(v));
  }

  /**
   * A plain-layout data set with 4 + 4 readable test images and the given extra files in
   * test/normal.
   */
  Path plainData(boolean withHostileFiles) throws Exception {
    Path root = tmp.resolve("data");
    Path train = Files.createDirectories(root.resolve("train/normal"));
    Path normal = Files.createDirectories(root.resolve("test/normal"));
    Path abnormal = Files.createDirectories(root.resolve("test/abnormal"));
    for (int i = 0; i < 4; i++) {
      Files.write(train.resolve("t" + i + ".png"), png(32, 32, i));
      Files.write(normal.resolve("n" + i + ".png"), png(32, 32, 10 + i));
      Files.write(abnormal.resolve("a" + i + ".png"), png(32, 32, 20 + i));
    }
    if (withHostileFiles) {
      byte[] full = png(32, 32, 99);
      Files.write(normal.resolve("n1x-truncated.png"), Arrays.copyOf(full, full.length / 2));
      Files.write(normal.resolve("n2x-bomb.png"), declaredPng(40000, 40000));
      Files.createSymbolicLink(normal.resolve("n3x-broken.png"), normal.resolve("gone.png"));
      Process p = new ProcessBuilder("mkfifo", normal.resolve("n4x-pipe.png").toString()).start();
      assertThat(p.waitFor()).as("mkfifo").isZero();
    }
    return root;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void badTestImagesAreSkippedWithAReportAndTheRunGoesOn() throws Exception {
    Path root = plainData(true);
    Map<Path, byte[]> before = snapshot(root);
    List<String> readerWarnings = new ArrayList<>();
    Dataset ds =
        DatasetReader.read(
            root,
            Layout.AUTO,
            DatasetReader.Options.skipUnreadable().withWarnings(readerWarnings::add));
    // the header check catches the bomb, the broken link and the pipe (never opened); the truncated
    // PNG passes it
    assertThat(readerWarnings).hasSize(3);
    assertThat(String.join("\n", readerWarnings))
        .contains("n2x-bomb.png: image is 40000 x 40000 = 1600000000 pixels, more than the limit")
        .contains("n3x-broken.png: broken symbolic link")
        .contains("n4x-pipe.png: not a regular file (a named pipe, device or socket)");
    assertThat(ds.test()).hasSize(9);

    List<String> evalWarnings = new ArrayList<>();
    List<String> scored = new ArrayList<>();
    ImageScorer scorer =
        image -> {
          scored.add(image.getWidth() + "x" + image.getHeight());
          return ScoredImage.of(ImageFiles.luminance(image)[5]);
        };
    Path report = tmp.resolve("report");
    EvaluationResult r =
        DetectorEvaluator.builder()
            .optBootstrap(0, 0)
            .optBatchSize(3)
            .optWarnings(evalWarnings::add)
            .build()
            .evaluate(scorer, ds, report);
    // the same words as the reader's report: "skipping <path>: <reason>"
    assertThat(evalWarnings)
        .singleElement()
        .asString()
        .startsWith(
            "skipping "
                + root.resolve("test/normal/n1x-truncated.png")
                + ": corrupt or truncated image");
    assertThat(r.samples()).hasSize(8).noneMatch(s -> s.image().toString().contains("truncated"));
    assertThat(scored).hasSize(8); // images after the bad one were scored
    assertThat(Files.readAllLines(report.resolve("scores.csv"))).hasSize(9);
    assertSame(before, snapshot(root));
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("data", "report");
    }
  }

  @Test
  void aReportFolderAmongTheTestImagesOrHoldingForeignFilesIsRefusedBeforeScoring()
      throws Exception {
    Path root = plainData(false);
    Dataset ds = DatasetReader.read(root, Layout.AUTO);
    int[] calls = {0};
    ImageScorer scorer =
        image -> {
          calls[0]++;
          return ScoredImage.of(1);
        };
    DetectorEvaluator ev = DetectorEvaluator.builder().optBootstrap(0, 0).build();
    Map<Path, byte[]> before = snapshot(root);
    assertThatThrownBy(() -> ev.evaluate(scorer, ds, root.resolve("test/normal/report")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlaps the image folder");
    assertThatThrownBy(() -> ev.evaluate(scorer, ds, root.resolve("test")))
        .hasMessageContaining("is not empty and holds no metrics.json");
    Path foreign = Files.createDirectories(tmp.resolve("thesis"));
    Files.writeString(foreign.resolve("metrics.json"), "{}");
    Files.writeString(foreign.resolve("chapter1.tex"), "mine");
    assertThatThrownBy(() -> ev.evaluate(scorer, ds, foreign))
        .hasMessageContaining(
            "cannot replace evaluation report "
                + foreign
                + ": it holds 'chapter1.tex', which we never write there");
    assertThat(calls[0]).isZero();
    assertThat(foreign.resolve("chapter1.tex")).hasContent("mine");
    assertSame(before, snapshot(root));
  }

  @Test
  void aReportIsReplacedAsAWholeAndAFailedWriteLeavesTheOldOne() throws Exception {
    Path report = tmp.resolve("report");
    Files.createDirectories(report);
    Files.writeString(report.resolve("metrics.json"), "old");
    Files.writeString(report.resolve("index.html"), "old");
    OutputFolders.Kind kind = OutputFolders.EVALUATION_REPORT;
    assertThatThrownBy(
            () ->
                OutputFolders.write(
                    report,
                    kind,
                    dir -> {
                      try {
                        Files.writeString(dir.resolve("metrics.json"), "new");
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                      throw new UncheckedIOException(new IOException("No space left on device"));
                    }))
        .hasMessageContaining("No space left on device");
    assertThat(report.resolve("metrics.json")).hasContent("old");
    assertThat(report.resolve("index.html")).hasContent("old");
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactly("report"); // no temp sibling left
    }
    OutputFolders.write(
        report,
        kind,
        dir -> {
          try {
            Files.writeString(dir.resolve("metrics.json"), "new");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    assertThat(report.resolve("metrics.json")).hasContent("new");
    assertThat(report.resolve("index.html")).doesNotExist(); // no mix of the old and the new run
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("report");
    }
  }

  @Test
  void sampleListsMayNotPointOutsideTheDataAndErrorsAreOneLineWithoutContent() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("ds"));
    Files.createDirectories(root.resolve("images"));
    Files.createDirectories(root.resolve("samples"));
    Files.write(root.resolve("images/ok.png"), png(16, 16, 1));
    Files.write(root.resolve("images/bad.png"), png(16, 16, 2));
    Path secret = Files.writeString(tmp.resolve("passwd"), "root:x:0:0:SECRET\n");
    Path outsideImage = Files.write(tmp.resolve("outside.png"), png(16, 16, 3));
    Files.writeString(
        root.resolve("samples/train.json"),
        String.join(
            "\n",
            "{\"filename\": \"ok.png\", \"label\": 0}",
            "{\"filename\": \"../../passwd\", \"label\": 0}",
            "{\"filename\": \"" + secret.toAbsolutePath() + "\", \"label\": 0}",
            "{\"filename\": \"ok.png\", \"label\": 0, oops}",
            ""),
        StandardCharsets.UTF_8);
    Files.writeString(
        root.resolve("samples/test.json"),
        String.join(
            "\n",
            "{\"filename\": \"ok.png\", \"label\": 0}",
            "{\"filename\": \"bad.png\", \"label\": 1, \"mask\": \"../../outside.png\"}",
            ""),
        StandardCharsets.UTF_8);
    Map<Path, byte[]> before = snapshot(tmp);
    DatasetException e =
        (DatasetException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    DatasetReader.read(root, Layout.AUTO, DatasetReader.Options.skipUnreadable()));
    assertThat(e).isNotNull();
    List<String> problems = e.problems().stream().map(Object::toString).toList();
    assertThat(problems).hasSize(4);
    assertThat(problems.get(0))
        .contains("train.json")
        .contains("line 2: field \"filename\" points outside the" + " dataset folder");
    assertThat(problems.get(1)).contains("line 3: field \"filename\" points outside");
    assertThat(problems.get(2))
        .contains("line 4 is not valid JSON (")
        .doesNotContain("\n")
        .doesNotContain("See http");
    assertThat(problems.get(3))
        .contains("test.json")
        .contains("line 2: field \"mask\" points outside");
    assertThat(String.join(" ", problems) + e.getMessage())
        .doesNotContain("SECRET")
        .doesNotContain("root:x");
    assertSame(before, snapshot(tmp));

    // allowed explicitly: the outside mask is used
    Files.writeString(
        root.resolve("samples/train.json"), "{\"filename\": \"ok.png\", \"label\": 0}\n");
    Dataset ds =
        DatasetReader.read(
            root, Layout.AUTO, DatasetReader.Options.strict().withPathsOutsideRoot(true));
    assertThat(ds.test().get(1).maskFile()).isEqualTo(outsideImage.toAbsolutePath().normalize());
  }
}
