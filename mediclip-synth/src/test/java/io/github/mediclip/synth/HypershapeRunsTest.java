package io.github.mediclip.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The count and row runs that {@link Hypershape#make} records describe its mask exactly. */
class HypershapeRunsTest {

  @Test
  void recordedCountAndRowRunsMatchTheMask() {
    SplittableRandom r = new SplittableRandom(11);
    int withRuns = 0;
    for (int n = 0; n < 300; n++) {
      int size = n % 3 == 0 ? 64 : 224;
      int lb = (int) Math.rint(0.2 * size);
      int ub = (int) Math.rint(0.6 * size);
      Patch p = Hypershape.make(r, lb, ub, lb, ub, size, size);
      int scanned = 0;
      for (boolean b : p.mask) {
        scanned += b ? 1 : 0;
      }
      assertThat(p.count()).as("count of patch %d", n).isEqualTo(scanned);
      if (p.rowStart == null) {
        continue;
      }
      withRuns++;
      for (int i = 0; i < p.h; i++) {
        for (int j = 0; j < p.w; j++) {
          boolean inRun = j >= p.rowStart[i] && j < p.rowEnd[i];
          assertThat(p.mask[i * p.w + j]).as("patch %d cell (%d, %d)", n, i, j).isEqualTo(inRun);
        }
      }
    }
    // convex shapes: the rows are runs (the fast paths are exercised, not only the fallback)
    assertThat(withRuns).isGreaterThan(250);
  }

  @Test
  void perlinPatchesCountOnDemand() {
    Patch p = PerlinShape.make(new SplittableRandom(3), 20, 60, 20, 60, "test");
    int scanned = 0;
    for (boolean b : p.mask) {
      scanned += b ? 1 : 0;
    }
    assertThat(p.rowStart).isNull();
    assertThat(p.count()).isEqualTo(scanned);
  }
}
