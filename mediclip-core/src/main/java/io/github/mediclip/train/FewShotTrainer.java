package io.github.mediclip.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.mediclip.MediClipException;
import io.github.mediclip.OperatingPoint;
import io.github.mediclip.ThresholdPolicy;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.SafetensorsWriter;
import io.github.mediclip.model.AdamOptimizer;
import io.github.mediclip.model.Losses;
import io.github.mediclip.model.MediClipHeads;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesizedSample;
import io.github.mediclip.synth.ValidatingSynthesizer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
 * Few-shot training of the MediCLIP heads (MediCLIP, MICCAI 2024, arXiv 2405.11315, §2.3): the CLIP
 * backbone stays frozen; the adapters and the prompt context are trained with focal + dice loss on
 * anomalies synthesized from k normal images.
 *
 * <p>What one {@link #train} call does:
 *
 * <ol>
 *   <li>k-shot sampling: when {@link TrainingConfig#shots()} is below the number of normal images, k of
 *       them are drawn with the seed; the rest are held out for validation.
 *   <li>Validation data: the user's (when given); otherwise a fixed, seeded set of synthesized
 *       anomalies (at least {@link TrainingConfig#validationAnomalies()}) plus the normal images, built
 *       on the held-out normals, or on the k shots themselves with other seeds when none is held out.
 *   <li>Each epoch: one synthesized sample per shot (shuffled per epoch), batches of {@link
 *       TrainingConfig#batchSize()}; loss = focal + dice; Adam. Synthesis runs on {@link
 *       TrainingConfig#effectiveWorkers()} threads ahead of the model; each sample is a pure function of
 *       (seed, epoch, index), consumed in order, so results do not depend on the thread count.
 *   <li>After each epoch (and once before training, as epoch 0), validation: image AUROC, or the mean of
 *       image and pixel AUROC when masks exist. The best heads are kept (in memory, and in {@link
 *       TrainingConfig#checkpointDir()} when set). Early stop after {@link TrainingConfig#patience()}
 *       epochs without improvement.
 *   <li>Stop early, keeping the best state, on {@link Thread#interrupt()} or when a listener returns
 *       {@code false}. The interrupt status is preserved.
 *   <li>The heads are set to the best state, and the operating point is chosen on the validation
 *       outputs of the best heads.
 * </ol>
 *
 * <p>Tensor shapes: training batch images (B, 3, S, S) normalised, masks (B, S, S) in [0, 1]; the
 * heads' anomaly map (B, 2, S, S) (softmax, channel 1 = anomaly), image scores (B).
 *
 * <p>Not thread-safe; one trainer runs one training at a time (DJL's PyTorch engine allows only one
 * gradient collector per JVM at a time).
 */
public final class FewShotTrainer {

  private static final long EPOCH_STREAM = 0x5EED_0001L;
  private static final long VALIDATION_STREAM = 0x5EED_0002L;
  private static final long SHOTS_STREAM = 0x5EED_0003L;
  private static final long SHUFFLE_STREAM = 0x5EED_0004L;

  private final TrainingConfig config;
  private final TrainingListener listener;

  /**
   * Creates a trainer.
   *
   * @param config the settings
   * @param listener progress events ({@link TrainingListener#silent()} for none)
   */
  public FewShotTrainer(TrainingConfig config, TrainingListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Returns the settings.
   *
   * @return the settings
   */
  public TrainingConfig config() {
    return config;
  }

  /**
   * Trains {@code heads} in place and returns what happened. On return the heads hold the best state.
   *
   * @param clip the frozen backbone (its image size S is used for all inputs)
   * @param heads the heads to train (their parameters require gradients)
   * @param normals the normal images (any size; resized to S×S); k of them are used, see {@link
   *     TrainingConfig#shots()}
   * @param validation the user's validation data, or {@code null}/empty for synthesized validation
   * @param validationSource name recorded in the summary for user data ({@code "user"} or {@code
   *     "legacy-test-set"}); ignored when {@code validation} is empty
   * @return the summary, operating point and provenance
   * @throws IllegalArgumentException when {@code normals} is empty or k exceeds it
   */
  public TrainingResult train(
      ClipModel clip,
      MediClipHeads heads,
      List<LabeledImage> normals,
      List<LabeledImage> validation,
      String validationSource) {
    Objects.requireNonNull(clip, "clip");
    Objects.requireNonNull(heads, "heads");
    Objects.requireNonNull(normals, "normals");
    if (normals.isEmpty()) {
      throw new IllegalArgumentException("normals must not be empty: give at least one normal image");
    }
    if (config.shots() > normals.size()) {
      throw new IllegalArgumentException(
          "shots (k = " + config.shots() + ") exceeds the number of normal images given ("
              + normals.size() + ")");
    }
    int size = clip.config().vision().imageSize();
    long start = System.nanoTime();

    // 1. k-shot sampling.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < normals.size(); i++) {
      order.add(i);
    }
    int k = config.shots() == 0 ? normals.size() : config.shots();
    if (k < normals.size()) {
      SplittableRandom r = new SplittableRandom(mix(config.seed(), SHOTS_STREAM, 0));
      for (int i = order.size() - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        Integer t = order.get(i);
        order.set(i, order.get(j));
        order.set(j, t);
      }
    }
    List<GrayImage> shots = new ArrayList<>();
    List<String> shotIds = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      LabeledImage li = normals.get(order.get(i));
      shots.add(GrayTensors.toSize(li.image(), size));
      shotIds.add(li.id());
    }
    List<GrayImage> heldOut = new ArrayList<>();
    for (int i = k; i < normals.size(); i++) {
      heldOut.add(GrayTensors.toSize(normals.get(order.get(i)).image(), size));
    }
    String fingerprint = fingerprint(shotIds, shots);

    AnomalySynthesizer synth = ValidatingSynthesizer.wrap(config.synthesis());
    List<List<GrayImage>> supports = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      List<GrayImage> s = new ArrayList<>(shots);
      s.remove(i);
      if (s.isEmpty()) {
        s.add(shots.get(i)); // k = 1: CutPaste takes its patch from the image itself
      }
      supports.add(List.copyOf(s));
    }

    // 2. Validation data.
    String source;
    ValidationData val;
    if (validation != null && !validation.isEmpty()) {
      source = validationSource == null ? "user" : validationSource;
      val = ValidationData.fromUser(validation, size);
    } else if (!heldOut.isEmpty()) {
      source = "synthesized-holdout";
      val = ValidationData.synthesize(heldOut, shots, synth, config.validationAnomalies(),
          mix(config.seed(), VALIDATION_STREAM, 0));
    } else {
      source = "synthesized-shots";
      val = ValidationData.synthesize(shots, shots, synth, config.validationAnomalies(),
          mix(config.seed(), VALIDATION_STREAM, 1));
    }
    String selectionName = val.hasMasks() ? "mean_image_pixel_auroc" : "image_auroc";

    int batch = config.batchSize();
    int stepsPerEpoch = (k + batch - 1) / batch;
    Map<String, NDArray> params = heads.parameters();
    List<Double> epochLosses = new ArrayList<>();
    List<Double> epochMetrics = new ArrayList<>();
    String stopReason = "";
    int epochsRun = 0;
    int bestEpoch = 0;
    double lastLoss = Double.NaN;

    listener.onTrainingStart(config.epochs(), stepsPerEpoch);
    try (NDManager manager = NDManager.newBaseManager(clip.device(), "PyTorch");
        AdamOptimizer optimizer =
            new AdamOptimizer(
                config.learningRate(),
                AdamOptimizer.DEFAULT_BETA1,
                AdamOptimizer.DEFAULT_BETA2,
                AdamOptimizer.DEFAULT_EPSILON);
        SampleProducer producer =
            new SampleProducer(shots, supports, synth, size, config.seed(), config.effectiveWorkers());
        FeatureCache cache = new FeatureCache(manager)) {

      Evaluation initial = evaluate(clip, heads, val, cache);
      double best = selectionValue(initial, Double.NaN);
      Evaluation bestEval = initial;
      Map<String, float[]> bestState = snapshot(params);
      writeCheckpoint(params, 0, best);

      outer:
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        listener.onEpochStart(epoch);
        int[] perm = permutation(k, mix(config.seed(), SHUFFLE_STREAM, epoch));
        double lossSum = 0;
        int lossCount = 0;
        for (int step = 0; step < stepsPerEpoch; step++) {
          if (Thread.currentThread().isInterrupted()) {
            stopReason = "interrupted";
            break outer;
          }
          int from = step * batch;
          int to = Math.min(k, from + batch);
          int b = to - from;
          float[] images = new float[b * 3 * size * size];
          float[] masks = new float[b * size * size];
          try {
            for (int j = 0; j < b; j++) {
              Sample s = producer.get(epoch, from + j, perm[from + j]);
              System.arraycopy(s.chw, 0, images, j * 3 * size * size, s.chw.length);
              System.arraycopy(s.mask, 0, masks, j * size * size, s.mask.length);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopReason = "interrupted";
            break outer;
          }
          double loss = step(clip, heads, optimizer, params, manager, images, masks, b, size);
          lossSum += loss * b;
          lossCount += b;
          if (!listener.onStep(epoch, step + 1, loss)) {
            stopReason = "listener";
            epochLosses.add(lossSum / lossCount);
            break outer;
          }
        }
        epochsRun = epoch;
        lastLoss = lossSum / Math.max(1, lossCount);
        epochLosses.add(lastLoss);

        Evaluation ev = evaluate(clip, heads, val, cache);
        double metric = selectionValue(ev, lastLoss);
        epochMetrics.add(metric);
        if (metric > best || Double.isNaN(best)) {
          best = metric;
          bestEpoch = epoch;
          bestEval = ev;
          bestState = snapshot(params);
          writeCheckpoint(params, epoch, metric);
        }
        Map<String, Double> m = new LinkedHashMap<>(ev.metrics());
        m.put("selection", metric);
        m.put("best", best);
        if (!listener.onEpochEnd(epoch, lastLoss, m)) {
          stopReason = "listener";
          break;
        }
        if (config.patience() > 0 && epoch - bestEpoch >= config.patience()) {
          stopReason = "early-stop";
          break;
        }
      }

      restore(heads, bestState, manager);
      OperatingPoint op = operatingPoint(bestEval, val, config.thresholdPolicy(), source);
      double seconds = (System.nanoTime() - start) / 1e9;
      TrainingSummary summary =
          new TrainingSummary(
              epochsRun,
              bestEpoch,
              best,
              selectionName,
              source,
              seconds,
              stopReason,
              lastLoss,
              epochLosses,
              epochMetrics);
      listener.onTrainingEnd(summary);
      return new TrainingResult(
          summary, op, shotIds, fingerprint, bestEval.metrics(), val.size());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One optimizer step.

  private static double step(
      ClipModel clip,
      MediClipHeads heads,
      AdamOptimizer optimizer,
      Map<String, NDArray> params,
      NDManager manager,
      float[] images,
      float[] masks,
      int b,
      int size) {
    double lossValue;
    try (NDManager sm = manager.newSubManager()) {
      NDArray x = sm.create(images, new Shape(b, 3, size, size));
      NDArray y = sm.create(masks, new Shape(b, size, size));
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray text = heads.textFeatures(clip, sm);
        MediClipHeads.HeadsOutput out = heads.forward(clip, x, text);
        NDArray loss = Losses.total(out.anomalyMap(), y);
        lossValue = loss.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        gc.backward(loss);
      }
      optimizer.step(params);
      AdamOptimizer.zeroGradients(params);
    }
    if (!Double.isFinite(lossValue)) {
      throw new MediClipException(
          "Training diverged: loss is " + lossValue + "; lower the learning rate or check the inputs");
    }
    return lossValue;
  }

  // ---------------------------------------------------------------------------------------------
  // Validation.

  /** Outputs of the heads on the validation set. */
  record Evaluation(double[] scores, float[] maps, Map<String, Double> metrics) {}

  /**
   * Backbone outputs of the validation images, computed once: the backbone is frozen, so only the
   * heads have to run again after each epoch. Per batch, the residual streams (b, 1+g·g, W) of the
   * configured layers.
   */
  private static final class FeatureCache implements AutoCloseable {
    final NDManager manager;
    final List<List<NDArray>> batches = new ArrayList<>();

    FeatureCache(NDManager parent) {
      manager = parent.newSubManager();
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  private Evaluation evaluate(
      ClipModel clip, MediClipHeads heads, ValidationData val, FeatureCache cache) {
    int n = val.size();
    int s = val.imageSize;
    int px = s * s;
    double[] scores = new double[n];
    float[] maps = new float[n * px];
    int batch = Math.max(1, config.batchSize());
    int[] layers = heads.config().layers1Based().stream().mapToInt(Integer::intValue).toArray();
    boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    try (NDManager vm = cache.manager.newSubManager()) {
      NDArray text = heads.textFeatures(clip, vm);
      int bi = 0;
      for (int from = 0; from < n; from += batch, bi++) {
        int b = Math.min(batch, n - from);
        if (cache.batches.size() <= bi) {
          float[] chw = new float[b * 3 * px];
          System.arraycopy(val.chw, from * 3 * px, chw, 0, b * 3 * px);
          try (NDManager im = cache.manager.newSubManager()) {
            NDArray x = im.create(chw, new Shape(b, 3, s, s));
            ClipModel.VisionOutput vo = clip.encodeImage(x, layers);
            List<NDArray> kept = new ArrayList<>();
            for (NDArray l : vo.layers()) {
              l.attach(cache.manager);
              kept.add(l);
            }
            cache.batches.add(kept);
          }
        }
        try (NDManager bm = vm.newSubManager()) {
          List<NDArray> tokens = cache.batches.get(bi);
          for (NDArray t : tokens) {
            t.tempAttach(bm); // back to the cache when bm closes; outputs land in bm
          }
          MediClipHeads.HeadsOutput out = heads.forwardLayers(tokens, s, text);
          float[] map = out.anomalyMap().get(":, 1, :, :").toType(
              ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
          System.arraycopy(map, 0, maps, from * px, b * px);
          float[] sc = out.imageScores().toType(
              ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
          for (int j = 0; j < b; j++) {
            scores[from + j] = sc[j];
          }
        }
      }
    } finally {
      ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("image_auroc", ScoreStats.auroc(scores, val.labels));
    if (val.hasMasks()) {
      metrics.put("pixel_auroc", ScoreStats.auroc(ScoreStats.split(val.masks, i -> maps[i])));
    }
    return new Evaluation(scores, maps, metrics);
  }

  private static double selectionValue(Evaluation ev, double trainLoss) {
    double img = ev.metrics().getOrDefault("image_auroc", Double.NaN);
    Double pix = ev.metrics().get("pixel_auroc");
    double v = img;
    if (pix != null && !pix.isNaN()) {
      v = Double.isNaN(img) ? pix : 0.5 * (img + pix);
    }
    if (Double.isNaN(v)) {
      // No anomalous validation image: fall back to the (negated) training loss.
      v = Double.isNaN(trainLoss) ? Double.NEGATIVE_INFINITY : -trainLoss;
    }
    return v;
  }

  // ---------------------------------------------------------------------------------------------
  // Operating point.

  static OperatingPoint operatingPoint(
      Evaluation ev, ValidationData val, ThresholdPolicy policy, String source) {
    int n = val.size();
    double[] scores = ev.scores();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    ScoreStats.Split images = ScoreStats.split(val.labels, i -> scores[i]);
    double[] pos = images.pos();
    double[] neg = images.neg();
    java.util.Arrays.sort(pos);
    java.util.Arrays.sort(neg);
    String[] how = new String[1];
    double imageThr = threshold(pos, pos.length, neg, neg.length, policy, how);
    String method = how[0];

    // Pixels: anomalous pixels (mask > 0.5) vs all others; without masks, only normal images' pixels.
    int px = val.imageSize * val.imageSize;
    float[] maps = ev.maps();
    double pmin = Double.POSITIVE_INFINITY;
    double pmax = Double.NEGATIVE_INFINITY;
    for (float v : maps) {
      pmin = Math.min(pmin, v);
      pmax = Math.max(pmax, v);
    }
    double pixelThr;
    if (val.hasMasks()) {
      ScoreStats.Split pixels = ScoreStats.split(val.masks, i -> maps[i]);
      double[] pp = pixels.pos();
      double[] pn = pixels.neg();
      java.util.Arrays.sort(pp);
      java.util.Arrays.sort(pn);
      pixelThr = threshold(pp, pp.length, pn, pn.length, policy, new String[1]);
    } else {
      int cn = 0;
      for (int i = 0; i < n; i++) {
        if (!val.labels[i]) {
          cn++;
        }
      }
      double[] pn = new double[cn * px];
      int c = 0;
      for (int i = 0; i < n; i++) {
        if (!val.labels[i]) {
          for (int j = 0; j < px; j++) {
            pn[c++] = maps[i * px + j];
          }
        }
      }
      java.util.Arrays.sort(pn);
      double q = policy.kind() == ThresholdPolicy.Kind.NORMAL_QUANTILE
          ? policy.value() : ThresholdPolicy.DEFAULT_NORMAL_QUANTILE;
      pixelThr = c == 0 ? imageThr : ScoreStats.quantile(pn, c, q);
    }
    if (!Double.isFinite(pixelThr)) {
      pixelThr = 0.5;
    }
    return new OperatingPoint(imageThr, pixelThr, min, max, pmin, pmax, method + " on " + source);
  }

  private static double threshold(
      double[] posAsc, int np, double[] negAsc, int nn, ThresholdPolicy policy, String[] how) {
    double q = ThresholdPolicy.DEFAULT_NORMAL_QUANTILE;
    switch (policy.kind()) {
      case TARGET_SENSITIVITY:
        if (np > 0) {
          how[0] = String.format(Locale.ROOT, "target-sensitivity:%s", policy.value());
          return ScoreStats.sensitivityThreshold(posAsc, np, policy.value());
        }
        break;
      case NORMAL_QUANTILE:
        q = policy.value();
        if (nn > 0) {
          how[0] = String.format(Locale.ROOT, "normal-quantile:%s", q);
          return ScoreStats.quantile(negAsc, nn, q);
        }
        break;
      case AUTO:
      case F1_ADAPTIVE:
      default:
        if (np > 0) {
          how[0] = "f1-adaptive";
          return ScoreStats.f1Threshold(posAsc, np, negAsc, nn);
        }
        break;
    }
    if (nn > 0) {
      how[0] = String.format(Locale.ROOT, "normal-quantile:%s", q);
      return ScoreStats.quantile(negAsc, nn, q);
    }
    how[0] = "f1-adaptive";
    return ScoreStats.f1Threshold(posAsc, np, negAsc, nn);
  }

  // ---------------------------------------------------------------------------------------------
  // State snapshots and checkpoints.

  private static Map<String, float[]> snapshot(Map<String, NDArray> params) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      out.put(e.getKey(), e.getValue().toFloatArray());
    }
    return out;
  }

  private static void restore(MediClipHeads heads, Map<String, float[]> state, NDManager manager) {
    Map<String, NDArray> current = heads.parameters();
    try (NDManager rm = manager.newSubManager()) {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (Map.Entry<String, float[]> e : state.entrySet()) {
        NDArray cur = current.get(e.getKey());
        arrays.put(e.getKey(), rm.create(e.getValue(), cur.getShape()));
      }
      heads.loadParameters(arrays);
    }
  }

  private void writeCheckpoint(Map<String, NDArray> params, int epoch, double metric) {
    Path dir = config.checkpointDir();
    if (dir == null) {
      return;
    }
    // A restart on the same folder must not replace a better checkpoint of an earlier run.
    if (io.github.mediclip.internal.CheckpointGuard.keepsBetter(
        dir.resolve("best-heads.safetensors"), metric)) {
      return;
    }
    try {
      Files.createDirectories(dir);
      // SafetensorsWriter writes to a temporary file and moves it into place atomically, so the
      // previous good checkpoint stays intact until the new one is complete.
      SafetensorsWriter.write(
          dir.resolve("best-heads.safetensors"),
          params,
          Map.of(
              "epoch", Integer.toString(epoch),
              "metric", String.format(Locale.ROOT, "%.6f", metric)));
    } catch (java.io.IOException e) {
      throw new MediClipException("Cannot write checkpoint into " + dir + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers.

  /** Mixes a seed with a stream id and an index into an independent 64-bit seed (SplitMix64). */
  static long mix(long seed, long stream, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (stream * 0x100000001B3L + index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  static String fingerprint(List<String> ids, List<GrayImage> images) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < ids.size(); i++) {
        md.update(ids.get(i).getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        GrayImage img = images.get(i);
        float[] px = img.toArray();
        ByteBuffer bb = ByteBuffer.allocate(8 + 4 * px.length);
        bb.putInt(img.width()).putInt(img.height());
        for (float v : px) {
          bb.putFloat(v);
        }
        md.update(bb.array());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A prepared training sample: (3, S, S) normalised image and (S, S) mask. */
  record Sample(float[] chw, float[] mask) {}

  /**
   * Bounded, ordered producer of synthesized samples. Sample (epoch, position) is a pure function of
   * the seed, the epoch and the shot index, so the output does not depend on the number of threads;
   * samples are requested in order and prepared up to {@code lookahead} positions ahead.
   */
  final class SampleProducer implements AutoCloseable {
    private final List<GrayImage> shots;
    private final List<List<GrayImage>> supports;
    private final AnomalySynthesizer synth;
    private final int size;
    private final long seed;
    private final ExecutorService pool;
    private final int lookahead;
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
        int workers) {
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
      this.lookahead = Math.max(2 * config.batchSize(), 2 * workers);
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
      while (queue.size() < lookahead && nextEpoch <= config.epochs()) {
        if (nextPerm == null) {
          nextPerm = permutation(shots.size(), mix(seed, SHUFFLE_STREAM, nextEpoch));
        }
        final int epoch = nextEpoch;
        final int shot = nextPerm[nextPos];
        final long sampleSeed = mix(seed, EPOCH_STREAM, (long) epoch * 1_000_003L + nextPos);
        queue.addLast(
            CompletableFuture.supplyAsync(() -> make(shot, sampleSeed), pool));
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
      SynthesizedSample s = synth.synthesize(normal, new SplittableRandom(sampleSeed),
          supports.get(shot));
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
}
