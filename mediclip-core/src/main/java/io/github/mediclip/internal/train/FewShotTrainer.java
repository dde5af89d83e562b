package io.github.mediclip.internal.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.mediclip.MediClipException;
import io.github.mediclip.OperatingPoint;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.internal.NoGrad;
import io.github.mediclip.internal.clip.SafetensorsWriter;
import io.github.mediclip.internal.model.AdamOptimizer;
import io.github.mediclip.internal.model.Losses;
import io.github.mediclip.internal.model.MediClipHeads;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.ValidatingSynthesizer;
import io.github.mediclip.train.FitConfig;
import io.github.mediclip.train.FitListener;
import io.github.mediclip.train.FitResult;
import io.github.mediclip.train.FitSummary;
import io.github.mediclip.train.KShotSampler;
import io.github.mediclip.train.LabeledImage;
import io.github.mediclip.train.StopReason;
import io.github.mediclip.train.ValidationSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Few-shot training of the MediCLIP heads (MediCLIP, MICCAI 2024, arXiv 2405.11315, §2.3): the CLIP
 * backbone stays frozen; the adapters and the prompt context are trained with focal + dice loss on
 * anomalies synthesized from k normal images.
 *
 * <p>One {@link #train} call runs three phases:
 *
 * <ol>
 *   <li><b>Shot split</b>: {@link KShotSampler} draws k of the normal images with the seed ({@link
 *       FitConfig#shots()}; 0 = all); the others are held out.
 *   <li><b>Validation plan</b>: the user's data when given; otherwise a fixed, seeded set of
 *       synthesized anomalies (at least {@link FitConfig#validationAnomalies()}) plus normal
 *       images, built on the k shots under other seeds (the k-shot protocol: the run sees only k
 *       normal images), or on the held-out normals when {@link FitConfig#holdoutValidation()} asks
 *       for it and there are some.
 *   <li><b>Epoch loop</b>: one synthesized sample per shot (shuffled per epoch), batches of {@link
 *       FitConfig#batchSize()}; loss = focal + dice; Adam. Synthesis runs on {@link
 *       FitConfig#effectiveWorkers()} threads ahead of the model; each sample is a pure function of
 *       (seed, epoch, index), consumed in order, so results do not depend on the thread count.
 *       After each epoch (and once before training, as epoch 0), validation: image AUROC, or the
 *       mean of image and pixel AUROC when masks exist. The best heads are kept (in memory, and in
 *       {@link FitConfig#checkpointDir()} when set). Early stop after {@link FitConfig#patience()}
 *       epochs without improvement; stop, keeping the best state, on {@link Thread#interrupt()}
 *       (the interrupt status is preserved) or when a listener returns {@code false}.
 * </ol>
 *
 * <p>Finally the heads are set to the best state and the operating point is calibrated on the
 * validation outputs of the best heads ({@link io.github.mediclip.ThresholdPolicy#calibrate}).
 *
 * <p>Tensor shapes: training batch images (B, 3, S, S) normalised, masks (B, S, S) in [0, 1]; the
 * heads' anomaly map (B, 2, S, S) (softmax, channel 1 = anomaly), image scores (B).
 *
 * <p>Not thread-safe; one trainer runs one training at a time (DJL's PyTorch engine allows only one
 * gradient collector per JVM at a time).
 *
 * <p>Length (about 700 lines, a sixth of them comments): the three phases, the optimizer step and
 * the validation pass share the run's settings and tensors; the parts that stand alone are in their
 * own files ({@link KShotSampler}, {@code SampleProducer}, {@code ValidationData}), and threshold
 * calibration lives with the policy ({@link io.github.mediclip.ThresholdPolicy#calibrate}).
 */
public final class FewShotTrainer {

  static final long EPOCH_STREAM = 0x5EED_0001L;
  private static final long VALIDATION_STREAM = 0x5EED_0002L;
  static final long SHUFFLE_STREAM = 0x5EED_0004L;

  private final FitConfig config;
  private final FitListener listener;

  /**
   * Creates a trainer.
   *
   * @param config the settings
   * @param listener progress events ({@link FitListener#silent()} for none)
   */
  public FewShotTrainer(FitConfig config, FitListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Returns the settings.
   *
   * @return the settings
   */
  public FitConfig config() {
    return config;
  }

  /**
   * Draws the k shots from {@code normals} with {@link KShotSampler} and trains; see {@link
   * #train(ClipModel, MediClipHeads, KShotSampler.Split, List, ValidationSource)}.
   *
   * @param clip the frozen backbone (its image size S is used for all inputs)
   * @param heads the heads to train (their parameters require gradients)
   * @param normals the pool of normal images (any size; resized to S×S); k of them are used, see
   *     {@link FitConfig#shots()}
   * @param validation the user's validation data, or {@code null}/empty for synthesized validation
   * @param validationSource {@link ValidationSource#USER} or {@link
   *     ValidationSource#LEGACY_TEST_SET} for user data ({@code null} = user); ignored when {@code
   *     validation} is empty
   * @return the summary, operating point and provenance
   * @throws IllegalArgumentException when {@code normals} is empty or k exceeds it
   */
  public FitResult train(
      ClipModel clip,
      MediClipHeads heads,
      List<LabeledImage> normals,
      List<LabeledImage> validation,
      ValidationSource validationSource) {
    Objects.requireNonNull(normals, "normals");
    if (normals.isEmpty()) {
      throw new IllegalArgumentException(
          "normals must not be empty: give at least one normal image");
    }
    if (config.shots() > normals.size()) {
      throw new IllegalArgumentException(
          "shots (k = "
              + config.shots()
              + ") exceeds the number of normal images given ("
              + normals.size()
              + ")");
    }
    return train(
        clip,
        heads,
        KShotSampler.split(normals, config.shots(), config.seed()),
        validation,
        validationSource);
  }

  /**
   * Trains {@code heads} in place on shots already drawn and returns what happened. On return the
   * heads hold the best state. {@link FitConfig#shots()} is not used here: every image of {@code
   * split.shots()} is a shot.
   *
   * @param clip the frozen backbone (its image size S is used for all inputs)
   * @param heads the heads to train (their parameters require gradients)
   * @param split the shots (in the order drawn) and the held-out normal images (used only with
   *     {@link FitConfig#holdoutValidation()}; may be empty)
   * @param validation the user's validation data, or {@code null}/empty for synthesized validation
   * @param validationSource {@link ValidationSource#USER} or {@link
   *     ValidationSource#LEGACY_TEST_SET} for user data ({@code null} = user); ignored when {@code
   *     validation} is empty
   * @return the summary, operating point and provenance
   * @throws IllegalArgumentException when there is no shot
   */
  public FitResult train(
      ClipModel clip,
      MediClipHeads heads,
      KShotSampler.Split<LabeledImage> split,
      List<LabeledImage> validation,
      ValidationSource validationSource) {
    Objects.requireNonNull(clip, "clip");
    Objects.requireNonNull(heads, "heads");
    Objects.requireNonNull(split, "split");
    if (split.shots().isEmpty()) {
      throw new IllegalArgumentException("shots must not be empty: give at least one normal image");
    }
    int size = clip.config().vision().imageSize();
    long start = System.nanoTime();
    AnomalySynthesizer synth = ValidatingSynthesizer.wrap(config.synthesis());

    Shots shots = Shots.prepare(split, size, config.holdoutValidation());
    ValidationPlan plan = planValidation(shots, validation, validationSource, synth, size);

    listener.onTrainingStart(config.epochs(), stepsPerEpoch(shots.size()));
    try (NDManager manager = NDManager.newBaseManager(clip.device(), "PyTorch");
        EpochLoop loop = new EpochLoop(clip, heads, shots, plan.data(), synth, manager)) {
      loop.run();
      restore(heads, loop.bestState, manager);
      ValidationData val = plan.data();
      OperatingPoint op =
          config
              .thresholdPolicy()
              .calibrate(
                  loop.bestEval.scores(),
                  val.labels,
                  loop.bestEval.maps(),
                  val.masks,
                  val.imageSize,
                  plan.source());
      double seconds = (System.nanoTime() - start) / 1e9;
      FitSummary summary =
          new FitSummary(
              loop.epochsRun,
              loop.bestEpoch,
              loop.best,
              val.hasMasks() ? "mean_image_pixel_auroc" : "image_auroc",
              plan.source(),
              plan.normalsSeen(),
              seconds,
              loop.stopReason,
              loop.lastLoss,
              loop.epochLosses,
              loop.epochMetrics);
      listener.onTrainingEnd(summary);
      return new FitResult(
          summary, op, shots.ids(), shots.fingerprint(), loop.bestEval.metrics(), val.size());
    }
  }

  private int stepsPerEpoch(int k) {
    return (k + config.batchSize() - 1) / config.batchSize();
  }

  // ---------------------------------------------------------------------------------------------
  // Phase 1: the shots.

  /**
   * The k shots at model resolution, their ids and fingerprint, the support set of each shot (the
   * other shots, for synthesizers that paste from another image), and the held-out normals.
   */
  private record Shots(
      List<GrayImage> images,
      List<String> ids,
      String fingerprint,
      List<List<GrayImage>> supports,
      List<GrayImage> heldOut) {

    static Shots prepare(KShotSampler.Split<LabeledImage> split, int size, boolean useHeldOut) {
      List<GrayImage> images = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (LabeledImage li : split.shots()) {
        images.add(GrayTensors.toSize(li.image(), size));
        ids.add(li.id());
      }
      List<GrayImage> heldOut = new ArrayList<>();
      if (useHeldOut) {
        for (LabeledImage li : split.rest()) {
          heldOut.add(GrayTensors.toSize(li.image(), size));
        }
      }
      List<List<GrayImage>> supports = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        List<GrayImage> s = new ArrayList<>(images);
        s.remove(i);
        if (s.isEmpty()) {
          s.add(images.get(i)); // k = 1: CutPaste takes its patch from the image itself
        }
        supports.add(List.copyOf(s));
      }
      return new Shots(images, ids, FewShotTrainer.fingerprint(ids, images), supports, heldOut);
    }

    int size() {
      return images.size();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Phase 2: the validation plan.

  /** The validation data, where it came from, and how many normal images the run sees in all. */
  private record ValidationPlan(ValidationSource source, ValidationData data, int normalsSeen) {}

  private ValidationPlan planValidation(
      Shots shots,
      List<LabeledImage> validation,
      ValidationSource userSource,
      AnomalySynthesizer synth,
      int size) {
    int k = shots.size();
    if (validation != null && !validation.isEmpty()) {
      ValidationSource source = userSource == null ? ValidationSource.USER : userSource;
      if (source != ValidationSource.USER && source != ValidationSource.LEGACY_TEST_SET) {
        throw new IllegalArgumentException(
            "validationSource for user data must be USER or LEGACY_TEST_SET, got " + source);
      }
      int normals = (int) validation.stream().filter(v -> !v.anomalous()).count();
      return new ValidationPlan(source, ValidationData.fromUser(validation, size), k + normals);
    }
    if (!shots.heldOut().isEmpty()) {
      ValidationData val =
          ValidationData.synthesize(
              shots.heldOut(),
              shots.images(),
              synth,
              config.validationAnomalies(),
              Seeds.mix(config.seed(), VALIDATION_STREAM, 0));
      return new ValidationPlan(
          ValidationSource.SYNTHESIZED_HOLDOUT, val, k + shots.heldOut().size());
    }
    ValidationData val =
        ValidationData.synthesize(
            shots.images(),
            shots.images(),
            synth,
            config.validationAnomalies(),
            Seeds.mix(config.seed(), VALIDATION_STREAM, 1));
    return new ValidationPlan(ValidationSource.SYNTHESIZED_SHOTS, val, k);
  }

  // ---------------------------------------------------------------------------------------------
  // Phase 3: the epoch loop.

  /**
   * The epoch loop and its state: the best heads so far, the losses and metrics, the stop reason.
   */
  private final class EpochLoop implements AutoCloseable {
    private final ClipModel clip;
    private final MediClipHeads heads;
    private final Shots shots;
    private final ValidationData val;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final AdamOptimizer optimizer;
    private final SampleProducer producer;
    private final FeatureCache cache;

    final List<Double> epochLosses = new ArrayList<>();
    final List<Double> epochMetrics = new ArrayList<>();
    StopReason stopReason = StopReason.COMPLETED;
    int epochsRun;
    int bestEpoch;
    double lastLoss = Double.NaN;
    double best;
    Evaluation bestEval;
    Map<String, float[]> bestState;

    EpochLoop(
        ClipModel clip,
        MediClipHeads heads,
        Shots shots,
        ValidationData val,
        AnomalySynthesizer synth,
        NDManager manager) {
      this.clip = clip;
      this.heads = heads;
      this.shots = shots;
      this.val = val;
      this.manager = manager;
      this.params = heads.parameters();
      AdamOptimizer opt =
          new AdamOptimizer(
              config.learningRate(),
              AdamOptimizer.DEFAULT_BETA1,
              AdamOptimizer.DEFAULT_BETA2,
              AdamOptimizer.DEFAULT_EPSILON);
      SampleProducer prod = null;
      try {
        prod =
            new SampleProducer(
                shots.images(),
                shots.supports(),
                synth,
                clip.config().vision().imageSize(),
                config.seed(),
                config.effectiveWorkers(),
                config.epochs(),
                config.batchSize());
        this.cache = new FeatureCache(manager);
      } catch (RuntimeException | Error e) {
        if (prod != null) {
          prod.close();
        }
        opt.close();
        throw e;
      }
      this.optimizer = opt;
      this.producer = prod;
    }

    /** Runs epoch 0 (the initial heads) and then the epochs until done or stopped. */
    void run() {
      bestEval = evaluate(clip, heads, val, cache);
      best = selectionValue(bestEval, Double.NaN);
      bestState = snapshot(params);
      writeCheckpoint(params, 0, best);
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        listener.onEpochStart(epoch);
        StopReason stop = trainEpoch(epoch);
        if (stop == null) {
          stop = validateEpoch(epoch);
        }
        if (stop != null) {
          stopReason = stop;
          return;
        }
      }
    }

    /** One pass over the shots; returns why training must stop, or {@code null} to go on. */
    private StopReason trainEpoch(int epoch) {
      int k = shots.size();
      int batch = config.batchSize();
      int size = val.imageSize;
      int[] perm = permutation(k, Seeds.mix(config.seed(), SHUFFLE_STREAM, epoch));
      double lossSum = 0;
      int lossCount = 0;
      int steps = stepsPerEpoch(k);
      for (int step = 0; step < steps; step++) {
        if (Thread.currentThread().isInterrupted()) {
          return StopReason.INTERRUPTED;
        }
        int from = step * batch;
        int b = Math.min(k, from + batch) - from;
        float[] images = new float[b * 3 * size * size];
        float[] masks = new float[b * size * size];
        try {
          for (int j = 0; j < b; j++) {
            SampleProducer.Sample s = producer.get(epoch, from + j, perm[from + j]);
            System.arraycopy(s.chw(), 0, images, j * 3 * size * size, s.chw().length);
            System.arraycopy(s.mask(), 0, masks, j * size * size, s.mask().length);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return StopReason.INTERRUPTED;
        }
        double loss = step(clip, heads, optimizer, params, manager, images, masks, b, size);
        lossSum += loss * b;
        lossCount += b;
        if (!listener.onStep(epoch, step + 1, loss)) {
          epochLosses.add(lossSum / lossCount);
          return StopReason.LISTENER;
        }
      }
      epochsRun = epoch;
      lastLoss = lossSum / Math.max(1, lossCount);
      epochLosses.add(lastLoss);
      return null;
    }

    /** Validates after an epoch and keeps the heads when they improved. */
    private StopReason validateEpoch(int epoch) {
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
        return StopReason.LISTENER;
      }
      if (config.patience() > 0 && epoch - bestEpoch >= config.patience()) {
        return StopReason.EARLY_STOP;
      }
      return null;
    }

    @Override
    @SuppressWarnings("try") // try-with-resources closes all three, also when one close throws
    public void close() {
      try (AdamOptimizer o = optimizer;
          SampleProducer p = producer;
          FeatureCache c = cache) {
        // closes all three, in reverse order
      }
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
        lossValue = loss.toType(DataType.FLOAT64, false).getDouble();
        gc.backward(loss);
      }
      optimizer.step(params);
      AdamOptimizer.zeroGradients(params);
    }
    if (!Double.isFinite(lossValue)) {
      throw new MediClipException(
          "Training diverged: loss is "
              + lossValue
              + "; lower the learning rate or check the inputs");
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

  @SuppressWarnings("try") // NoGrad is a scope guard: entering and closing it is the point
  private Evaluation evaluate(
      ClipModel clip, MediClipHeads heads, ValidationData val, FeatureCache cache) {
    int n = val.size();
    int s = val.imageSize;
    int px = s * s;
    double[] scores = new double[n];
    float[] maps = new float[n * px];
    int batch = Math.max(1, config.batchSize());
    int[] layers = heads.config().layers1Based().stream().mapToInt(Integer::intValue).toArray();
    try (NoGrad noGrad = NoGrad.enter();
        NDManager vm = cache.manager.newSubManager()) {
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
          float[] map =
              out.anomalyMap().get(":, 1, :, :").toType(DataType.FLOAT32, false).toFloatArray();
          System.arraycopy(map, 0, maps, from * px, b * px);
          float[] sc = out.imageScores().toType(DataType.FLOAT32, false).toFloatArray();
          for (int j = 0; j < b; j++) {
            scores[from + j] = sc[j];
          }
        }
      }
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

  static int[] permutation(int n, long seed) {
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
}
