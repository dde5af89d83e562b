package io.github.mediclip.cli;

import ai.djl.Device;
import io.github.mediclip.MediClip;
import io.github.mediclip.eval.KShotSweep;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.internal.OutputFolders;
import io.github.mediclip.train.FitListener;
import io.github.mediclip.train.KShotSampler;
import io.github.mediclip.train.LabeledImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mediclip sweep}: train and evaluate over several k and seeds. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Trains and evaluates one detector per (k, seed) in the k-shot protocol: the k shots are "
          + "drawn from the normal training images with the seed (the same draw as train --k K --seed S), and "
          + "only they are used. Writes table.md, table.csv, runs.csv and shots/ (one shot file per run, "
          + "paths relative to --data) to --out; prints one JSON line per run and a last line with the mean "
          + "and standard deviation per k. The folder is written as a whole (a hidden sibling folder swapped "
          + "in at the end); an existing --out is replaced only when it is a sweep folder."
    })
final class SweepCommand implements Callable<Integer> {
  /**
   * A sweep folder: tables, shot lists and per-run report folders; only such a folder is replaced.
   */
  static final OutputFolders.Kind SWEEP =
      new OutputFolders.Kind(
          "sweep folder",
          "runs.csv",
          name ->
              Set.of("table.md", "table.csv", "runs.csv", "shots").contains(name)
                  || name.matches("k\\d+_seed-?\\d+"));

  @Spec CommandSpec spec;

  @Mixin DatasetOptions dataset;

  @Option(names = "--backbone", required = true, description = "CLIP model folder.")
  Path backbone;

  @Option(
      names = "--k",
      split = ",",
      description =
          "Shot counts, comma-separated (default: 1,2,4,8,16; with --shots: its number of lines).")
  int[] ks;

  @Option(
      names = "--shots",
      paramLabel = "FILE",
      description =
          "Shot file (one image path per line, relative to "
              + "--data or absolute): use these shots for every seed instead of drawing them.")
  Path shotsFile;

  @Option(
      names = "--seeds",
      split = ",",
      defaultValue = "0,1,2",
      description = "Seeds, comma-separated (default: ${DEFAULT-VALUE}).")
  long[] seeds;

  @Option(names = "--epochs", description = "Maximum epochs per run (default: the library's, 200).")
  Integer epochs;

  @Option(names = "--image-size", description = "Model input size S (default: the backbone's).")
  Integer imageSize;

  @Mixin DeviceOption device;

  @Option(names = "--reports", description = "Also write a full report folder per run.")
  boolean reports;

  @Option(names = "--out", required = true, description = "Output folder.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // every option value is checked before any work: a bad value is a usage error (exit code 2)
    List<Path> fixedShots =
        shotsFile == null ? null : TrainCommand.readShotFile("--shots", shotsFile, dataset.data);
    if (fixedShots != null && ks != null && (ks.length != 1 || ks[0] != fixedShots.size())) {
      throw new CliException(
          "--k "
              + java.util.Arrays.toString(ks)
              + " but --shots "
              + shotsFile
              + " lists "
              + fixedShots.size()
              + " images; leave out --k");
    }
    if (ks == null) {
      ks = new int[] {1, 2, 4, 8, 16};
    }
    for (int k : ks) {
      Check.range("--k", k, 1, 100_000);
    }
    if (epochs != null) {
      Check.range("--epochs", epochs, 1, 100_000);
    }
    if (imageSize != null) {
      Check.imageSize("--image-size", imageSize);
    }
    dataset.validate();
    device.validate();
    Check.directory("--backbone", backbone);
    dataset.checkOutside("--out", out);
    if (OutputFolders.overlaps(out, backbone)) {
      throw new CliException(
          "--out " + out + " overlaps --backbone " + backbone + "; choose another folder");
    }
    try {
      OutputFolders.checkReplaceable(out, SWEEP);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    // k-shot protocol: the pool is listed, not opened; only the shots of the runs are decoded, all
    // of them
    // before the first run (the same draw as KShotSweep and train --k K --seed S).
    Dataset ds = dataset.read(err, true).dataset();
    List<Path> pool =
        KShotSampler.inPathOrder(
            ds.train().stream().filter(s -> !s.anomalous()).map(LabeledImage::file).toList(),
            p -> p);
    Map<Path, String> where = new java.util.LinkedHashMap<>();
    if (fixedShots != null) {
      fixedShots.forEach(p -> where.putIfAbsent(p, "from --shots " + shotsFile));
    } else {
      for (int k : ks) {
        for (long s : seeds) {
          if (k <= pool.size()) {
            KShotSampler.sample(pool, k, s)
                .forEach(p -> where.putIfAbsent(p, "drawn for --k " + k + " --seeds " + s));
          }
        }
      }
    }
    dataset.checkShots(where, err);
    Backbones.warnIfRandom(backbone, err);
    Device dev = device.device();
    KShotSweep.Result[] holder = new KShotSweep.Result[1];
    KShotSweep.Builder builder =
        KShotSweep.builder()
            .setDataset(ds)
            .optDataRoot(dataset.data)
            .setFactory(
                KShotSweep.mediClip(
                    seed -> {
                      MediClip.Builder b =
                          MediClip.builder()
                              .setBackbone(backbone)
                              .optSeed(seed)
                              .optDevice(dev)
                              .optListener(FitListener.silent());
                      if (epochs != null) {
                        b.optEpochs(epochs);
                      }
                      if (imageSize != null) {
                        b.optImageSize(imageSize);
                      }
                      return b.build();
                    }))
            .optSeeds(seeds)
            .optReports(reports)
            .optListener(
                run -> {
                  Map<String, Object> o = Results.metrics(run.result());
                  o.put("k", run.k());
                  o.put("seed", run.seed());
                  o.put("fit_seconds", run.fitSeconds());
                  o.put("normals_seen", run.normalsSeen());
                  o.put(
                      "shots",
                      TrainCommand.relative(
                          dataset.data, run.shots().stream().map(LabeledImage::file).toList()));
                  stdout.println(Json.line(o));
                  stdout.flush();
                });
    if (fixedShots != null) {
      builder.optShots(fixedShots);
    } else {
      builder.optShots(ks);
    }
    KShotSweep sweep = builder.build();
    // the tables, shot lists and reports are written into a hidden sibling folder and swapped in as
    // a whole
    OutputFolders.write(out, SWEEP, dir -> holder[0] = sweep.run(dir));
    KShotSweep.Result result = holder[0];
    List<Map<String, Object>> rows = new java.util.ArrayList<>();
    for (KShotSweep.Row row : result.rows()) {
      Map<String, Object> r = Json.object();
      r.put("k", row.k());
      r.put("runs", row.runs());
      r.put("normals_seen", row.normalsSeen());
      r.put("image_auroc_mean", row.imageAuroc().mean());
      r.put("image_auroc_std", row.imageAuroc().std());
      if (row.pixelAuroc() != null) {
        r.put("pixel_auroc_mean", row.pixelAuroc().mean());
        r.put("pixel_auroc_std", row.pixelAuroc().std());
      }
      rows.add(r);
    }
    Map<String, Object> summary = Json.object();
    summary.put("dataset", ds.name());
    summary.put("rows", rows);
    summary.put("out", out.toString());
    stdout.println(Json.line(summary));
    err.print(result.markdown());
    err.flush();
    return MediClipCli.EXIT_OK;
  }
}
