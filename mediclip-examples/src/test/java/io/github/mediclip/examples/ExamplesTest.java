package io.github.mediclip.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example program on tiny inputs. */
class ExamplesTest {
  @TempDir Path tmp;

  @Test
  void quickStartThenBatchScoringOfItsBundle() throws Exception {
    Path out = tmp.resolve("qs");
    String qs = captureStdout(() -> QuickStartExample.main(new String[] {out.toString(), "1"}));
    assertThat(qs).contains("reloaded: image threshold");
    assertThat(qs.lines().filter(l -> l.contains(" label ")).count()).isEqualTo(8);
    assertThat(out.resolve("heatmap.png")).isRegularFile();
    assertThat(out.resolve("detector")).isDirectory();

    String batch =
        captureStdout(
            () ->
                BatchScoringExample.main(
                    new String[] {
                      out.resolve("detector").toString(), out.resolve("data/test").toString(), "3"
                    }));
    List<String> lines = batch.strip().lines().toList();
    assertThat(lines).hasSize(8);
    // the DJL Predictor and the detector agree on the scores printed by the quick start
    for (String line : lines) {
      String[] f = line.split("\t");
      String name = Path.of(f[0]).getFileName().toString();
      double score = Double.parseDouble(f[1]);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  java.util.regex.Pattern.quote(name) + "\\s+label \\d\\s+score ([0-9.]+)")
              .matcher(qs);
      assertThat(m.find()).as(name).isTrue();
      // the quick start prints 4 decimals
      assertThat(score)
          .as(name)
          .isCloseTo(
              Double.parseDouble(m.group(1)), org.assertj.core.api.Assertions.within(0.00006));
    }
  }

  @Test
  void customSynthesizerWritesSamples() throws Exception {
    Path out = tmp.resolve("custom");
    String s = captureStdout(() -> CustomSynthesizerExample.main(new String[] {out.toString()}));
    assertThat(s).contains("mixture weights: {BrightDisc=0.3");
    for (int i = 0; i < 4; i++) {
      assertThat(out.resolve("sample-" + i + ".png")).isRegularFile();
      assertThat(out.resolve("sample-" + i + "-mask.png")).isRegularFile();
    }
  }

  @Test
  void brightDiscMaskCoversTheChangedPixels() {
    var normal = CustomSynthesizerExample.phantom(64);
    var s =
        new CustomSynthesizerExample.BrightDiscSynthesizer()
            .synthesize(normal, new java.util.SplittableRandom(3), List.of());
    float[] before = normal.toArray();
    float[] after = s.image().toArray();
    float[] mask = s.mask().toArray();
    int changed = 0;
    for (int i = 0; i < before.length; i++) {
      if (after[i] != before[i]) {
        changed++;
        assertThat(mask[i]).as("pixel %d changed outside the mask", i).isPositive();
      }
    }
    assertThat(changed).isPositive();
  }

  interface Body {
    void run() throws Exception;
  }

  private static String captureStdout(Body body) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
