package io.github.mediclip.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.MediClipException;
import io.github.mediclip.eval.data.VolumeDataset;
import io.github.mediclip.formats.MedicalFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The volume layout with DICOM series folders and the masks in another folder (lgg-volumes' {@code
 * dicom/} with the masks of {@code nifti/}), against the NIfTI layout of the same patients.
 */
class VolumeDicomLayoutTest {

  static Path lgg() {
    String shared = System.getProperty("mediclip.shared.dir");
    Path dir = shared == null ? null : Paths.get(shared, "data", "lgg-volumes");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(dir.resolve("dicom")),
        "lgg-volumes not found at " + dir + "; skipping");
    return dir;
  }

  @Test
  void dicomSeriesWithNiftiMasksGiveTheNiftiLabelsAndScoresAndReportUndecodableSeries() {
    Path lgg = lgg();
    VolumeDataset dicom = VolumeDataset.read(lgg.resolve("dicom"), lgg.resolve("nifti"));
    assertThat(dicom.volumes()).hasSize(8);
    assertThat(dicom.skipped()).isEmpty();
    assertThat(dicom.volumes().get(0).volume())
        .isEqualTo(lgg.resolve("dicom/TCGA_CS_4941_19960909"));
    assertThat(dicom.volumes().get(0).mask())
        .isEqualTo(lgg.resolve("nifti/TCGA_CS_4941_19960909_mask.nii.gz"));
    List<String> skipped = new ArrayList<>();
    VolumeEvaluation d =
        VolumeEvaluator.evaluate(dicom, VolumeEvaluatorTest.oracle(false), "max", skipped::add);
    VolumeEvaluation n =
        VolumeEvaluator.evaluate(
            VolumeDataset.read(lgg.resolve("nifti")), VolumeEvaluatorTest.oracle(false), "max");
    // JPEG-LS has no decoder here; JPEG Lossless needs TwelveMonkeys, which this module lacks
    assertThat(skipped).hasSize(2);
    assertThat(skipped.get(0))
        .startsWith("skipping volume TCGA_CS_4941_19960909: ")
        .contains("1.2.840.10008.1.2.4.70");
    assertThat(skipped.get(1))
        .startsWith("skipping volume TCGA_CS_5397_20010315: ")
        .contains("1.2.840.10008.1.2.4.80");
    Map<String, VolumeEvaluation.VolumeResult> byName = new HashMap<>();
    n.perVolume().forEach(r -> byName.put(r.name(), r));
    assertThat(d.volumes()).isEqualTo(6);
    for (VolumeEvaluation.VolumeResult r : d.perVolume()) {
      VolumeEvaluation.VolumeResult nr = byName.get(r.name());
      assertThat(r.sliceLabels()).as(r.name()).containsExactly(nr.sliceLabels());
      assertThat(r.sliceScores()).as(r.name()).containsExactly(nr.sliceScores());
      assertThat(r.score()).isEqualTo(nr.score());
    }
    // without a consumer an undecodable series is an error naming it
    assertThatThrownBy(
            () -> VolumeEvaluator.evaluate(dicom, VolumeEvaluatorTest.oracle(false), "max"))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageContaining("TCGA_CS_4941_19960909");
  }

  @Test
  void aMultiFrameDicomFileIsAVolumeOfTheLayout(@TempDir Path tmp) throws IOException {
    Path lgg = lgg();
    Path data = Files.createDirectories(tmp.resolve("data"));
    String p = "TCGA_CS_4942_19970222";
    Files.createSymbolicLink(
        data.resolve(p + ".dcm"), lgg.resolve("dicom-multiframe/" + p + ".dcm"));
    VolumeDataset ds = VolumeDataset.read(data, lgg.resolve("nifti"));
    assertThat(ds.volumes()).singleElement().extracting(VolumeDataset.Entry::name).isEqualTo(p);
    VolumeEvaluation d = VolumeEvaluator.evaluate(ds, VolumeEvaluatorTest.oracle(false), "max");
    Path nifti = Files.createDirectories(tmp.resolve("nifti"));
    for (String f : List.of(p + ".nii.gz", p + "_mask.nii.gz")) {
      Files.createSymbolicLink(nifti.resolve(f), lgg.resolve("nifti/" + f));
    }
    VolumeEvaluation n =
        VolumeEvaluator.evaluate(
            VolumeDataset.read(nifti), VolumeEvaluatorTest.oracle(false), "max");
    assertThat(d.perVolume().get(0).sliceLabels())
        .containsExactly(n.perVolume().get(0).sliceLabels());
    assertThat(d.perVolume().get(0).sliceScores())
        .containsExactly(n.perVolume().get(0).sliceScores());
    assertThat(d.anomalousSlices()).isEqualTo(6);
  }

  @Test
  void aMaskOfAnotherSizeThanItsSeriesIsAnErrorNamingBoth(@TempDir Path tmp) throws IOException {
    Path lgg = lgg();
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path masks = Files.createDirectories(tmp.resolve("masks"));
    String p = "TCGA_CS_4943_20000902"; // 20 slices, Implicit VR LE
    Files.createSymbolicLink(data.resolve(p), lgg.resolve("dicom/" + p));
    // the mask of a 24-slice patient under this patient's name
    Files.createSymbolicLink(
        masks.resolve(p + "_mask.nii.gz"), lgg.resolve("nifti/TCGA_CS_5396_20010302_mask.nii.gz"));
    VolumeDataset ds = VolumeDataset.read(data, masks);
    assertThatThrownBy(
            () -> VolumeEvaluator.evaluate(ds, VolumeEvaluatorTest.oracle(false), "max", s -> {}))
        .isInstanceOf(MediClipException.class)
        .hasMessageStartingWith(masks.resolve(p + "_mask.nii.gz") + ": the mask is 256x256x24")
        .hasMessageContaining("the volume " + data.resolve(p) + " is 256x256x20");
  }

  @Test
  void namesMatchMasksToVolumesAndClashesAndStrayMasksNextToVolumesAreErrors(@TempDir Path tmp)
      throws IOException {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path masks = Files.createDirectories(tmp.resolve("masks"));
    VolumeEvaluatorTest.pair(data, "a", 1);
    Files.move(data.resolve("a_mask.nii"), masks.resolve("a_mask.nii"));
    VolumeEvaluatorTest.pair(masks, "other", 1); // a volume in the masks folder is not a mask
    Files.delete(masks.resolve("other_mask.nii"));
    Files.createDirectories(data.resolve("notes")); // a folder without DICOM files
    VolumeDataset ds = VolumeDataset.read(data, masks);
    assertThat(ds.volumes())
        .singleElement()
        .extracting(VolumeDataset.Entry::mask)
        .isEqualTo(masks.resolve("a_mask.nii"));
    assertThat(ds.skipped())
        .singleElement()
        .asString()
        .startsWith(data.resolve("notes") + ": a folder without DICOM files");
    // the masks are not next to the volumes: read(data) finds none
    assertThatThrownBy(() -> VolumeDataset.read(data))
        .isInstanceOf(MediClipException.class)
        .hasMessageStartingWith(data + ": no volume with a mask");
    // a separate masks folder may hold masks of other volumes: ignored
    Files.copy(masks.resolve("a_mask.nii"), masks.resolve("b_mask.nii"));
    assertThat(VolumeDataset.read(data, masks).volumes()).hasSize(1);
    // next to the volumes, a mask without its volume is an error
    Files.copy(masks.resolve("a_mask.nii"), data.resolve("b_mask.nii"));
    Files.copy(masks.resolve("a_mask.nii"), data.resolve("a_mask.nii"));
    assertThatThrownBy(() -> VolumeDataset.read(data))
        .isInstanceOf(MediClipException.class)
        .hasMessageStartingWith(data.resolve("b_mask.nii") + ": mask without its volume");
    Files.delete(data.resolve("b_mask.nii"));
    Files.copy(data.resolve("a.nii"), data.resolve("a.dcm"));
    assertThatThrownBy(() -> VolumeDataset.read(data, masks))
        .isInstanceOf(MediClipException.class)
        .hasMessageContaining("two volumes are named 'a' (a.dcm and a.nii)");
  }
}
