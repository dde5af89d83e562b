package io.github.mediclip.internal.train;

import io.github.mediclip.MediClipException;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesizedSample;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounded, ordered producer of synthesized samples. Sample (epoch, position) is a pure function of
 * the seed, the epoch and the shot index, so the output does not depend on the number of threads;
 * samples are requested in order and prepared up to {@code lookahead} positions ahead.
 */
final class SampleProducer implements AutoCloseable {

  /** A prepared training sample: (3, S, S) normalised image and (S, S) mask. */
  record Sample(float[] chw, float[] mask) {}

  private static final long EPOCH_STREAM = FewShotTrainer.EPOCH_STREAM;
  private static final long SHUFFLE_STREAM = FewShotTrainer.SHUFFLE_STREAM;

  private final List<GrayImage> shots;
  private final List<List<GrayImage>> supports;
  private final AnomalySynthesizer synth;
  private final int size;
  private final long seed;
  private final ExecutorService pool;
  private final int lookahead;
  private final int epochs;
  private final ArrayDeque<Future<Sample>> queue = new ArrayDeque<>();
  private int nextEpoch = 1;
  private int nextPos = 0;
  private int[] nextPerm;

  SampleProducer(
      List<GrayImage> shots,
      List<List<GrayImage>> supports,
      AnomalySynthesizer synth,
      int size,
      long seed,
      int workers,
      int epochs,
      int batchSize) {
    this.shots = shots;
    this.supports = supports;
    this.synth = synth;
    this.size = size;
    this.seed = seed;
    AtomicInteger count = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "mediclip-synth-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.pool = Executors.newFixedThreadPool(workers, tf);
    this.lookahead = Math.max(2 * batchSize, 2 * workers);
    this.epochs = epochs;
  }

  /** Returns the sample of (epoch, position); requests must come in order. */
  Sample get(int epoch, int position, int shotIndex) throws InterruptedException {
    fill();
    Future<Sample> f = queue.pollFirst();
    try {
      Sample s = f.get();
      fill();
      return s;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new MediClipException("Anomaly synthesis failed: " + c, c);
    } catch (CancellationException e) {
      throw new InterruptedException("synthesis cancelled");
    }
  }

  private void fill() {
    while (queue.size() < lookahead && nextEpoch <= epochs) {
      if (nextPerm == null) {
        nextPerm =
            FewShotTrainer.permutation(shots.size(), Seeds.mix(seed, SHUFFLE_STREAM, nextEpoch));
      }
      final int epoch = nextEpoch;
      final int shot = nextPerm[nextPos];
      final long sampleSeed = Seeds.mix(seed, EPOCH_STREAM, (long) epoch * 1_000_003L + nextPos);
      queue.addLast(CompletableFuture.supplyAsync(() -> make(shot, sampleSeed), pool));
      nextPos++;
      if (nextPos == shots.size()) {
        nextPos = 0;
        nextEpoch++;
        nextPerm = null;
      }
    }
  }

  private Sample make(int shot, long sampleSeed) {
    GrayImage normal = shots.get(shot);
    SynthesizedSample s =
        synth.synthesize(normal, new SplittableRandom(sampleSeed), supports.get(shot));
    GrayImage img = GrayTensors.toSize(s.image(), size);
    GrayImage mask = GrayTensors.maskToSize(s.mask(), size);
    float[] chw = new float[3 * size * size];
    GrayTensors.writeChw(img, chw, 0);
    return new Sample(chw, mask.toArray());
  }

  @Override
  public void close() {
    for (Future<Sample> f : queue) {
      f.cancel(true);
    }
    pool.shutdownNow();
  }
}
