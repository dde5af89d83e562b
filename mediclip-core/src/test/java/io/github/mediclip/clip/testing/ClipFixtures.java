package io.github.mediclip.clip.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.mediclip.clip.ClipTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared parity fixtures; skips (or fails under CI=true) when they are absent. Shipped
 * in core's test-jar and reused by mediclip-examples' parity tests (a package of its own, so that
 * it does not split {@code io.github.mediclip.clip} on the examples' test compile).
 */
public final class ClipFixtures {

  private ClipFixtures() {}

  /**
   * The fixture folder for parity tests: system property {@code mediclip.parity.dir}, else {@code
   * <mediclip.shared.dir>/parity/tiny-clip-64}. Missing: skipped, or failed under CI=true.
   */
  public static Path parityDir() {
    return locate(true);
  }

  /**
   * The fixture folder for tests that merely use it as data: skipped when missing, even under CI.
   */
  public static Path fixtureDataOrSkip() {
    return locate(false);
  }

  private static Path locate(boolean parity) {
    String explicit = System.getProperty("mediclip.parity.dir");
    Path dir;
    if (explicit != null && !explicit.isBlank()) {
      dir = Path.of(explicit);
    } else {
      dir = sharedDir().resolve("parity").resolve("tiny-clip-64");
    }
    require(
        Files.isRegularFile(dir.resolve("meta.json")),
        "parity fixture not found at "
            + dir.toAbsolutePath()
            + " (set -Dmediclip.parity.dir or -Dmediclip.shared.dir)",
        parity);
    return dir;
  }

  /**
   * The BPE vocabulary file next to the fixtures ({@code
   * <shared>/parity/bpe_simple_vocab_16e6.txt.gz}).
   */
  public static Path bpeFile(Path fixtureDir) {
    Path p = fixtureDir.getParent().resolve(ClipTokenizer.BPE_FILE);
    if (!Files.isRegularFile(p)) {
      p = sharedDir().resolve("parity").resolve(ClipTokenizer.BPE_FILE);
    }
    require(Files.isRegularFile(p), "BPE vocabulary not found at " + p.toAbsolutePath(), true);
    return p;
  }

  private static Path sharedDir() {
    String shared = System.getProperty("mediclip.shared.dir");
    return shared == null || shared.isBlank() ? Path.of("..", "shared") : Path.of(shared);
  }

  private static void require(boolean ok, String message, boolean failUnderCi) {
    if (!ok) {
      if (failUnderCi && "true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " -- required under CI=true");
      }
      Assumptions.assumeTrue(false, "SKIPPED: " + message);
    }
  }
}
