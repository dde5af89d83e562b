package io.github.mediclip;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * How the slice scores of a volume become one volume score: the maximum ({@code "max"}) or the mean
 * of the k highest slice scores ({@code "top-k-mean:K"}). The spec string is recorded in every
 * {@link VolumePrediction}, so a reported volume score always says how it was made.
 */
public final class VolumeScoring {

  private final int k;

  private VolumeScoring(int k) {
    this.k = k;
  }

  /**
   * The maximum slice score (the default).
   *
   * @return the scoring {@code "max"}
   */
  public static VolumeScoring max() {
    return new VolumeScoring(1);
  }

  /**
   * The mean of the k highest slice scores (all slices when the volume has fewer than k).
   *
   * @param k number of slices, at least 1
   * @return the scoring {@code "top-k-mean:K"} ({@code "max"} when k is 1)
   * @throws IllegalArgumentException if k &lt; 1
   */
  public static VolumeScoring topKMean(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, but was " + k);
    }
    return new VolumeScoring(k);
  }

  /**
   * Parses {@code "max"} or {@code "top-k-mean:K"}.
   *
   * @param spec the string
   * @return the scoring
   * @throws IllegalArgumentException if the string is neither form
   */
  public static VolumeScoring parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("max")) {
      return max();
    }
    if (s.startsWith("top-k-mean:")) {
      try {
        return topKMean(Integer.parseInt(s.substring(11).trim()));
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new IllegalArgumentException(
        "volume scoring '" + spec + "' not understood; use max or top-k-mean:K (K >= 1)");
  }

  /**
   * Returns k (1 for {@link #max()}).
   *
   * @return the number of top slices averaged
   */
  public int k() {
    return k;
  }

  /**
   * Returns the canonical string, which {@link #parse(String)} reads back.
   *
   * @return {@code "max"} or {@code "top-k-mean:K"}
   */
  public String spec() {
    return k == 1 ? "max" : "top-k-mean:" + k;
  }

  /**
   * Combines slice scores.
   *
   * @param sliceScores one score per slice, at least one
   * @return the volume score
   * @throws IllegalArgumentException if there is no score
   */
  public double score(double[] sliceScores) {
    if (sliceScores.length == 0) {
      throw new IllegalArgumentException("a volume needs at least one slice score");
    }
    double[] sorted = sliceScores.clone();
    Arrays.sort(sorted);
    int n = Math.min(k, sorted.length);
    double sum = 0;
    for (int i = sorted.length - n; i < sorted.length; i++) {
      sum += sorted[i];
    }
    return sum / n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VolumeScoring v && v.k == k;
  }

  @Override
  public int hashCode() {
    return k;
  }

  @Override
  public String toString() {
    return spec();
  }
}
