package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.FitListener;
import io.github.mediclip.train.FitSummary;
import io.github.mediclip.train.KShotSampler;
import io.github.mediclip.train.ShotFile;
import io.github.mediclip.train.ValidationSource;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The k-shot protocol through {@link MediClip#fit}: a run reads no normal image besides its k shots
 * (every other image of the pool is unreadable), records {@code normalsSeen = k}, and a shot file
 * given back with {@code optShots(List<Path>)} repeats the run exactly.
 */
class KShotProtocolTest {

  static final int K = 3;
  static final long SEED = 4;

  @TempDir static Path tmp;
  static List<Path> pool;
  static List<Path> shots;
  static GrayImage probe;

  @BeforeAll
  static void writePool() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("data/train/good"));
    pool = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      pool.add(dir.resolve("img" + i + ".png"));
    }
    // The shots as the one sampler draws them; only these files are valid images.
    shots = KShotSampler.sample(KShotSampler.inPathOrder(pool, p -> p), K, SEED);
    List<GrayImage> images = TinyData.normals(K, 64, 2);
    for (Path p : pool) {
      int s = shots.indexOf(p);
      if (s >= 0) {
        ImageIO.write(images.get(s).toBufferedImage(), "png", p.toFile());
      } else {
        Files.write(p, new byte[] {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'});
      }
    }
    probe = TinyData.normals(1, 64, 9).get(0);
  }

  static MediClip.Builder builder() {
    return MediClip.builder()
        .setRandomBackbone("tiny", 3)
        .optEpochs(1)
        .optPrompts(List.of("normal"), List.of("abnormal"))
        .optFastPromptEncoder(true)
        .optBatchSize(4)
        .optSeed(SEED)
        .optWorkers(1)
        .optValidationAnomalies(2)
        .optDevice(Device.cpu())
        .optListener(FitListener.silent());
  }

  @Test
  void kShotRunReadsOnlyItsShotsAndAShotFileRepeatsIt() {
    double score;
    try (MediClipDetector d = builder().optShots(K).build().fit(pool)) {
      FitSummary s = d.manifest().training().summary();
      assertThat(d.manifest().training().shotIds())
          .containsExactlyElementsOf(shots.stream().map(p -> p.getFileName().toString()).toList());
      assertThat(s.validationSource()).isEqualTo(ValidationSource.SYNTHESIZED_SHOTS);
      assertThat(s.normalsSeen()).isEqualTo(K);
      score = d.predict(probe).score();
      d.save(tmp.resolve("bundle"));
    }
    // The shot file, read back, gives the same shots and bit-identical scores, whatever the listing
    // order of the pool.
    Path file = tmp.resolve("bundle.shots.txt");
    ShotFile.write(file, tmp.resolve("data"), shots);
    List<Path> fromFile = ShotFile.read(file, tmp.resolve("data"));
    assertThat(fromFile).isEqualTo(shots);
    List<Path> reversed = new ArrayList<>(pool);
    Collections.reverse(reversed);
    try (MediClipDetector d = builder().optShots(fromFile).build().fit(reversed)) {
      assertThat(d.predict(probe).score()).isEqualTo(score);
      assertThat(d.manifest().training().summary().normalsSeen()).isEqualTo(K);
    }
    // Drawing again from the reversed listing gives the same shots too.
    try (MediClipDetector d = builder().optShots(K).build().fit(reversed)) {
      assertThat(d.predict(probe).score()).isEqualTo(score);
    }
  }

  @Test
  void holdoutValidationIsExplicitAndReadsTheOtherImages() {
    MediClip mc = builder().optShots(K).optHoldoutValidation(true).build();
    assertThat(mc.fitConfig().holdoutValidation()).isTrue();
    // the other images are unreadable here, so asking for them must fail, naming one of them
    assertThatThrownBy(() -> mc.fit(pool).close())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(tmp.resolve("data/train/good").toString());
  }

  @Test
  void aShotOutsideThePoolIsRejected() {
    Path stranger = tmp.resolve("elsewhere.png");
    MediClip mc = builder().optShots(List.of(stranger)).build();
    assertThatThrownBy(() -> mc.fit(pool))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "shot "
                + stranger
                + " (from optShots) is not among the 9 normal image files given to"
                + " fit; give the pool the shots were drawn from");
    assertThatThrownBy(() -> builder().optShots(2).optShots(List.of(stranger)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("shots: k was already set to 2");
  }
}
