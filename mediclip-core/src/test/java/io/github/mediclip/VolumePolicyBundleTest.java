package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.formats.IntensityPolicy;
import io.github.mediclip.formats.MedicalImages;
import io.github.mediclip.formats.MedicalVolume;
import io.github.mediclip.synth.GrayImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intensity policy recorded in the bundle manifest: written by {@code optIntensityPolicy}, kept
 * through save/load, used by {@code predictVolume(path)}, and a different explicit policy is an
 * error.
 */
class VolumePolicyBundleTest {

  static MediClipDetector detector;
  static List<GrayImage> normals;
  static final IntensityPolicy TRAINED = IntensityPolicy.percentile(1, 99);

  @BeforeAll
  static void train() {
    normals = TinyData.normals(4, 64, 5);
    detector =
        MediClip.builder()
            .setRandomBackbone("tiny", 3)
            .optEpochs(1)
            .optPrompts(List.of("normal"), List.of("abnormal"))
            .optFastPromptEncoder(true)
            .optBatchSize(4)
            .optShots(4)
            .optSeed(3)
            .optWorkers(1)
            .optValidationAnomalies(2)
            .optDevice(Device.cpu())
            .optIntensityPolicy(TRAINED)
            .build()
            .fitGray(normals);
  }

  @AfterAll
  static void close() {
    if (detector != null) {
      detector.close();
    }
  }

  /** A float32 NIfTI-1 file of 3 slices: slice k = normals[k] x 4 (modality values 0..1020). */
  static Path writeNifti(Path file) throws IOException {
    int w = 64;
    int h = 64;
    int n = 3;
    ByteBuffer b = ByteBuffer.allocate(352 + 4 * w * h * n).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 348);
    short[] dim = {3, (short) w, (short) h, (short) n, 1, 1, 1, 1};
    for (int d = 0; d < 8; d++) {
      b.putShort(40 + 2 * d, dim[d]);
      b.putFloat(76 + 4 * d, 1f);
    }
    b.putShort(70, (short) 16).putShort(72, (short) 32);
    b.putFloat(108, 352f).putFloat(112, 1f).putFloat(116, 0f);
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    int off = 352;
    for (int k = 0; k < n; k++) {
      float[] v = normals.get(k).toArray();
      for (float x : v) {
        b.putFloat(off, x * 4f);
        off += 4;
      }
    }
    Files.write(file, b.array());
    return file;
  }

  @Test
  void manifestRecordsPolicyAndPredictVolumeUsesIt(@TempDir Path tmp) throws Exception {
    assertThat(detector.manifest().training().intensityPolicy()).isEqualTo("percentile:1/99");
    assertThat(detector.intensityPolicy()).isEqualTo(TRAINED);
    Path nii = writeNifti(tmp.resolve("v.nii"));
    MedicalVolume vol = MedicalImages.read(nii);
    // NIfTI has no modality: without the record the default would be percentile:0.5/99.5
    assertThat(IntensityPolicy.forModality(null)).isNotEqualTo(TRAINED);
    VolumePrediction byPath = detector.predictVolume(nii);
    assertThat(byPath.intensityPolicy()).isEqualTo("percentile:1/99");
    VolumePrediction explicit = detector.predictVolume(vol, TRAINED, VolumeScoring.max());
    for (int k = 0; k < 3; k++) {
      assertThat(byPath.slices().get(k).score()).isEqualTo(explicit.slices().get(k).score());
    }

    Path dir = tmp.resolve("bundle");
    detector.save(dir);
    String json = Files.readString(dir.resolve("manifest.json"), StandardCharsets.UTF_8);
    assertThat(json).contains("\"intensityPolicy\": \"percentile:1/99\"");
    try (MediClipDetector loaded = MediClip.load(dir)) {
      assertThat(loaded.intensityPolicy()).isEqualTo(TRAINED);
      VolumePrediction again = loaded.predictVolume(nii);
      assertThat(again.intensityPolicy()).isEqualTo("percentile:1/99");
      assertThat(again.score()).isEqualTo(byPath.score());
    }
  }

  @Test
  void anExplicitDifferentPolicyIsAnErrorNamingBoth(@TempDir Path tmp) throws Exception {
    MedicalVolume vol = MedicalImages.read(writeNifti(tmp.resolve("v.nii")));
    assertThatThrownBy(
            () -> detector.predictVolume(vol, IntensityPolicy.minMax(), VolumeScoring.max()))
        .isInstanceOf(MediClipException.class)
        .hasMessageContaining("intensity policy mismatch")
        .hasMessageContaining("'percentile:1/99'")
        .hasMessageContaining("'minmax'")
        .hasMessageContaining("training.intensityPolicy");
  }

  @Test
  void editingTheRecordedPolicyIsRefusedByTheIntegrityCheck(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("bundle");
    detector.save(dir);
    Path m = dir.resolve("manifest.json");
    Files.writeString(m, Files.readString(m).replace("\"percentile:1/99\"", "\"minmax\""));
    assertThatThrownBy(() -> MediClip.load(dir).close())
        .isInstanceOf(MediClipException.class)
        .hasMessageContaining("training.intensityPolicy were changed after saving");
  }

  @Test
  void aBadPolicyStringNamesTheField() {
    String json = detector.manifest().toJson().replace("\"percentile:1/99\"", "\"sepia\"");
    assertThatThrownBy(() -> BundleManifest.fromJson(json, "x/manifest.json"))
        .isInstanceOf(MediClipException.class)
        .hasMessageStartingWith(
            "Bundle manifest x/manifest.json: field 'training.intensityPolicy':")
        .hasMessageContaining("'sepia' not understood");
  }

  @Test
  void aManifestWithoutThePolicyStillLoadsWithNone(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("bundle");
    detector.save(dir);
    String json =
        Files.readString(dir.resolve("manifest.json"))
            .replace("\"intensityPolicy\": \"percentile:1/99\"", "\"intensityPolicy\": null");
    BundleManifest m = BundleManifest.fromJson(json, "old/manifest.json");
    assertThat(m.training().intensityPolicy()).isNull();
    // an older manifest has no such key at all
    String older = json.replaceAll(",\\s*\"intensityPolicy\": null", "");
    assertThat(older).doesNotContain("intensityPolicy");
    assertThat(BundleManifest.fromJson(older, "old/manifest.json").training().intensityPolicy())
        .isNull();
  }
}
