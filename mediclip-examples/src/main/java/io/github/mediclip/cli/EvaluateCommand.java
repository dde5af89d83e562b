package io.github.mediclip.cli;

import io.github.mediclip.MediClipDetector;
import io.github.mediclip.VolumeScoring;
import io.github.mediclip.eval.DetectorEvaluator;
import io.github.mediclip.eval.EvaluationResult;
import io.github.mediclip.eval.ImageScorer;
import io.github.mediclip.eval.VolumeEvaluation;
import io.github.mediclip.eval.VolumeEvaluator;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.VolumeDataset;
import io.github.mediclip.eval.internal.OutputFolders;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mediclip evaluate}: metrics and a report folder for a bundle on a dataset's test split.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates a detector bundle on the test split of a dataset and writes a report folder "
          + "(metrics.json, scores.csv, roc.png, pr.png, overlays.png, index.html). Unreadable images are "
          + "skipped, each reported on standard error with its path and reason. The report is written as a whole (a hidden "
          + "sibling folder swapped in at the end); an existing --out is replaced only when it holds nothing but "
          + "a report, and --out must lie outside --data. Prints one JSON line with "
          + "the metrics: image_auroc (with a bootstrap 95 %% interval), image_ap, image_f1max and, when "
          + "every anomalous test image has a mask, pixel_auroc, pixel_ap, pixel_f1max, pixel_aupro.",
      "--layout volumes: --data is a folder of volumes (NIfTI files NAME.nii[.gz], DICOM files NAME.dcm, "
          + "DICOM series folders NAME/) with masks NAME_mask.nii[.gz] next to them or in --masks DIR; slice "
          + "labels come from the masks (matched by NAME, same columns x rows x slices). A volume that cannot "
          + "be read (e.g. a DICOM transfer syntax without a decoder) is skipped and reported on standard "
          + "error. The report folder holds metrics.json, slices.csv and volumes.csv; the JSON line has "
          + "slice_auroc, slice_ap, pixel_auroc, pixel_aupro and volume_auroc (left out when undefined, e.g. "
          + "every volume has a lesion)."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DetectorOptions bundle;

  @Mixin DatasetOptions dataset;

  @Option(
      names = "--batch-size",
      defaultValue = "8",
      description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--out", required = true, description = "Report folder to write.")
  Path out;

  @Option(
      names = "--volume-scoring",
      paramLabel = "RULE",
      description =
          "With --layout volumes: volume score "
              + "from the slice scores, max (default) or top-k-mean:K.")
  String volumeScoring = "max";

  @Mixin VolumeLayoutOptions volumeLayout;

  static final OutputFolders.Kind VOLUME_REPORT =
      new OutputFolders.Kind(
          "volume evaluation report",
          "metrics.json",
          java.util.Set.of("metrics.json", "slices.csv", "volumes.csv"));

  @Override
  public Integer call() {
    Check.range("--batch-size", batchSize, 1, 4096);
    if (VolumeLayoutOptions.isVolumes(dataset.layout)) {
      return evaluateVolumes();
    }
    volumeLayout.checkUnused();
    dataset.validate();
    bundle.validate();
    dataset.checkOutside("--out", out);
    try {
      OutputFolders.checkReplaceable(out, OutputFolders.EVALUATION_REPORT);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    DatasetOptions.Read read = dataset.read(err);
    Dataset ds = read.dataset();
    AtomicInteger undecodable = new AtomicInteger();
    DetectorEvaluator evaluator =
        DetectorEvaluator.builder()
            .optBatchSize(batchSize)
            .optWarnings(
                w -> {
                  undecodable.incrementAndGet();
                  err.println("mediclip: skipped: " + w);
                  err.flush();
                })
            .build();
    EvaluationResult r;
    int normalsSeen;
    MediClipDetector detector = bundle.load();
    try (ImageScorer scorer = ImageScorer.of(detector)) {
      normalsSeen = detector.manifest().training().summary().normalsSeen();
      r = evaluator.evaluate(scorer, ds, out);
    }
    Map<String, Object> o = Results.metrics(r);
    o.put("model", bundle.model.toString());
    o.put("normals_seen", normalsSeen);
    o.put("skipped_files", read.skipped() + undecodable.get());
    spec.commandLine().getOut().println(Json.line(o));
    return MediClipCli.EXIT_OK;
  }

  private static Object finite(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private int evaluateVolumes() {
    VolumeScoring rule;
    try {
      rule = VolumeScoring.parse(volumeScoring);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), MediClipCli.EXIT_USAGE);
    }
    bundle.validate();
    Check.directory("--data", dataset.data);
    Path masks = volumeLayout.masks(dataset.data);
    dataset.checkOutside("--out", out);
    if (OutputFolders.overlaps(out, masks)) {
      throw new CliException(
          "--out " + out + " overlaps --masks " + masks + "; choose a folder outside the masks");
    }
    try {
      OutputFolders.checkReplaceable(out, VOLUME_REPORT);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    VolumeDataset ds;
    try {
      ds = VolumeDataset.read(dataset.data, masks);
    } catch (io.github.mediclip.MediClipException e) {
      throw new CliException(e.getMessage());
    }
    List<String> skipped = new ArrayList<>(ds.skipped());
    for (String s : ds.skipped()) {
      err.println("mediclip: skipped: " + s);
    }
    err.flush();
    VolumeEvaluation r;
    try (MediClipDetector detector = bundle.load()) {
      r =
          VolumeEvaluator.evaluate(
              detector,
              ds,
              rule,
              s -> {
                skipped.add(s);
                err.println("mediclip: skipped: " + s);
                err.flush();
              });
    } catch (io.github.mediclip.MediClipException e) {
      // a mask of another size than its volume, an unreadable mask, no readable volume: one line
      throw new CliException(e.getMessage());
    }
    Map<String, Object> o = Json.object();
    o.put("layout", "volumes");
    o.put("volumes", r.volumes());
    o.put("slices", r.slices());
    o.put("anomalous_slices", r.anomalousSlices());
    o.put("slice_auroc", finite(r.sliceAuroc()));
    o.put("slice_ap", finite(r.sliceAveragePrecision()));
    o.put("pixel_auroc", finite(r.pixelAuroc()));
    o.put("pixel_aupro", finite(r.pixelAupro()));
    o.put("volume_auroc", finite(r.volumeAuroc()));
    o.put("scoring", r.scoring());
    o.put("model", bundle.model.toString());
    o.put("masks", masks.toString());
    o.put("skipped_files", skipped.size());
    StringBuilder slices = new StringBuilder("volume,slice,label,score\n");
    StringBuilder volumes = new StringBuilder("volume,label,score,intensity_policy\n");
    for (VolumeEvaluation.VolumeResult v : r.perVolume()) {
      volumes
          .append(v.name())
          .append(',')
          .append(v.label())
          .append(',')
          .append(v.score())
          .append(',')
          .append(v.intensityPolicy())
          .append('\n');
      for (int k = 0; k < v.sliceScores().length; k++) {
        slices
            .append(v.name())
            .append(',')
            .append(k)
            .append(',')
            .append(v.sliceLabels()[k])
            .append(',')
            .append(v.sliceScores()[k])
            .append('\n');
      }
    }
    Map<String, Object> report = Json.object();
    report.putAll(o);
    report.put("skipped", skipped);
    String json = Json.pretty(report);
    OutputFolders.write(
        out,
        VOLUME_REPORT,
        dir -> {
          try {
            java.nio.file.Files.writeString(dir.resolve("metrics.json"), json);
            java.nio.file.Files.writeString(dir.resolve("slices.csv"), slices);
            java.nio.file.Files.writeString(dir.resolve("volumes.csv"), volumes);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    spec.commandLine().getOut().println(Json.line(o));
    return MediClipCli.EXIT_OK;
  }
}
