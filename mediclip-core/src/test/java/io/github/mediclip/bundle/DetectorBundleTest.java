package io.github.mediclip.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.MediClipException;
import io.github.mediclip.OperatingPoint;
import io.github.mediclip.train.FitSummary;
import io.github.mediclip.train.StopReason;
import io.github.mediclip.train.ValidationSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest JSON round trip, atomic writes (no partial bundle on failure), zip, error messages. */
class DetectorBundleTest {

  static BundleManifest manifest(double threshold) {
    FitSummary summary =
        new FitSummary(
            3,
            2,
            0.75,
            "image_auroc",
            ValidationSource.USER,
            5,
            1.5,
            StopReason.COMPLETED,
            0.4,
            List.of(0.6, 0.5, 0.4),
            List.of(0.5, Double.NaN, 0.75));
    return new BundleManifest(
        BundleManifest.FORMAT,
        BundleManifest.FORMAT_VERSION,
        new BundleManifest.Provenance("dev", "0.36.0", "PyTorch", "2.7.1", "cpu()", 7, "now"),
        new BundleManifest.Backbone(
            "random",
            null,
            null,
            "tiny",
            3,
            "ab".repeat(32),
            io.github.mediclip.clip.ClipConfig.preset("tiny").toOpenClipJson()),
        new BundleManifest.Heads(
            List.of(2, 4, 6), 8, List.of("normal"), List.of("abnormal"), "END", true, false, false),
        64,
        new BundleManifest.Training(
            4,
            List.of("a.png", "b.png", "c.png", "d.png"),
            "cd".repeat(32),
            Map.of("IdentityTask", 1.0),
            "mixture",
            3,
            8,
            1e-3,
            0,
            "AUTO",
            summary),
        new OperatingPoint(threshold, 0.5, 0.1, 0.9, 0.0, 1.0, "f1-adaptive on user"),
        Map.of("image_auroc", 0.75),
        null);
  }

  @Test
  void manifestJsonRoundTripKeepsEveryValueIncludingNaN() {
    BundleManifest m =
        io.github.mediclip.bundle.internal.BundleCodec.withIntegrity(
            manifest(0.6), new byte[] {1, 2});
    BundleManifest back = BundleManifest.fromJson(m.toJson(), "test");
    assertThat(back).isEqualTo(m);
    assertThat(back.training().summary().epochMetrics().get(1)).isNaN();
  }

  @Test
  void writeIsAtomicAndAFailedWriteKeepsThePreviousBundle(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("det");
    try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> heads = new LinkedHashMap<>();
      heads.put("w", nd.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)));
      DetectorBundle.write(dir, manifest(0.6), heads);
      DetectorBundle.write(
          dir, manifest(0.7), heads, SaveOptions.builder().optOverwrite(true).build());
      assertThat(DetectorBundle.readManifest(dir).operatingPoint().imageThreshold()).isEqualTo(0.7);

      Map<String, NDArray> bad = new LinkedHashMap<>();
      bad.put("__metadata__", nd.create(new float[] {1}));
      assertThatThrownBy(
              () ->
                  DetectorBundle.write(
                      dir, manifest(0.8), bad, SaveOptions.builder().optOverwrite(true).build()))
          .isInstanceOf(IllegalArgumentException.class);
      // the previous bundle is intact and no temporary folder is left behind
      assertThat(DetectorBundle.readManifest(dir).operatingPoint().imageThreshold()).isEqualTo(0.7);
      assertThat(DetectorBundle.leftovers(dir)).isEmpty();
      try (var files = Files.list(tmp)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("det");
      }
      assertThat(dir.resolve(DetectorBundle.SERVING)).content().contains("blockFactory=");

      Path zip = tmp.resolve("out/det.zip");
      DetectorBundle.zip(dir, zip);
      Path un = DetectorBundle.unzip(zip, tmp.resolve("un"));
      assertThat(DetectorBundle.readManifest(un)).isEqualTo(DetectorBundle.readManifest(dir));
      assertThat(DetectorBundle.isZip(zip)).isTrue();
    }
  }

  @Test
  void badBundlesGiveClearErrors(@TempDir Path tmp) throws Exception {
    assertThatThrownBy(() -> DetectorBundle.readManifest(tmp))
        .isInstanceOf(MediClipException.class)
        .hasMessageContaining("has no manifest.json");
    Files.writeString(tmp.resolve("manifest.json"), "{\"format\": \"something-else\"}");
    assertThatThrownBy(() -> DetectorBundle.readManifest(tmp))
        .isInstanceOf(MediClipException.class)
        .hasMessageContaining("Not a MediCLIP detector manifest");
    Files.writeString(
        tmp.resolve("manifest.json"),
        manifest(0.5).toJson().replace("\"formatVersion\": 2", "\"formatVersion\": 99"));
    assertThatThrownBy(() -> DetectorBundle.readManifest(tmp))
        .hasMessageContaining("field 'formatVersion' is 99 but this library reads versions 1 to 2");
    Files.writeString(tmp.resolve("manifest.json"), "{ not json");
    assertThatThrownBy(() -> DetectorBundle.readManifest(tmp))
        .isInstanceOf(MediClipException.class)
        .hasMessageContaining("Malformed bundle manifest");
  }
}
