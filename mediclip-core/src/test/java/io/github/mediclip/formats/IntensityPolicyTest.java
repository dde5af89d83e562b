package io.github.mediclip.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IntensityPolicyTest {

  static MedicalVolume volume(String modality, double wc, double ww, float... values) {
    VolumeMetadata md =
        new VolumeMetadata(
            "DICOM",
            "x.dcm",
            null,
            null,
            modality,
            1,
            values.length,
            1,
            1,
            16,
            16,
            true,
            "MONOCHROME2",
            1,
            0,
            wc,
            ww,
            1,
            1,
            1,
            null,
            null);
    return MedicalVolume.of(List.of(values), md);
  }

  @Test
  void specRoundTrips() {
    for (String s :
        new String[] {
          "file-window",
          "window:40/80",
          "window:-600/1500",
          "preset:lung",
          "percentile:0.5/99.5",
          "minmax"
        }) {
      assertThat(IntensityPolicy.parse(s).spec()).isEqualTo(s);
      assertThat(IntensityPolicy.parse(s)).isEqualTo(IntensityPolicy.parse(s));
    }
    assertThat(IntensityPolicy.parse("brain")).isEqualTo(IntensityPolicy.preset("brain"));
    assertThat(IntensityPolicy.preset("brain").range(volume("CT", 0, 0, 0)))
        .containsExactly(0.0, 79.0);
    assertThatThrownBy(() -> IntensityPolicy.parse("window:40"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("percentile:LOW/HIGH");
    assertThatThrownBy(() -> IntensityPolicy.preset("spine"))
        .hasMessageContaining("known presets")
        .hasMessageContaining("lung");
  }

  @Test
  void windowFollowsTheDicomLinearVoiFunction() {
    // C = 40, W = 80: x <= 0 -> 0, x > 79 -> 255, else ((x - 39.5) / 79 + 0.5) * 255
    MedicalVolume v = volume("CT", 40, 80, -1000, 0, 20, 39.5f, 79, 1000);
    float[] y = IntensityPolicy.fileWindow().apply(v, 0).toArray();
    assertThat(y)
        .containsExactly(0f, 0f, (float) (((20 - 39.5) / 79 + 0.5) * 255), 127.5f, 255f, 255f);
    assertThat(IntensityPolicy.window(40, 80).apply(v, 0).toArray()).containsExactly(y);
  }

  @Test
  void percentileInterpolatesLikeNumpy() {
    float[] vals = new float[101];
    for (int i = 0; i <= 100; i++) {
      vals[i] = i * 2; // 0..200
    }
    MedicalVolume v = volume("MR", Double.NaN, Double.NaN, vals);
    // numpy.percentile(arange(101) * 2, [0.5, 99.5]) = [1.0, 199.0]
    assertThat(IntensityPolicy.percentile(0.5, 99.5).range(v)).containsExactly(1.0, 199.0);
    assertThat(IntensityPolicy.minMax().range(v)).containsExactly(0.0, 200.0);
  }

  @Test
  void defaultsPerModalityAndMissingFileWindow() {
    assertThat(IntensityPolicy.forModality("CT").spec()).isEqualTo("file-window");
    assertThat(IntensityPolicy.forModality("MR").spec()).isEqualTo("percentile:0.5/99.5");
    assertThat(IntensityPolicy.forModality(null).spec()).isEqualTo("percentile:0.5/99.5");
    MedicalVolume v = volume("CT", Double.NaN, Double.NaN, 1, 2);
    assertThatThrownBy(() -> IntensityPolicy.fileWindow().apply(v))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith("x.dcm")
        .hasMessageContaining("preset:brain");
  }
}
