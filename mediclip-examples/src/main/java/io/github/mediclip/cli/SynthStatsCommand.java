package io.github.mediclip.cli;

import io.github.mediclip.eval.phantom.PhantomDataset;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesisStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mediclip synth-stats}: throughput and mask statistics of one synthesizer or a mixture. */
@Command(
    name = "synth-stats",
    mixinStandardHelpOptions = true,
    description = {
      "Measures a synthesizer on 8 phantom brain slices of S x S pixels: images/s on one thread, "
          + "mask-area fraction p10/p50/p90 (mean of the soft mask) and the share of empty masks; prints one "
          + "JSON line. The first 20 samples of a separate stream warm the JIT up and are not counted."
    })
final class SynthStatsCommand implements Callable<Integer> {
  private static final int POOL = 8;

  @Spec CommandSpec spec;

  @Option(
      names = "--task",
      required = true,
      description =
          "Synthesizer name (see 'mediclip info'), 'mixture' for "
              + "the reference mixture, or a mixture spec like CutpasteTask:0.5,IdentityTask:0.5.")
  String task;

  @Option(
      names = "--size",
      defaultValue = "224",
      description = "Image size S (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--samples",
      defaultValue = "500",
      description = "Number of samples (default: ${DEFAULT-VALUE}).")
  int samples;

  @Mixin SeedOption seed;

  @Override
  public Integer call() {
    Check.range("--size", size, 16, 4096);
    Check.range("--samples", samples, 1, 10_000_000);
    AnomalySynthesizer synth = Synth.create(task);
    SplittableRandom images = new SplittableRandom(seed.value);
    List<GrayImage> normals = new ArrayList<>();
    for (int i = 0; i < POOL; i++) {
      normals.add(PhantomDataset.normalSlice(size, images.nextLong()));
    }
    SynthesisStats.measure(synth, normals, Math.min(20, samples), ~seed.value); // JIT warm-up
    SynthesisStats.Stats st = SynthesisStats.measure(synth, normals, samples, seed.value);
    Map<String, Object> o = Json.object();
    o.put("task", task);
    o.put("size", size);
    o.put("samples", st.samples());
    o.put("seed", seed.value);
    o.put("threads", 1);
    o.put("images_per_s", st.imagesPerSecond());
    o.put("mask_area_p10", st.p10());
    o.put("mask_area_p50", st.p50());
    o.put("mask_area_p90", st.p90());
    o.put("mask_area_mean", st.meanArea());
    o.put("empty_mask_share", st.emptyShare());
    spec.commandLine().getOut().println(Json.line(o));
    return MediClipCli.EXIT_OK;
  }
}
