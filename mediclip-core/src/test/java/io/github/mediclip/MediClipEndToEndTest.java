package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.DetectorBundle;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.FitListener;
import io.github.mediclip.train.FitSummary;
import io.github.mediclip.train.ValidationSource;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fit → predict → save → load → predict on a tiny random backbone (preset "tiny", 64 px, 2 epochs):
 * shapes, ranges, operating point invariants, bundle round trip and concurrency.
 */
class MediClipEndToEndTest {

  static MediClipDetector detector;
  static List<GrayImage> normals;
  static FitSummary[] summary = new FitSummary[1];

  @BeforeAll
  static void train() {
    normals = TinyData.normals(6, 64, 7);
    MediClip mc =
        MediClip.builder()
            .setRandomBackbone("tiny", 3)
            .optEpochs(2)
            .optPrompts(List.of("normal", "healthy"), List.of("abnormal", "lesion"))
            .optFastPromptEncoder(true)
            .optBatchSize(4)
            .optShots(4)
            .optSeed(11)
            .optWorkers(1)
            .optValidationAnomalies(4)
            .optDevice(Device.cpu())
            .optListener(
                new FitListener() {
                  @Override
                  public void onTrainingEnd(FitSummary s) {
                    summary[0] = s;
                  }
                })
            .build();
    detector = mc.fitGray(normals);
  }

  @AfterAll
  static void close() {
    if (detector != null) {
      detector.close();
    }
  }

  @Test
  void predictionHasInputResolutionMapAndConsistentLabel() {
    GrayImage img = normals.get(0).resize(80, 70);
    Prediction p = detector.predict(img);
    assertThat(p.anomalyMap().width()).isEqualTo(80);
    assertThat(p.anomalyMap().height()).isEqualTo(70);
    assertThat(p.mask().width()).isEqualTo(80);
    assertThat(p.anomalyMap().min()).isGreaterThanOrEqualTo(0f);
    assertThat(p.anomalyMap().max()).isLessThanOrEqualTo(1f);
    assertThat(p.score()).isBetween(0.0, 1.0);
    OperatingPoint op = detector.operatingPoint();
    assertThat(p.anomalous()).isEqualTo(p.score() >= op.imageThreshold());
    assertThat(p.normalizedScore() >= 0.5).isEqualTo(p.anomalous());
    for (float v : p.mask().toArray()) {
      assertThat(v).isIn(0f, 1f);
    }
    BufferedImage overlay = p.overlay(img.toBufferedImage());
    assertThat(overlay.getWidth()).isEqualTo(80);
  }

  @Test
  void predictVolumeScoresEverySliceLikePredict() {
    // a 3-slice volume of modality values 0..1000: the policy maps it to 0..255 images
    List<float[]> slices = new java.util.ArrayList<>();
    for (int k = 0; k < 3; k++) {
      float[] v = normals.get(k).toArray();
      for (int i = 0; i < v.length; i++) {
        v[i] *= 1000f / 255f;
      }
      slices.add(v);
    }
    io.github.mediclip.formats.VolumeMetadata md =
        new io.github.mediclip.formats.VolumeMetadata(
            "NIfTI-1",
            "v.nii",
            null,
            null,
            null,
            64,
            64,
            3,
            1,
            16,
            16,
            true,
            "MONOCHROME2",
            1,
            0,
            Double.NaN,
            Double.NaN,
            1,
            1,
            1,
            null,
            null);
    io.github.mediclip.formats.MedicalVolume vol =
        io.github.mediclip.formats.MedicalVolume.of(slices, md);
    io.github.mediclip.formats.IntensityPolicy policy =
        io.github.mediclip.formats.IntensityPolicy.window(500, 1001);
    VolumePrediction vp = detector.predictVolume(vol, policy, VolumeScoring.topKMean(2));
    assertThat(vp.slices()).hasSize(3);
    assertThat(vp.intensityPolicy()).isEqualTo("window:500/1001");
    assertThat(vp.scoring()).isEqualTo("top-k-mean:2");
    double[] s = new double[3];
    List<Prediction> batch = detector.predictGray(policy.apply(vol)); // same batch: identical
    for (int k = 0; k < 3; k++) {
      s[k] = vp.slices().get(k).score();
      assertThat(s[k]).isEqualTo(batch.get(k).score());
      // one at a time: equal within the batch-vs-single tolerance of batchEqualsSingle...
      assertThat(s[k])
          .isCloseTo(
              detector.predict(policy.apply(vol, k)).score(),
              org.assertj.core.data.Offset.offset(1e-5));
    }
    java.util.Arrays.sort(s);
    assertThat(vp.score()).isEqualTo((s[1] + s[2]) / 2);
    assertThat(vp.topSlices(3)).hasSize(3);
    assertThat(vp.slices().get(vp.topSlices(1).get(0)).score()).isEqualTo(s[2]);
    assertThat(vp.topOverlays(2)).hasSize(2);
  }

  @Test
  void overlayPngIsWritten(@TempDir Path tmp) throws Exception {
    GrayImage img = normals.get(1);
    Prediction p = detector.predict(img);
    Path png = tmp.resolve("sub/heat.png");
    p.writeOverlayPng(img.toBufferedImage(), png);
    BufferedImage back = javax.imageio.ImageIO.read(png.toFile());
    assertThat(back.getWidth()).isEqualTo(64);
    assertThat(back.getHeight()).isEqualTo(64);
    try (var files = Files.list(png.getParent())) {
      assertThat(files.count()).isEqualTo(1); // no temporary file left
    }
  }

  @Test
  void summaryAndManifestRecordProvenance() {
    assertThat(summary[0]).isNotNull();
    assertThat(summary[0].epochsRun()).isEqualTo(2);
    // k-shot protocol: 4 of the 6 images are shots, the other two are never used
    assertThat(summary[0].validationSource()).isEqualTo(ValidationSource.SYNTHESIZED_SHOTS);
    assertThat(summary[0].normalsSeen()).isEqualTo(4);
    BundleManifest m = detector.manifest();
    assertThat(m.training().k()).isEqualTo(4);
    assertThat(m.training().shotIds()).hasSize(4);
    assertThat(m.training().trainingFingerprint()).hasSize(64);
    assertThat(m.backbone().kind()).isEqualTo("random");
    assertThat(m.backbone().sha256()).hasSize(64);
    assertThat(m.training().synthesis()).containsKeys("CutpasteTask", "IdentityTask");
    assertThat(m.provenance().engineVersion()).startsWith("2.7.1");
    // the enums keep their strings on disk
    assertThat(m.toJson())
        .contains("\"validationSource\": \"synthesized-shots\"")
        .contains("\"stopReason\": \"\"")
        .contains("\"normalsSeen\": 4");
  }

  @Test
  void batchEqualsSingleAndConcurrentPredictionsAgree() throws Exception {
    List<BufferedImage> imgs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      imgs.add(normals.get(i).toBufferedImage());
    }
    List<Prediction> batch = detector.predictBatch(imgs);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Prediction>> fs = new ArrayList<>();
      for (int rep = 0; rep < 4; rep++) {
        for (BufferedImage b : imgs) {
          fs.add(pool.submit(() -> detector.predict(b)));
        }
      }
      for (int i = 0; i < fs.size(); i++) {
        Prediction single = fs.get(i).get();
        assertThat(single.score())
            .isCloseTo(batch.get(i % 3).score(), org.assertj.core.data.Offset.offset(1e-5));
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void bundleRoundTripGivesIdenticalPredictions(@TempDir Path tmp) {
    Path dir = tmp.resolve("bundle");
    detector.save(dir);
    assertThat(dir.resolve(DetectorBundle.MANIFEST)).exists();
    assertThat(dir.resolve(DetectorBundle.HEADS)).exists();
    assertThat(DetectorBundle.leftovers(dir)).isEmpty();
    GrayImage img = normals.get(5);
    Prediction a = detector.predict(img);
    try (MediClipDetector loaded = MediClip.load(dir)) {
      Prediction b = loaded.predict(img);
      assertThat(b.score()).isEqualTo(a.score());
      assertThat(b.anomalyMap().toArray()).containsExactly(a.anomalyMap().toArray());
      assertThat(loaded.operatingPoint()).isEqualTo(detector.operatingPoint());
    }
    Path zip = tmp.resolve("bundle.zip");
    detector.save(zip);
    try (MediClipDetector loaded = MediClip.load(zip)) {
      assertThat(loaded.predict(img).score()).isEqualTo(a.score());
    }
  }

  @Test
  void loadingWithAnotherBackboneFailsClearly(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("bundle");
    detector.save(dir);
    String json = Files.readString(dir.resolve(DetectorBundle.MANIFEST));
    // Another random backbone, recorded in a version-1 manifest (no content hashes: in version 2
    // the
    // edit itself is refused, see BundleSafetyTest).
    String v1 =
        json.replace("\"formatVersion\": 2", "\"formatVersion\": 1")
            .replaceFirst(",\\s*\"integrity\": \\{[^}]*\\}", "");
    Files.writeString(
        dir.resolve(DetectorBundle.MANIFEST), v1.replace("\"randomSeed\": 3", "\"randomSeed\": 4"));
    assertThatThrownBy(() -> MediClip.load(dir))
        .isInstanceOf(BackboneMismatchException.class)
        .hasMessageContaining(
            "trained on weights with SHA-256 " + detector.manifest().backbone().sha256());
  }
}
