package io.github.mediclip.bench.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.clip.ClipWeights;
import io.github.mediclip.internal.model.AdamOptimizer;
import io.github.mediclip.internal.model.Losses;
import io.github.mediclip.internal.model.MediClipHeads;
import io.github.mediclip.internal.train.GrayTensors;
import io.github.mediclip.model.HeadsConfig;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesisMixture;
import io.github.mediclip.synth.SynthesizedSample;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training-step time of the MediCLIP heads on a frozen CLIP (default ViT-B-16, batch 8, random
 * weights: timing does not depend on the values), split into the parts the reference's profile
 * names:
 *
 * <ul>
 *   <li><b>synthesis</b>: drawing 8 anomalies with the reference mixture from k = 16 gray images
 *       (CPU, Java);
 *   <li><b>backbone</b>: the frozen vision tower's forward pass (no gradients);
 *   <li><b>prompt</b>: the prompt encoder forward + backward alone (text features, then backward of
 *       a scalar of them);
 *   <li><b>step</b>: one full training step (backbone + prompt encoder + adapters/map/loss +
 *       backward + Adam), from which {@code rest = step - backbone - prompt}.
 * </ul>
 *
 * <p>Two prompt-encoder modes are measured: {@code reference} (no causal mask, all 77 positions:
 * the reference's numbers) and {@code fast} ({@link HeadsConfig#withFastPromptEncoder()}: causal
 * mask and sequences cut after the longest prompt; not the reference's numbers, see {@link
 * HeadsConfig}). Wall time and process CPU time (all threads) are printed: on a shared machine the
 * CPU time is the steadier figure.
 *
 * <p>Usage: {@code TrainStepBench [--model ViT-B-16] [--batch 8] [--steps 3] [--warmup 1] [--layers
 * 6,9,12] [--threads N] [--bpe path/to/bpe_simple_vocab_16e6.txt.gz] [--modes reference,fast]
 * [--device cpu|gpu|gpu:N]} (default device: the CPU; on a GPU the "cpu" columns are the host
 * process's CPU time). Without {@code --bpe}, the prompts are tokenized with the synthetic
 * byte-level vocabulary (longer prompts, so the fast mode gains less than with the real
 * vocabulary). Reference figure (from the issue): 6.3-6.9 s per step, of which 2.4-2.6 s backbone,
 * ~4 s prompt encoder, &lt; 0.1 s rest.
 */
public final class TrainStepBench {

  private TrainStepBench() {}

  public static void main(String[] args) throws Exception {
    String model = "ViT-B-16";
    int batch = 8;
    int steps = 3;
    int warmup = 1;
    List<Integer> layers = null;
    Path bpe = null;
    List<String> modes = List.of("reference", "fast");
    Device device = Device.cpu();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = args[++i];
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--layers" ->
            layers =
                Arrays.stream(args[++i].split(","))
                    .map(String::trim)
                    .map(Integer::valueOf)
                    .toList();
        case "--threads" -> System.setProperty("ai.djl.pytorch.num_threads", args[++i]);
        case "--bpe" -> bpe = Path.of(args[++i]);
        case "--modes" -> modes = List.of(args[++i].split(","));
        case "--device" -> device = parseDevice(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; options: --model --batch --steps --warmup --layers --threads --bpe --modes --device");
      }
    }
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    ClipConfig cfg = ClipConfig.preset(model);
    if (layers == null) {
      int n = cfg.vision().layers();
      layers = List.of(n / 2, 3 * n / 4, n);
    }
    ClipTokenizer tokenizer =
        bpe != null && Files.isRegularFile(bpe)
            ? ClipTokenizer.fromBpeFile(bpe)
            : ClipTokenizer.byteLevel();
    Engine engine = Engine.getEngine("PyTorch");
    System.out.printf(
        Locale.ROOT,
        "engine %s %s, device %s, cpu threads visible %d, num_threads property %s%n",
        engine.getEngineName(),
        engine.getVersion(),
        device,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("ai.djl.pytorch.num_threads"));
    System.out.printf(
        Locale.ROOT,
        "model %s (image %d, vision %d x %d, text %d x %d), batch %d, layers %s,"
            + " tokenizer %s, %d warm-up + %d timed steps per mode%n",
        model,
        cfg.vision().imageSize(),
        cfg.vision().layers(),
        cfg.vision().width(),
        cfg.text().layers(),
        cfg.text().width(),
        batch,
        layers,
        bpe != null ? "BPE" : "byte-level",
        warmup,
        steps);

    int size = cfg.vision().imageSize();
    SplittableRandom root = new SplittableRandom(7);
    List<GrayImage> normals = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      normals.add(phantom(root.split(), size));
    }
    SynthesisMixture mix = SynthesisMixture.reference();

    long t = System.nanoTime();
    ClipModel clip;
    try (NDManager weightsManager = NDManager.newBaseManager(Device.cpu())) {
      // the loader frees each random array once copied: one copy of the weights at a time
      clip =
          ClipModel.loader()
              .optDevice(device)
              .optTokenizer(tokenizer)
              .fromWeightsTakingOwnership(cfg, ClipWeights.randomInit(cfg, 1L, weightsManager));
    }
    System.out.printf(
        Locale.ROOT, "random backbone built in %.1f s%n", (System.nanoTime() - t) / 1e9);

    for (String mode : modes) {
      HeadsConfig hc = HeadsConfig.reference(layers);
      if (mode.equals("fast")) {
        hc = hc.withFastPromptEncoder();
      } else if (!mode.equals("reference")) {
        throw new IllegalArgumentException("mode must be reference or fast, got: " + mode);
      }
      try (MediClipHeads heads = MediClipHeads.create(clip, hc, 3L);
          AdamOptimizer adam = new AdamOptimizer();
          NDManager m = NDManager.newBaseManager(device)) {
        System.out.printf(
            Locale.ROOT,
            "%n[%s] prompt sequence length %d (%s)%n",
            mode,
            hc.truncatePrompts() ? heads.longestPromptLength() : cfg.text().contextLength(),
            hc.promptCausalMask() ? "causal mask" : "no causal mask");
        double[] sum = new double[10];
        for (int s = 0; s < warmup + steps; s++) {
          double[] r = step(clip, heads, adam, mix, normals, root.split(), batch, size, m);
          boolean timed = s >= warmup;
          System.out.printf(
              Locale.ROOT,
              "[%s] %s step %d: synthesis %.3f s | backbone %.3f s (cpu %.3f) |"
                  + " prompt fwd+bwd %.3f s (cpu %.3f) | full step %.3f s (cpu %.3f) | rest %.3f s (cpu %.3f)%n",
              mode,
              timed ? "timed" : "warm-up",
              s,
              r[0],
              r[1],
              r[2],
              r[3],
              r[4],
              r[5],
              r[6],
              r[5] - r[1] - r[3],
              r[6] - r[2] - r[4]);
          if (timed) {
            for (int k = 0; k < r.length; k++) {
              sum[k] += r[k];
            }
          }
        }
        double n = steps;
        System.out.printf(
            Locale.ROOT,
            "[%s] MEAN over %d steps: synthesis %.3f s | backbone %.3f s (cpu %.3f) |"
                + " prompt fwd+bwd %.3f s (cpu %.3f) | step %.3f s (cpu %.3f) | rest %.3f s (cpu %.3f) |"
                + " wall step/reference(6.3-6.9 s) = %.2f-%.2f%n",
            mode,
            steps,
            sum[0] / n,
            sum[1] / n,
            sum[2] / n,
            sum[3] / n,
            sum[4] / n,
            sum[5] / n,
            sum[6] / n,
            (sum[5] - sum[1] - sum[3]) / n,
            (sum[6] - sum[2] - sum[4]) / n,
            sum[5] / n / 6.9,
            sum[5] / n / 6.3);
      }
    }
    clip.close();
  }

  private static Device parseDevice(String s) {
    if (s.equals("cpu")) {
      return Device.cpu();
    } else if (s.equals("gpu")) {
      return Device.gpu();
    } else if (s.startsWith("gpu:")) {
      return Device.gpu(Integer.parseInt(s.substring(4)));
    }
    throw new IllegalArgumentException("--device must be cpu, gpu or gpu:N, got '" + s + "'");
  }

  /**
   * @return synthesis, backbone wall/cpu, prompt wall/cpu, step wall/cpu (seconds)
   */
  private static double[] step(
      ClipModel clip,
      MediClipHeads heads,
      AdamOptimizer adam,
      SynthesisMixture mix,
      List<GrayImage> normals,
      SplittableRandom r,
      int batch,
      int size,
      NDManager m) {
    double[] out = new double[7];
    long w0 = System.nanoTime();
    List<SynthesizedSample> samples = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      List<GrayImage> support = new ArrayList<>(normals);
      GrayImage img = support.remove(i % normals.size());
      samples.add(mix.synthesize(img, r.split(), support));
    }
    out[0] = (System.nanoTime() - w0) / 1e9;
    int[] layerArray = heads.config().layers1Based().stream().mapToInt(Integer::intValue).toArray();
    try (NDManager s = m.newSubManager()) {
      NDArray images = toImages(s, samples, size);
      NDArray masks = toMasks(s, samples, size);
      // backbone alone
      long c0 = cpu();
      w0 = System.nanoTime();
      ClipModel.VisionOutput vo = clip.encodeImage(images, layerArray);
      vo.layers().get(0).toFloatArray(); // force completion
      out[1] = (System.nanoTime() - w0) / 1e9;
      out[2] = (cpu() - c0) / 1e9;
      // prompt encoder forward + backward alone
      c0 = cpu();
      w0 = System.nanoTime();
      try (GradientCollector gc = s.getEngine().newGradientCollector()) {
        NDArray t = heads.textFeatures(clip, s);
        gc.backward(t.sum());
      }
      AdamOptimizer.zeroGradients(heads.parameters());
      out[3] = (System.nanoTime() - w0) / 1e9;
      out[4] = (cpu() - c0) / 1e9;
      // one full training step
      c0 = cpu();
      w0 = System.nanoTime();
      try (GradientCollector gc = s.getEngine().newGradientCollector()) {
        NDArray t = heads.textFeatures(clip, s);
        NDArray map = heads.forward(clip, images, t).anomalyMap();
        gc.backward(Losses.total(map, masks));
      }
      adam.step(heads.parameters());
      AdamOptimizer.zeroGradients(heads.parameters());
      heads.parameters().values().iterator().next().toFloatArray(); // force completion
      out[5] = (System.nanoTime() - w0) / 1e9;
      out[6] = (cpu() - c0) / 1e9;
    }
    return out;
  }

  private static long cpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /**
   * A synthetic brain-like gray slice (an ellipse with texture and noise on a dark background).
   *
   * @param r the random source
   * @param size width and height in pixels
   * @return the image
   */
  public static GrayImage phantom(SplittableRandom r, int size) {
    float[] px = new float[size * size];
    double cx = size / 2.0 + r.nextDouble(-0.05, 0.05) * size;
    double cy = size / 2.0 + r.nextDouble(-0.05, 0.05) * size;
    double rx = r.nextDouble(0.3, 0.4) * size;
    double ry = r.nextDouble(0.27, 0.36) * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double d = Math.pow((x - cx) / rx, 2) + Math.pow((y - cy) / ry, 2);
        double v = d <= 1 ? 120 + 20 * (1 - d) + 15 * Math.sin(0.1 * x) * Math.cos(0.08 * y) : 25;
        px[y * size + x] = (float) Math.max(0, Math.min(255, v + r.nextGaussian() * 4));
      }
    }
    return GrayImage.of(size, size, px);
  }

  static NDArray toImages(NDManager m, List<SynthesizedSample> samples, int size) {
    int per = 3 * size * size;
    float[] data = new float[samples.size() * per];
    for (int b = 0; b < samples.size(); b++) {
      GrayTensors.writeChw(samples.get(b).image(), data, b * per);
    }
    return m.create(data, new Shape(samples.size(), 3, size, size));
  }

  static NDArray toMasks(NDManager m, List<SynthesizedSample> samples, int size) {
    float[] data = new float[samples.size() * size * size];
    for (int b = 0; b < samples.size(); b++) {
      System.arraycopy(samples.get(b).mask().toArray(), 0, data, b * size * size, size * size);
    }
    return m.create(data, new Shape(samples.size(), size, size));
  }
}
