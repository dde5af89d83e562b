package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.eval.phantom.PhantomDataset;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandsTest {
  @TempDir Path tmp;

  @Test
  void synthStatsPrintsDeterministicFigures() {
    CliTestSupport.Result a =
        CliTestSupport.run(
            "synth-stats", "--task", "mixture", "--size", "64", "--samples", "40", "--seed", "3");
    CliTestSupport.Result b =
        CliTestSupport.run(
            "synth-stats", "--task", "mixture", "--size", "64", "--samples", "40", "--seed", "3");
    assertThat(a.exitCode()).as(a.err()).isZero();
    JsonObject oa = JsonParser.parseString(a.lastLine()).getAsJsonObject();
    JsonObject ob = JsonParser.parseString(b.lastLine()).getAsJsonObject();
    assertThat(oa.get("images_per_s").getAsDouble()).isPositive();
    double p10 = oa.get("mask_area_p10").getAsDouble();
    double p50 = oa.get("mask_area_p50").getAsDouble();
    double p90 = oa.get("mask_area_p90").getAsDouble();
    assertThat(p10).isBetween(0.0, 1.0).isLessThanOrEqualTo(p50);
    assertThat(p90).isGreaterThanOrEqualTo(p50).isLessThanOrEqualTo(1.0);
    // IdentityTask has weight 0.25 in the reference mixture, so some masks are empty
    assertThat(oa.get("empty_mask_share").getAsDouble()).isGreaterThan(0.0).isLessThan(1.0);
    for (String k :
        new String[] {"mask_area_p10", "mask_area_p50", "mask_area_p90", "empty_mask_share"}) {
      assertThat(ob.get(k).getAsDouble()).as(k).isEqualTo(oa.get(k).getAsDouble());
    }
  }

  @Test
  void identityTaskNeverMarksPixels() {
    CliTestSupport.Result r =
        CliTestSupport.run(
            "synth-stats", "--task", "IdentityTask", "--size", "32", "--samples", "5");
    JsonObject o = JsonParser.parseString(r.lastLine()).getAsJsonObject();
    assertThat(o.get("empty_mask_share").getAsDouble()).isEqualTo(1.0);
    assertThat(o.get("mask_area_p90").getAsDouble()).isEqualTo(0.0);
  }

  @Test
  void unknownTaskIsAUsageErrorListingTheNames() {
    CliTestSupport.Result r = CliTestSupport.run("synth-stats", "--task", "NoSuchTask");
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
    assertThat(r.err())
        .startsWith("mediclip: --task: ")
        .contains("NoSuchTask")
        .contains("CutpasteTask");
  }

  @Test
  void synthPreviewWritesAGrid() throws Exception {
    Path img = tmp.resolve("normal.png");
    ImageIO.write(PhantomDataset.normalSlice(48, 5).toBufferedImage(), "png", img.toFile());
    Path out = tmp.resolve("grid.png");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "synth-preview",
            "--image",
            img.toString(),
            "--task",
            "CutpasteTask",
            "--n",
            "3",
            "--size",
            "40",
            "--out",
            out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    BufferedImage grid = ImageIO.read(out.toFile());
    assertThat(grid.getWidth()).isEqualTo(3 * (40 + 4) + 4);
    assertThat(grid.getHeight()).isEqualTo(2 * (40 + 4) + 4);
  }

  @Test
  void synthPreviewNamesAMissingImage() {
    CliTestSupport.Result r =
        CliTestSupport.run(
            "synth-preview",
            "--image",
            tmp.resolve("nope.png").toString(),
            "--task",
            "CutpasteTask",
            "--out",
            tmp.resolve("g.png").toString());
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(r.err()).startsWith("mediclip: ").contains("nope.png");
  }
}
