package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.train.KShotSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, strict k-shot through the command line: {@code train --k K --seed S} and {@code sweep
 * --k K --seeds S} read no normal training image besides their k shots, and draw the same shots as
 * {@link KShotSampler}. The pool holds the shots as real images and every other file as garbage
 * bytes: had a command opened one, it would have reported it (or dropped it from the pool, which
 * changes the draw).
 */
class KShotCliTest {
  @TempDir static Path tmp;

  private static final int K = 2;
  private static final long SEED = 7;
  private static final int POOL = 12;

  private static Path demo;
  private static Path backbone;

  @BeforeAll
  static void demo() {
    demo = tmp.resolve("demo");
    CliTestSupport.Result r =
        CliTestSupport.run(
            "demo",
            "--out",
            demo.toString(),
            "--size",
            "48",
            "--k",
            "4",
            "--held-out",
            "2",
            "--test",
            "3",
            "--epochs",
            "1",
            "--seed",
            "5");
    assertThat(r.exitCode()).as(r.err()).isZero();
    backbone = demo.resolve("backbone");
  }

  /** The pool's files in the order listed (pool-00.png ...), none written yet. */
  private static List<Path> poolFiles(Path data) {
    List<Path> pool = new ArrayList<>();
    for (int i = 0; i < POOL; i++) {
      pool.add(data.resolve("train/normal").resolve(String.format("pool-%02d.png", i)));
    }
    return pool;
  }

  /**
   * A copy of the demo data whose training pool is {@link #poolFiles}: the given shots hold real
   * images (copied from the demo's normals), every other file garbage bytes.
   */
  private static Path dataWithShots(String name, List<Path> realOnes) throws IOException {
    Path data = tmp.resolve(name);
    Path src = demo.resolve("data");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path p : files.toList()) {
        Path target = data.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!src.relativize(p).startsWith("train")) {
          Files.copy(p, target);
        }
      }
    }
    List<Path> normals;
    try (Stream<Path> s = Files.list(src.resolve("train/normal"))) {
      normals = s.sorted().toList();
    }
    assertThat(normals).isNotEmpty();
    int next = 0;
    for (Path p : poolFiles(data)) {
      Path rel = data.relativize(p);
      if (realOnes.stream().anyMatch(r -> r.endsWith(rel))) {
        Files.copy(normals.get(next++ % normals.size()), p);
      } else {
        Files.writeString(p, "garbage, not an image: " + p.getFileName());
      }
    }
    return data;
  }

  /** The shots KShotSampler draws from the pool of {@code data}. */
  private static List<Path> expectedShots(Path data, int k, long seed) {
    return KShotSampler.sample(KShotSampler.inPathOrder(poolFiles(data), p -> p), k, seed);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(e -> out.add(e.getAsString()));
    return out;
  }

  private static void assertNoGarbageReported(Path data, List<Path> shots, String err) {
    for (Path p : poolFiles(data)) {
      if (!shots.contains(p)) {
        assertThat(err)
            .as("pool file %s must not have been opened", p)
            .doesNotContain(p.getFileName().toString());
      }
    }
  }

  @Test
  void trainAndSweepReadOnlyTheirShotsAndDrawTheSameOnes() throws IOException {
    Path probe = tmp.resolve("probe");
    List<Path> shots0 = expectedShots(probe, K, SEED);
    Path data = dataWithShots("strict-data", shots0.stream().map(probe::relativize).toList());
    List<Path> shots = expectedShots(data, K, SEED);
    List<String> rel = TrainCommand.relative(data, shots);
    assertThat(rel).hasSize(K).allMatch(s -> s.startsWith("train/normal/pool-"));

    CliTestSupport.Result train =
        CliTestSupport.run(
            "train",
            "--data",
            data.toString(),
            "--backbone",
            backbone.toString(),
            "--k",
            Integer.toString(K),
            "--seed",
            Long.toString(SEED),
            "--epochs",
            "1",
            "--out",
            tmp.resolve("bundle").toString());
    assertThat(train.exitCode()).as(train.err()).isZero();
    JsonObject t = JsonParser.parseString(train.lastLine()).getAsJsonObject();
    assertThat(strings(t.getAsJsonArray("shots"))).isEqualTo(rel);
    assertThat(t.get("normals_seen").getAsInt()).isEqualTo(K);
    assertThat(t.get("train_pool").getAsInt()).isEqualTo(POOL);
    assertThat(t.get("skipped_files").getAsInt()).isZero();
    assertThat(Files.readAllLines(tmp.resolve("bundle.shots.txt"))).isEqualTo(rel);
    assertNoGarbageReported(data, shots, train.err());

    CliTestSupport.Result sweep =
        CliTestSupport.run(
            "sweep",
            "--data",
            data.toString(),
            "--backbone",
            backbone.toString(),
            "--k",
            Integer.toString(K),
            "--seeds",
            Long.toString(SEED),
            "--epochs",
            "1",
            "--out",
            tmp.resolve("sweep").toString());
    assertThat(sweep.exitCode()).as(sweep.err()).isZero();
    JsonObject run =
        JsonParser.parseString(sweep.out().strip().lines().findFirst().orElseThrow())
            .getAsJsonObject();
    assertThat(strings(run.getAsJsonArray("shots"))).isEqualTo(rel);
    assertThat(run.get("normals_seen").getAsInt()).isEqualTo(K);
    assertThat(run.get("k").getAsInt()).isEqualTo(K);
    assertNoGarbageReported(data, shots, sweep.err());
  }

  @Test
  void aDrawnShotThatDoesNotDecodeFailsNamingItAndIsNotReplaced() throws IOException {
    Path probe = tmp.resolve("probe");
    List<Path> shots0 = expectedShots(probe, K, SEED);
    // only the first shot is real: the second one drawn is garbage
    Path data = dataWithShots("bad-shot-data", List.of(probe.relativize(shots0.get(0))));
    Path bad = expectedShots(data, K, SEED).get(1);
    Path out = tmp.resolve("never-written");
    CliTestSupport.Result train =
        CliTestSupport.run(
            "train",
            "--data",
            data.toString(),
            "--backbone",
            backbone.toString(),
            "--k",
            Integer.toString(K),
            "--seed",
            Long.toString(SEED),
            "--epochs",
            "1",
            "--out",
            out.toString());
    assertThat(train.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(train.err())
        .contains(
            "mediclip: problem: shot "
                + bad
                + " (drawn for --k "
                + K
                + " --seed "
                + SEED
                + ") cannot be decoded: ");
    assertThat(train.err())
        .contains(
            "mediclip: shot "
                + bad
                + " cannot be decoded; a k-shot run reads only its"
                + " shots and never replaces one by another draw")
        .contains("--shots FILE");
    assertThat(train.out()).isEmpty();
    CliTestSupport.Result sweep =
        CliTestSupport.run(
            "sweep",
            "--data",
            data.toString(),
            "--backbone",
            backbone.toString(),
            "--k",
            Integer.toString(K),
            "--seeds",
            Long.toString(SEED),
            "--epochs",
            "1",
            "--out",
            tmp.resolve("sweep-never").toString());
    assertThat(sweep.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(sweep.err()).contains("mediclip: shot " + bad + " cannot be decoded");
    assertThat(tmp.resolve("sweep-never")).doesNotExist();
  }
}
