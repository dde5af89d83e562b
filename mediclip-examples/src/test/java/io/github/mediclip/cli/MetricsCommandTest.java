package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.synth.GrayImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCommandTest {
  @TempDir Path tmp;

  @Test
  void imageMetricsMatchHandComputedValues() throws Exception {
    // sorted by score: 0.8 (1), 0.4 (0), 0.35 (1), 0.1 (0): AUROC 3/4, AP 0.5*1 + 0.5*2/3, F1-max
    // 0.8
    Path csv = tmp.resolve("scores.csv");
    Files.writeString(csv, "id,label,score\na,0,0.1\nb,0,0.4\nc,1,0.35\nd,1,0.8\n");
    CliTestSupport.Result r = CliTestSupport.run("metrics", "--scores", csv.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject o = JsonParser.parseString(r.lastLine()).getAsJsonObject();
    assertThat(o.get("image_auroc").getAsDouble()).isCloseTo(0.75, within(1e-12));
    assertThat(o.get("image_ap").getAsDouble()).isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
    assertThat(o.get("image_f1max").getAsDouble()).isCloseTo(0.8, within(1e-12));
    assertThat(o.has("pixel_auroc")).isFalse();
  }

  @Test
  void pixelMetricsFromNpyMapsAndPngMasks() throws Exception {
    Path maps = Files.createDirectories(tmp.resolve("maps"));
    Path masks = Files.createDirectories(tmp.resolve("masks"));
    // abnormal image: the map is high exactly on the 2x2 lesion; normal image: low everywhere but
    // one pixel
    float[] lesion = new float[16];
    float[] mask = new float[16];
    for (int i : new int[] {5, 6, 9, 10}) {
      lesion[i] = 0.9f;
      mask[i] = 255f;
    }
    NpyWriter.write(maps.resolve("sick.npy"), 4, 4, lesion);
    GrayImage.of(4, 4, mask).writePng(masks.resolve("sick.png"));
    float[] calm = new float[16];
    calm[0] = 0.5f;
    NpyWriter.write(maps.resolve("fine.npy"), 4, 4, calm);
    Path csv = tmp.resolve("s.csv");
    Files.writeString(csv, "sick.png,1,0.9\nfine.png,0,0.5\n");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "metrics",
            "--scores",
            csv.toString(),
            "--maps",
            maps.toString(),
            "--masks",
            masks.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject o = JsonParser.parseString(r.lastLine()).getAsJsonObject();
    assertThat(o.get("image_auroc").getAsDouble()).isEqualTo(1.0);
    assertThat(o.get("pixel_auroc").getAsDouble()).isEqualTo(1.0);
    assertThat(o.get("pixel_ap").getAsDouble()).isEqualTo(1.0);
    assertThat(o.get("pixel_aupro").getAsDouble()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void npyRoundTrip() throws Exception {
    float[] v = {0f, 1.5f, -2f, 3.25f, 4f, 5f};
    Path f = tmp.resolve("a.npy");
    NpyWriter.write(f, 3, 2, v);
    Npy.Grid g = Npy.read(f);
    assertThat(g.width()).isEqualTo(3);
    assertThat(g.height()).isEqualTo(2);
    assertThat(g.values()).containsExactly(v);
  }

  @Test
  void missingMaskOfAnAbnormalImageIsNamed() throws Exception {
    Path maps = Files.createDirectories(tmp.resolve("maps"));
    Path masks = Files.createDirectories(tmp.resolve("masks"));
    NpyWriter.write(maps.resolve("x.npy"), 2, 2, new float[4]);
    NpyWriter.write(maps.resolve("y.npy"), 2, 2, new float[4]);
    Path csv = tmp.resolve("s.csv");
    Files.writeString(csv, "y,0,0.1\nx,1,0.3\n");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "metrics",
            "--scores",
            csv.toString(),
            "--maps",
            maps.toString(),
            "--masks",
            masks.toString());
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(r.err())
        .isEqualTo("mediclip: no mask for abnormal id 'x' in " + masks + System.lineSeparator());
  }

  @Test
  void badCsvLineIsNamed() throws Exception {
    Path csv = tmp.resolve("bad.csv");
    Files.writeString(csv, "a,0,0.1\nb,2,0.3\n");
    CliTestSupport.Result r = CliTestSupport.run("metrics", "--scores", csv.toString());
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(r.err())
        .isEqualTo(
            "mediclip: "
                + csv
                + " line 2: label must be 0 or 1, but was 2"
                + System.lineSeparator());
  }

  @Test
  void mapsWithoutMasksIsAUsageError() throws Exception {
    Path csv = tmp.resolve("s.csv");
    Files.writeString(csv, "a,0,0.1\n");
    CliTestSupport.Result r =
        CliTestSupport.run("metrics", "--scores", csv.toString(), "--maps", tmp.toString());
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
    assertThat(r.err())
        .isEqualTo("mediclip: --maps and --masks go together" + System.lineSeparator());
  }
}
