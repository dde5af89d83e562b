package io.github.mediclip.train;

import io.github.mediclip.internal.train.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The one seeded k-shot draw of the library, used by the trainer, {@code MediClip.fit}, the {@code
 * train} and {@code sweep} commands and {@code KShotSweep}: the same (pool, k, seed) gives the same
 * shots everywhere.
 *
 * <p>A pool of files is first put in path order ({@link #inPathOrder}: absolute, normalised paths
 * compared as strings), so the draw does not depend on how the files were listed ({@code
 * Files.list} order differs between file systems); {@code MediClip.fit} does this when every
 * element is a file, and {@code KShotSweep} always. Other pools (in-memory images) are taken in the
 * order given. When {@code 0 < k < n}, the indices {@code 0..n-1} are shuffled by a Fisher–Yates
 * pass (from the last index down) driven by a {@link SplittableRandom} seeded from {@code seed};
 * the first k indices of the permutation are the shots, in that order, and the remaining ones
 * follow (they are the held-out normals when hold-out validation is asked for). When {@code k == 0}
 * or {@code k == n}, the permutation is the identity: every image is a shot, in the order given.
 *
 * <p>The chosen shots can be written as a shot file ({@link ShotFile}) and given back with {@code
 * optShots(List<Path>)} or {@code --shots FILE}, so that a published run can be repeated exactly.
 */
public final class KShotSampler {

  private KShotSampler() {}

  /**
   * The permutation of the pool: its first k entries are the shots.
   *
   * @param poolSize n, the number of candidate images, at least 1
   * @param k the number of shots, 0 (all) to n
   * @param seed the seed
   * @return a permutation of {@code 0..n-1}; the identity when {@code k == 0} or {@code k == n}
   * @throws IllegalArgumentException when n &lt; 1 or k is outside [0, n]
   */
  public static int[] order(int poolSize, int k, long seed) {
    if (poolSize < 1) {
      throw new IllegalArgumentException(
          "the pool is empty; give at least one normal image to draw shots from");
    }
    if (k < 0 || k > poolSize) {
      throw new IllegalArgumentException(
          "shots (k = "
              + k
              + ") must be in [0, "
              + poolSize
              + "]: the pool has "
              + poolSize
              + " normal images (0 = use all)");
    }
    int[] order = new int[poolSize];
    for (int i = 0; i < poolSize; i++) {
      order[i] = i;
    }
    if (k > 0 && k < poolSize) {
      SplittableRandom r = new SplittableRandom(Seeds.mix(seed, Seeds.SHOTS_STREAM, 0));
      for (int i = poolSize - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /**
   * Puts a pool of files into the canonical order used for drawing shots: by absolute, normalised
   * path, compared as strings (independent of locale and of the order the files were listed in).
   *
   * @param pool the candidates
   * @param path the file of a candidate
   * @param <T> the element type
   * @return a new list in path order
   */
  public static <T> List<T> inPathOrder(List<T> pool, Function<? super T, Path> path) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(path, "path");
    List<T> sorted = new ArrayList<>(pool);
    sorted.sort(Comparator.comparing(t -> path.apply(t).toAbsolutePath().normalize().toString()));
    return sorted;
  }

  /**
   * Draws k shots from a pool.
   *
   * @param pool the candidates, in their canonical order
   * @param k the number of shots, 0 (all) to {@code pool.size()}
   * @param seed the seed
   * @param <T> the element type (a path, an image, a labelled sample, ...)
   * @return the k shots in the order drawn
   * @throws IllegalArgumentException when the pool is empty or k is outside [0, pool size]
   */
  public static <T> List<T> sample(List<T> pool, int k, long seed) {
    return split(pool, k, seed).shots();
  }

  /**
   * Draws k shots from a pool and returns the rest too.
   *
   * @param pool the candidates, in their canonical order
   * @param k the number of shots, 0 (all) to {@code pool.size()}
   * @param seed the seed
   * @param <T> the element type
   * @return the shots in the order drawn and the other images in permutation order
   * @throws IllegalArgumentException when the pool is empty or k is outside [0, pool size]
   */
  public static <T> Split<T> split(List<T> pool, int k, long seed) {
    Objects.requireNonNull(pool, "pool");
    int[] order = order(pool.size(), k, seed);
    int n = k == 0 ? pool.size() : k;
    List<T> shots = new ArrayList<>(n);
    List<T> rest = new ArrayList<>(pool.size() - n);
    for (int i = 0; i < order.length; i++) {
      (i < n ? shots : rest).add(pool.get(order[i]));
    }
    return new Split<>(shots, rest);
  }

  /**
   * A pool split into shots and the other images.
   *
   * @param shots the k shots, in the order drawn
   * @param rest the other images of the pool, in permutation order
   * @param <T> the element type
   */
  public record Split<T>(List<T> shots, List<T> rest) {
    /**
     * Copies the lists.
     *
     * @param shots the k shots, in the order drawn
     * @param rest the other images of the pool, in permutation order
     */
    public Split {
      shots = List.copyOf(shots);
      rest = List.copyOf(rest);
    }
  }
}
