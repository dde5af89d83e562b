package io.github.mediclip.bench.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.mediclip.formats.MedicalImages;
import io.github.mediclip.formats.MedicalVolume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * JPEG Lossless SV1 DICOM (dcmcjpeg +e1) decoded through the optional TwelveMonkeys reader, which
 * this module's tests put on the class path (the library does not depend on it): values equal the
 * nibabel-written NIfTI of the same patient exactly. Skips when lgg-volumes is absent.
 */
class JpegLosslessTest {

  @Test
  void jpegLosslessSeriesEqualsNiftiExactly() {
    String shared = System.getProperty("mediclip.shared.dir");
    Path dir = shared == null ? null : Paths.get(shared, "data", "lgg-volumes");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(dir.resolve("dicom")),
        "lgg-volumes not found at " + dir + "; skipping");
    String patient = "TCGA_CS_4941_19960909";
    MedicalVolume dicom = MedicalImages.read(dir.resolve("dicom/" + patient));
    MedicalVolume nifti = MedicalImages.read(dir.resolve("nifti/" + patient + ".nii.gz"));
    assertThat(dicom.metadata().transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.4.70");
    assertThat(dicom.slices()).isEqualTo(nifti.slices());
    float[] a = dicom.toArray();
    float[] b = nifti.toArray();
    assertThat(a.length).isEqualTo(b.length);
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        fail("voxel " + i + ": " + a[i] + " != " + b[i]);
      }
    }
    assertThat(dicom.metadata().voxelToPatient())
        .containsExactly(nifti.metadata().voxelToPatient());
  }
}
