package io.github.mediclip.synth;

import static com.google.common.base.Preconditions.checkArgument;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Throughput and mask statistics of a synthesizer, as printed by the benchmark and the CLI's {@code
 * synth-stats} command: images per second on the calling thread, and the 10th / 50th / 90th
 * percentile of the mask area (the mean of the soft mask) plus the share of empty masks.
 *
 * <p>Sample i uses image {@code images.get(i % images.size())}, the other images as support, and
 * the i-th {@link SplittableRandom#split()} of {@code new SplittableRandom(seed)}; the figures
 * other than throughput are therefore deterministic per seed.
 */
public final class SynthesisStats {

  private SynthesisStats() {}

  /**
   * Result of {@link #measure}.
   *
   * @param samples number of synthesized samples
   * @param seconds wall time spent in {@code synthesize} (single thread)
   * @param imagesPerSecond samples / seconds
   * @param cpuSeconds CPU time of the calling thread spent in {@code synthesize} (less sensitive to
   *     other load on the machine than wall time); equals {@code seconds} where the JVM cannot
   *     measure thread CPU time
   * @param cpuImagesPerSecond samples / cpuSeconds
   * @param p10 10th percentile of the mask area fraction (numpy's linear interpolation)
   * @param p50 median mask area fraction
   * @param p90 90th percentile of the mask area fraction
   * @param meanArea mean mask area fraction
   * @param emptyShare share of samples whose mask is all zero, 0..1
   * @param width image width
   * @param height image height
   */
  public record Stats(
      int samples,
      double seconds,
      double imagesPerSecond,
      double cpuSeconds,
      double cpuImagesPerSecond,
      double p10,
      double p50,
      double p90,
      double meanArea,
      double emptyShare,
      int width,
      int height) {

    /**
     * @return a one-line JSON object with the fields of this record ({@code Locale.ROOT} numbers)
     */
    public String toJson() {
      return String.format(
          Locale.ROOT,
          "{\"samples\":%d,\"seconds\":%.6f,\"imagesPerSecond\":%.3f,\"cpuSeconds\":%.6f,"
              + "\"cpuImagesPerSecond\":%.3f,\"p10\":%.5f,\"p50\":%.5f,"
              + "\"p90\":%.5f,\"meanArea\":%.5f,\"emptyShare\":%.5f,\"width\":%d,\"height\":%d}",
          samples,
          seconds,
          imagesPerSecond,
          cpuSeconds,
          cpuImagesPerSecond,
          p10,
          p50,
          p90,
          meanArea,
          emptyShare,
          width,
          height);
    }
  }

  /**
   * Synthesizes {@code samples} samples on the calling thread and summarizes them.
   *
   * @param synthesizer the synthesizer (e.g. {@code Synthesizers.create("CutpasteTask")})
   * @param images the normal images, at least one, all of one size
   * @param samples number of samples, at least 1
   * @param seed seed of the random streams
   * @return the statistics
   * @throws IllegalArgumentException if {@code images} is empty or {@code samples < 1}
   */
  public static Stats measure(
      AnomalySynthesizer synthesizer, List<GrayImage> images, int samples, long seed) {
    Objects.requireNonNull(synthesizer, "synthesizer");
    Objects.requireNonNull(images, "images");
    checkArgument(!images.isEmpty(), "images must not be empty");
    checkArgument(samples >= 1, "samples must be at least 1, but was %s", samples);
    int n = images.size();
    List<List<GrayImage>> supports = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<GrayImage> others = new ArrayList<>(images);
      others.remove(i);
      supports.add(List.copyOf(others));
    }
    SplittableRandom root = new SplittableRandom(seed);
    double[] areas = new double[samples];
    int empty = 0;
    long nanos = 0;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    boolean cpu = mx.isCurrentThreadCpuTimeSupported();
    if (cpu && !mx.isThreadCpuTimeEnabled()) {
      try {
        mx.setThreadCpuTimeEnabled(true);
      } catch (UnsupportedOperationException | SecurityException e) {
        cpu = false;
      }
    }
    long cpuNanos = 0;
    for (int i = 0; i < samples; i++) {
      SplittableRandom r = root.split();
      GrayImage img = images.get(i % n);
      long c0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
      long t0 = System.nanoTime();
      SynthesizedSample s = synthesizer.synthesize(img, r, supports.get(i % n));
      nanos += System.nanoTime() - t0;
      cpuNanos += cpu ? mx.getCurrentThreadCpuTime() - c0 : 0;
      double area = s.mask().mean();
      areas[i] = area;
      if (s.mask().max() <= 0f) {
        empty++;
      }
    }
    double seconds = nanos / 1e9;
    double cpuSeconds = cpu ? cpuNanos / 1e9 : seconds;
    double mean = Arrays.stream(areas).average().orElse(0);
    double[] sorted = areas.clone();
    Arrays.sort(sorted);
    return new Stats(
        samples,
        seconds,
        samples / Math.max(seconds, 1e-12),
        cpuSeconds,
        samples / Math.max(cpuSeconds, 1e-12),
        percentile(sorted, 10),
        percentile(sorted, 50),
        percentile(sorted, 90),
        mean,
        (double) empty / samples,
        images.get(0).width(),
        images.get(0).height());
  }

  /** numpy's default (linear) percentile of sorted values. */
  static double percentile(double[] sorted, double q) {
    double pos = q / 100.0 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
