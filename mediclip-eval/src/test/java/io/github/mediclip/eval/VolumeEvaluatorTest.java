package io.github.mediclip.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.MediClipException;
import io.github.mediclip.Prediction;
import io.github.mediclip.VolumePrediction;
import io.github.mediclip.VolumeScoring;
import io.github.mediclip.eval.data.VolumeDataset;
import io.github.mediclip.formats.MedicalVolume;
import io.github.mediclip.synth.GrayImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The volume layout and its metrics, on volumes written here and on lgg-volumes when present. */
class VolumeEvaluatorTest {
  static final int W = 16;
  static final int H = 12;
  static final int N = 5;

  /** NIfTI-1, float32 (datatype 16) or uint8 (datatype 2); values[k][r * W + c]. */
  static void nifti(Path file, float[][] values, boolean uint8) throws IOException {
    int bpv = uint8 ? 1 : 4;
    ByteBuffer b = ByteBuffer.allocate(352 + bpv * W * H * N).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 348);
    short[] dim = {3, W, H, N, 1, 1, 1, 1};
    for (int d = 0; d < 8; d++) {
      b.putShort(40 + 2 * d, dim[d]);
      b.putFloat(76 + 4 * d, 1f);
    }
    b.putShort(70, (short) (uint8 ? 2 : 16)).putShort(72, (short) (bpv * 8));
    b.putFloat(108, 352f).putFloat(112, uint8 ? 0f : 1f);
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
    int off = 352;
    for (float[] slice : values) {
      for (float v : slice) {
        if (uint8) {
          b.put(off, (byte) v);
        } else {
          b.putFloat(off, v);
        }
        off += bpv;
      }
    }
    Files.write(file, b.array());
  }

  /**
   * A volume with a bright 3x3 blob (value 900 over a background of 100..160) in the given slices.
   */
  static void pair(Path dir, String name, int... blobSlices) throws IOException {
    float[][] v = new float[N][W * H];
    float[][] m = new float[N][W * H];
    for (int k = 0; k < N; k++) {
      for (int i = 0; i < W * H; i++) {
        v[k][i] = 100 + (i * 7 + k * 13) % 61;
      }
    }
    for (int k : blobSlices) {
      for (int r = 4; r < 7; r++) {
        for (int c = 5 + k; c < 8 + k; c++) {
          v[k][r * W + c] = 900;
          m[k][r * W + c] = 1;
        }
      }
    }
    nifti(dir.resolve(name + ".nii"), v, false);
    nifti(dir.resolve(name + "_mask.nii"), m, true);
  }

  /** Maps = values scaled to [0, 1] (or 1 minus that); slice score = max of the map. */
  static Function<MedicalVolume, VolumePrediction> oracle(boolean inverted) {
    return v -> {
      List<Prediction> ps = new ArrayList<>();
      List<GrayImage> imgs = new ArrayList<>();
      double[] scores = new double[v.slices()];
      for (int k = 0; k < v.slices(); k++) {
        float[] s = v.slice(k);
        float[] map = new float[s.length];
        float max = 0;
        for (int i = 0; i < s.length; i++) {
          map[i] = inverted ? 1f - s[i] / 1000f : s[i] / 1000f;
          max = Math.max(max, map[i]);
        }
        scores[k] = max;
        GrayImage g = GrayImage.of(v.columns(), v.rows(), map);
        ps.add(new Prediction(max, max, false, g, g));
        imgs.add(g);
      }
      return new VolumePrediction(ps, VolumeScoring.max().score(scores), "max", "minmax", imgs);
    };
  }

  @Test
  void layoutPairsVolumesWithMasksAndListsTheRest(@TempDir Path dir) throws IOException {
    pair(dir, "a", 1, 2);
    pair(dir, "b");
    Files.copy(dir.resolve("a.nii"), dir.resolve("c.nii"));
    Files.writeString(dir.resolve("notes.txt"), "x");
    VolumeDataset d = VolumeDataset.read(dir);
    assertThat(d.volumes()).extracting(VolumeDataset.Entry::name).containsExactly("a", "b");
    assertThat(d.volumes().get(0).mask()).isEqualTo(dir.resolve("a_mask.nii"));
    assertThat(d.skipped())
        .singleElement()
        .asString()
        .startsWith(dir.resolve("c.nii") + ": no mask c_mask.nii.gz");
    Files.move(dir.resolve("b.nii"), dir.resolve("b.moved"));
    assertThatThrownBy(() -> VolumeDataset.read(dir))
        .isInstanceOf(MediClipException.class)
        .hasMessageStartingWith(dir.resolve("b_mask.nii") + ": mask without its volume");
  }

  @Test
  void perfectAndInvertedScorersGiveOneAndZero(@TempDir Path dir) throws IOException {
    pair(dir, "a", 1, 2);
    pair(dir, "b");
    pair(dir, "c", 3);
    VolumeDataset d = VolumeDataset.read(dir);
    VolumeEvaluation e = VolumeEvaluator.evaluate(d, oracle(false), "max");
    assertThat(e.volumes()).isEqualTo(3);
    assertThat(e.slices()).isEqualTo(15);
    assertThat(e.anomalousSlices()).isEqualTo(3);
    assertThat(e.perVolume().get(0).sliceLabels()).containsExactly(0, 1, 1, 0, 0);
    assertThat(e.perVolume().get(1).label()).isZero();
    assertThat(e.perVolume().get(2).sliceLabels()).containsExactly(0, 0, 0, 1, 0);
    assertThat(e.sliceAuroc()).isEqualTo(1.0);
    assertThat(e.sliceAveragePrecision()).isEqualTo(1.0);
    assertThat(e.pixelAuroc()).isEqualTo(1.0);
    assertThat(e.pixelAupro()).isEqualTo(1.0);
    assertThat(e.volumeAuroc()).isEqualTo(1.0);
    VolumeEvaluation inv = VolumeEvaluator.evaluate(d, oracle(true), "max");
    assertThat(inv.pixelAuroc()).isEqualTo(0.0);
    // every slice holds a background voxel of 100, so every inverted slice max is 0.9: all tied
    assertThat(inv.sliceAuroc()).isEqualTo(0.5);
    assertThat(inv.volumeAuroc()).isEqualTo(0.5);
    assertThat(inv.pixelAupro()).isLessThan(0.01);
  }

  @Test
  void volumeAurocIsNaNWithOneClassAndAMaskOfAnotherSizeIsAnError(@TempDir Path dir)
      throws IOException {
    pair(dir, "a", 1);
    pair(dir, "c", 3);
    VolumeEvaluation e = VolumeEvaluator.evaluate(VolumeDataset.read(dir), oracle(false), "max");
    assertThat(e.volumeAuroc()).isNaN();
    assertThat(e.sliceAuroc()).isEqualTo(1.0);
    byte[] m = Files.readAllBytes(dir.resolve("c_mask.nii"));
    ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putShort(46, (short) 4); // 5 -> 4 slices
    Files.write(dir.resolve("c_mask.nii"), m);
    assertThatThrownBy(
            () -> VolumeEvaluator.evaluate(VolumeDataset.read(dir), oracle(false), "max"))
        .isInstanceOf(MediClipException.class)
        .hasMessageStartingWith(dir.resolve("c_mask.nii") + ": the mask is 16x12x4")
        .hasMessageContaining("is 16x12x5");
  }

  @Test
  void lggSliceLabelsFromMasksEqualLabelsCsv() throws IOException {
    String shared = System.getProperty("mediclip.shared.dir");
    Path dir = shared == null ? null : Paths.get(shared, "data", "lgg-volumes");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(dir.resolve("nifti")),
        "lgg-volumes not found at " + dir + "; skipping");
    VolumeDataset d = VolumeDataset.read(dir.resolve("nifti"));
    assertThat(d.volumes()).hasSize(8);
    assertThat(d.skipped()).singleElement().asString().contains("TCGA_CS_4943_20000902.nifti2.nii");
    Map<String, Integer> csv = new HashMap<>();
    List<String> lines = Files.readAllLines(dir.resolve("labels.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      csv.put(f[0] + "/" + f[1], Integer.parseInt(f[2]));
    }
    VolumeEvaluation e = VolumeEvaluator.evaluate(d, oracle(false), "max");
    int n = 0;
    for (VolumeEvaluation.VolumeResult r : e.perVolume()) {
      for (int k = 0; k < r.sliceLabels().length; k++) {
        assertThat(r.sliceLabels()[k])
            .as(r.name() + " slice " + k)
            .isEqualTo(csv.get(r.name() + "/" + k));
        n++;
      }
    }
    assertThat(n).isEqualTo(csv.size());
    assertThat(e.anomalousSlices()).isEqualTo(8 + 6 + 8 + 9 + 8 + 3 + 11 + 6);
    assertThat(e.volumeAuroc()).isNaN(); // every lgg volume has a tumour
    assertThat(e.sliceAuroc()).isBetween(0.0, 1.0);
  }
}
