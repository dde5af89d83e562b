package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.clip.ClipWeights;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.FitListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backbone given as a model folder: the manifest records its path relative to the bundle's parent
 * and the SHA-256 of its weight file; moving bundle and backbone together keeps the bundle
 * loadable; another backbone folder is refused with both hashes in the message.
 */
class FolderBackboneTest {

  static void writeBackbone(Path folder, long seed) {
    ClipConfig cfg = ClipConfig.preset("tiny");
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      ClipWeights.writeFolder(
          folder, cfg, ClipWeights.randomInit(cfg, seed, m), ClipTokenizer.byteLevel());
    }
  }

  @Test
  void bundleFindsItsBackboneByRelativePathAndRejectsAnother(@TempDir Path tmp) throws Exception {
    Path work = tmp.resolve("work");
    writeBackbone(work.resolve("models/tiny"), 5);
    writeBackbone(tmp.resolve("other"), 6);
    List<GrayImage> normals = TinyData.normals(4, 64, 2);
    MediClip mc =
        MediClip.builder()
            .setBackbone(work.resolve("models/tiny"))
            .optEpochs(1)
            .optPrompts(List.of("normal"), List.of("abnormal"))
            .optFastPromptEncoder(true)
            .optShots(3)
            .optValidationAnomalies(2)
            .optDevice(Device.cpu())
            .optListener(FitListener.silent())
            .build();
    double score;
    String sha;
    try (MediClipDetector d = mc.fitGray(normals)) {
      d.save(work.resolve("bundles/det"));
      score = d.predict(normals.get(3)).score();
      sha = d.manifest().backbone().sha256();
      assertThat(d.backboneFolder()).isEqualTo(work.resolve("models/tiny").toAbsolutePath());
    }
    BundleManifest m =
        io.github.mediclip.bundle.DetectorBundle.readManifest(work.resolve("bundles/det"));
    assertThat(m.backbone().kind()).isEqualTo("folder");
    assertThat(m.backbone().path()).isEqualTo("../models/tiny");

    Path moved = tmp.resolve("moved");
    Files.move(work, moved);
    try (MediClipDetector d = MediClip.load(moved.resolve("bundles/det"))) {
      assertThat(d.predict(normals.get(3)).score()).isEqualTo(score);
    }
    assertThatThrownBy(
            () ->
                MediClip.loader()
                    .optBackbone(tmp.resolve("other"))
                    .load(moved.resolve("bundles/det")))
        .isInstanceOf(BackboneMismatchException.class)
        .hasMessageContaining(sha)
        .hasMessageContaining(tmp.resolve("other").toString());
  }
}
