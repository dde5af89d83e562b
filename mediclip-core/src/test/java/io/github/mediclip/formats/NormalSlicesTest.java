package io.github.mediclip.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.synth.GrayImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Normal-slice selection for training from volumes. */
class NormalSlicesTest {

  static MedicalVolume volume(String source, float[][] slices) {
    VolumeMetadata md =
        new VolumeMetadata(
            "NIfTI-1",
            source,
            null,
            null,
            null,
            2,
            2,
            slices.length,
            1,
            32,
            32,
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
    List<float[]> l = new ArrayList<>();
    for (float[] s : slices) {
      l.add(s);
    }
    return MedicalVolume.of(l, md);
  }

  @Test
  void rangeAndMaskPickTheStatedSlicesAfterVolumeWideMapping() {
    float[][] v = {{0, 10, 20, 30}, {40, 50, 60, 70}, {80, 90, 100, 110}};
    MedicalVolume vol = volume("v.nii", v);
    IntensityPolicy mm = IntensityPolicy.minMax();
    List<GrayImage> all = NormalSlices.all(vol, mm);
    assertThat(all).hasSize(3);
    // min-max over the whole volume (0..110), not per slice
    assertThat(all.get(1).toArray()[0])
        .isCloseTo(40f / 110f * 255f, org.assertj.core.data.Offset.offset(1e-3f));
    List<GrayImage> r = NormalSlices.range(vol, mm, 1, 2);
    assertThat(r).hasSize(2);
    assertThat(r.get(0).toArray()).containsExactly(all.get(1).toArray());
    MedicalVolume mask =
        volume("v_mask.nii", new float[][] {{0, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}});
    List<GrayImage> clean = NormalSlices.withoutMaskVoxels(vol, mask, mm);
    assertThat(clean).hasSize(2);
    assertThat(clean.get(0).toArray()).containsExactly(all.get(0).toArray());
    assertThat(clean.get(1).toArray()).containsExactly(all.get(2).toArray());
  }

  @Test
  void badRangesAndMasksNameTheFiles() {
    MedicalVolume vol = volume("v.nii", new float[][] {{0, 1, 2, 3}, {4, 5, 6, 7}});
    assertThatThrownBy(() -> NormalSlices.range(vol, IntensityPolicy.minMax(), 1, 2))
        .hasMessage("v.nii: slice range 1..2 is not within 0..1 (0-based, both ends inclusive)");
    MedicalVolume mask = volume("m.nii", new float[][] {{0, 0, 0, 0}});
    assertThatThrownBy(() -> NormalSlices.withoutMaskVoxels(vol, mask, IntensityPolicy.minMax()))
        .hasMessageStartingWith("m.nii: the mask is 2x2x1 but the volume v.nii is 2x2x2");
  }

  @Test
  void lggMaskFreeSlicesMatchLabelsCsv() throws Exception {
    String shared = System.getProperty("mediclip.shared.dir");
    Path dir = shared == null ? null : Paths.get(shared, "data", "lgg-volumes");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(dir.resolve("nifti")),
        "lgg-volumes not found at " + dir + "; skipping");
    String p = "TCGA_CS_4941_19960909";
    MedicalVolume v = MedicalImages.read(dir.resolve("nifti/" + p + ".nii.gz"));
    MedicalVolume m = MedicalImages.read(dir.resolve("nifti/" + p + "_mask.nii.gz"));
    long normal =
        Files.readAllLines(dir.resolve("labels.csv")).stream()
            .filter(l -> l.startsWith(p + ",") && l.split(",")[2].equals("0"))
            .count();
    assertThat(NormalSlices.withoutMaskVoxels(v, m, IntensityPolicy.forModality(null)))
        .hasSize((int) normal);
    assertThat(normal).isEqualTo(23 - 8);
  }
}
