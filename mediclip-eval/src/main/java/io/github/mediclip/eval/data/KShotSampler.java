package io.github.mediclip.eval.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Seeded k-shot sampling of normal training images.
 *
 * <p>The pool is first put in a canonical order (by path), then a partial Fisher-Yates shuffle driven by a
 * {@link SplittableRandom} created from the seed picks k samples, so the result depends only on the pool's
 * content, k and the seed.
 */
public final class KShotSampler {

  private KShotSampler() {}

  /**
   * Draws k samples without replacement.
   *
   * @param pool the candidates, usually {@link Dataset#train()}
   * @param k how many, 1 to {@code pool.size()}
   * @param seed the seed
   * @return k distinct samples in the order drawn
   */
  public static List<Sample> sample(List<Sample> pool, int k, long seed) {
    Objects.requireNonNull(pool, "pool");
    if (k < 1 || k > pool.size()) {
      throw new IllegalArgumentException("k is " + k + " but the pool has " + pool.size() + " images; k must be in"
          + " [1, " + pool.size() + "]");
    }
    List<Sample> sorted = new ArrayList<>(pool);
    sorted.sort(Comparator.comparing(s -> s.image().toString()));
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(sorted.size() - i);
      Sample t = sorted.get(i);
      sorted.set(i, sorted.get(j));
      sorted.set(j, t);
    }
    return List.copyOf(sorted.subList(0, k));
  }

  /**
   * Writes the chosen files, one path per line relative to {@code root} (when inside it), for provenance.
   *
   * @param file the text file to write (atomically)
   * @param root the dataset folder
   * @param shots the samples
   */
  public static void writeList(Path file, Path root, List<Sample> shots) {
    String text = shots.stream()
        .map(s -> s.image().startsWith(root) ? root.relativize(s.image()).toString() : s.image().toString())
        .map(p -> p.replace('\\', '/'))
        .collect(Collectors.joining("\n", "", "\n"));
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
