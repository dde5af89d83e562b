package io.github.mediclip.cli;

import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.DatasetException;
import io.github.mediclip.eval.data.DatasetReader;
import io.github.mediclip.eval.data.Layout;
import io.github.mediclip.eval.internal.OutputFolders;
import io.github.mediclip.synth.internal.ImageIo;
import io.github.mediclip.train.LabeledImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Option;

/**
 * The {@code --data} and {@code --layout} options shared by the commands that read a dataset, and
 * the lenient reading: unreadable files are skipped and reported, one line each.
 */
final class DatasetOptions {
  @Option(names = "--data", required = true, description = "Dataset root folder.")
  Path data;

  @Option(
      names = "--layout",
      defaultValue = "auto",
      description =
          "mediclip, mvtec, plain or auto (default: ${DEFAULT-VALUE}); train and evaluate also"
              + " take volumes (a folder of NIfTI files and DICOM series, see --masks).")
  String layout;

  @Option(
      names = "--allow-paths-outside-data",
      description =
          "Accept MediCLIP sample lists whose filename or "
              + "mask points outside --data (absolute paths, '..'); refused by default.")
  boolean allowOutside;

  /** A dataset and the number of files the reader skipped (each reported on standard error). */
  record Read(Dataset dataset, int skipped) {}

  /** Checks {@code --layout} (a usage error, exit code 2) before any work. */
  void validate() {
    layout(layout);
  }

  /**
   * Refuses an output path that equals, contains or lies inside {@code --data}: what we write there
   * would be read as data next time, or replace the data.
   */
  void checkOutside(String option, Path out) {
    if (OutputFolders.overlaps(out, data)) {
      throw new CliException(
          option
              + " "
              + out
              + " overlaps --data "
              + data
              + "; outputs must never be written"
              + " into the data being read or replace it. Choose a folder outside the data");
    }
  }

  /**
   * The dataset with its training split reduced to the images that decode fully; every other one is
   * reported on {@code err} as a skipped file, in the same words as a file whose header is
   * unreadable, and counted.
   */
  Read decodableTrain(Read read, PrintWriter err) {
    List<LabeledImage> ok = new ArrayList<>();
    int skipped = read.skipped();
    for (LabeledImage s : read.dataset().train()) {
      String reason = ImageIo.problem(s.file(), true);
      if (reason == null) {
        ok.add(s);
      } else {
        skipped++;
        err.println("mediclip: skipped: skipping " + s.file() + ": " + reason);
      }
    }
    err.flush();
    if (ok.size() == read.dataset().train().size()) {
      return read;
    }
    if (ok.isEmpty()) {
      throw new CliException(
          "none of the training images of " + data + " can be decoded (each reported above)");
    }
    return new Read(new Dataset(read.dataset().name(), ok, read.dataset().test()), skipped);
  }

  /**
   * Checks that every shot decodes fully, before any training; the shots are the only training
   * images a k-shot run opens. A shot that does not decode is not replaced by another draw (that
   * would make the shots depend on which other files happen to be readable, and train and sweep
   * could disagree): each such shot is reported on {@code err} with its path and reason, and the
   * run fails naming them.
   *
   * @param shots each shot and where it comes from (e.g. "drawn for --k 4 --seed 1"), in order
   */
  void checkShots(Map<Path, String> shots, PrintWriter err) {
    List<Path> bad = new ArrayList<>();
    for (Map.Entry<Path, String> e : shots.entrySet()) {
      String reason = ImageIo.problem(e.getKey(), true);
      if (reason != null) {
        bad.add(e.getKey());
        err.println(
            "mediclip: problem: shot "
                + e.getKey()
                + " ("
                + e.getValue()
                + ") cannot be decoded: "
                + reason);
      }
    }
    err.flush();
    if (!bad.isEmpty()) {
      throw new CliException(
          (bad.size() == 1
                  ? "shot " + bad.get(0) + " cannot be decoded"
                  : bad.size() + " shots cannot be decoded (each listed above)")
              + "; a k-shot run reads only its shots and never replaces one by another draw. Fix or remove the"
              + " file (the draw is then made from the pool without it), or choose the shots with --shots FILE");
    }
  }

  /**
   * Reads {@code --data} in {@code --layout}, reporting skipped files and the dataset on {@code
   * err}.
   */
  Read read(PrintWriter err) {
    return read(err, false);
  }

  /**
   * Reads {@code --data} in {@code --layout}, reporting skipped files and the dataset on {@code
   * err}.
   *
   * @param trainListedOnly list the training images without opening them (the k-shot protocol opens
   *     only the shots, see {@link #checkShots})
   */
  Read read(PrintWriter err, boolean trainListedOnly) {
    Layout parsed = layout(layout);
    Check.directory("--data", data);
    AtomicInteger skipped = new AtomicInteger();
    try {
      Dataset ds =
          DatasetReader.read(
              data,
              parsed,
              DatasetReader.Options.skipUnreadable()
                  .withPathsOutsideRoot(allowOutside)
                  .withTrainListedOnly(trainListedOnly)
                  .withWarnings(
                      w -> {
                        skipped.incrementAndGet();
                        err.println("mediclip: skipped: " + w);
                        err.flush();
                      }));
      err.println(
          "mediclip: dataset "
              + ds.describe()
              + (skipped.get() > 0 ? " (" + skipped.get() + " files skipped, see above)" : ""));
      err.flush();
      return new Read(ds, skipped.get());
    } catch (DatasetException e) {
      e.problems().forEach(p -> err.println("mediclip: problem: " + p));
      throw new CliException(
          "cannot read dataset "
              + data
              + ": "
              + (e.problems().isEmpty()
                  ? e.getMessage()
                  : e.problems().size()
                      + (e.problems().size() == 1 ? " problem" : " problems")
                      + ", each listed above on its own line"));
    }
  }

  private static Layout layout(String spec) {
    try {
      return Layout.valueOf(spec.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(
          "--layout must be mediclip, mvtec, plain or auto, but was '" + spec + "'",
          MediClipCli.EXIT_USAGE);
    }
  }
}
