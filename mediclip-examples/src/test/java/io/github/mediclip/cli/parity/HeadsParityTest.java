package io.github.mediclip.cli.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.mediclip.internal.clip.SafetensorsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Parity of the heads with the reference MediCLIP code on a fixture folder (default {@code
 * <mediclip.shared.dir>/parity/tiny-clip-64}; override with {@code -Dmediclip.parity.dir=...}):
 * adapted features, prompt ids, prompt text features, anomaly maps, image scores, focal / dice /
 * total loss, gradients of every trainable tensor and the parameters after one Adam step, each
 * within 1e-4 (absolute). Gradients are additionally held to 1e-3 of their largest magnitude, since
 * they are small (~1e-3) and an absolute 1e-4 alone would say little. Skipped when the fixture is
 * absent, unless the environment variable CI is "true" (then it fails).
 */
@Tag("parity")
class HeadsParityTest {

  static final double ATOL = 1e-4;
  static final double GRAD_RTOL = 1e-3;

  static Path fixtureDir() {
    String dir = System.getProperty("mediclip.parity.dir");
    if (dir != null && !dir.isBlank()) {
      return Paths.get(dir);
    }
    String shared = System.getProperty("mediclip.shared.dir");
    return shared == null ? null : Paths.get(shared, "parity", "tiny-clip-64");
  }

  @Test
  void headsMatchTheReferenceWithin1e4() {
    Path dir = fixtureDir();
    boolean present = dir != null && Files.isRegularFile(dir.resolve("expected.safetensors"));
    if (!present) {
      String msg =
          "parity fixture not found at "
              + dir
              + " (set -Dmediclip.parity.dir or -Dmediclip.shared.dir)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(msg);
      }
      Assumptions.assumeTrue(false, msg + "; skipping");
    }
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> got = HeadsParity.compute(dir, m);
      List<String> failures = new ArrayList<>();
      int compared = 0;
      try (SafetensorsReader r = SafetensorsReader.open(dir.resolve("expected.safetensors"))) {
        for (String name : r.names()) {
          boolean mine =
              name.startsWith("heads.")
                  || name.startsWith("loss.")
                  || name.startsWith("grad.")
                  || name.startsWith("adam1.")
                  || name.startsWith("prompt.");
          if (!mine) {
            continue;
          }
          NDArray actual = got.get(name);
          if (actual == null) {
            failures.add(name + ": not computed");
            continue;
          }
          NDArray expected = r.read(name, m);
          if (!actual.getShape().equals(expected.getShape())) {
            failures.add(
                name + ": shape " + actual.getShape() + " vs expected " + expected.getShape());
            continue;
          }
          double[] x = actual.toType(DataType.FLOAT64, false).toDoubleArray();
          double[] y = expected.toType(DataType.FLOAT64, false).toDoubleArray();
          double maxDiff = 0;
          double maxAbs = 0;
          for (int i = 0; i < x.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
            maxAbs = Math.max(maxAbs, Math.abs(y[i]));
          }
          double tol = name.startsWith("grad.") ? Math.min(ATOL, GRAD_RTOL * maxAbs) : ATOL;
          System.out.printf(
              Locale.ROOT,
              "parity %-36s max|diff| %.3e (tol %.1e, max|expected| %.3e)%n",
              name,
              maxDiff,
              tol,
              maxAbs);
          if (!(maxDiff <= tol)) {
            failures.add(
                String.format(Locale.ROOT, "%s: max|diff| %.3e > %.1e", name, maxDiff, tol));
          }
          compared++;
        }
      }
      assertThat(failures).as("parity failures in %s", dir).isEmpty();
      // 2 prompt-id tensors + at least 1 adapted layer, text features, map, scores, 3 losses, 2+
      // grads, 2+ adam1
      assertThat(compared).isGreaterThanOrEqualTo(14);
    }
  }
}
