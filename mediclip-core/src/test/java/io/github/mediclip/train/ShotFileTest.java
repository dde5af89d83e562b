package io.github.mediclip.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shot files: one path per line, relative to the dataset folder, read back to the same paths. */
class ShotFileTest {

  @TempDir Path tmp;

  @Test
  void roundTripWritesRelativePathsAndReadsThemBack() throws Exception {
    Path data = tmp.resolve("data");
    List<Path> shots =
        List.of(
            data.resolve("train/good/b.png"),
            data.resolve("train/good/a.png"),
            tmp.resolve("elsewhere/c.png"));
    Path file = tmp.resolve("out/k3_seed1.txt");
    ShotFile.write(file, data, shots);
    assertThat(Files.readAllLines(file))
        .containsExactly(
            "train/good/b.png", "train/good/a.png", tmp.resolve("elsewhere/c.png").toString());
    assertThat(ShotFile.read(file, data)).containsExactlyElementsOf(shots);
    try (var s = Files.list(file.getParent())) {
      assertThat(s.count()).isEqualTo(1); // no temporary file left
    }
  }

  @Test
  void blankLinesAndCommentsAreSkippedAndMistakesNamed() throws Exception {
    Path file = tmp.resolve("shots.txt");
    Files.writeString(file, "# MVFA brain k=2\n\nx/1.png\r\nx/2.png\n");
    assertThat(ShotFile.read(file, tmp))
        .containsExactly(tmp.resolve("x/1.png"), tmp.resolve("x/2.png"));
    Files.writeString(file, "x/1.png\nx/./1.png\n");
    assertThatThrownBy(() -> ShotFile.read(file, tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Shot file " + file + " line 2: x/./1.png is listed twice; each shot must appear once");
    Files.writeString(file, "# nothing\n");
    assertThatThrownBy(() -> ShotFile.read(file, tmp))
        .hasMessage("Shot file " + file + " lists no image; write one image path per line");
    assertThatThrownBy(() -> ShotFile.read(tmp.resolve("missing.txt"), tmp))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageStartingWith("Cannot read shot file " + tmp.resolve("missing.txt"));
  }
}
