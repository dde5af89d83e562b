package io.github.mediclip.cli;

import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.VolumePrediction;
import io.github.mediclip.VolumeScoring;
import io.github.mediclip.eval.internal.OutputFolders;
import io.github.mediclip.formats.IntensityPolicy;
import io.github.mediclip.formats.MedicalImages;
import io.github.mediclip.formats.MedicalVolume;
import io.github.mediclip.synth.internal.ImageIo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip detect}: scores images with a trained bundle. */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description = {
      "Scores images with a detector bundle and prints one JSON line per image: path, score (raw "
          + "image score = max of the anomaly map), normalized_score, anomalous; or path and error when the "
          + "image cannot be scored (the run goes on and exits with 1 at the end). Folders are searched "
          + "recursively for image files. With --out, a heat-map overlay <file name>.overlay.png per "
          + "image is written there (and with --save-maps the raw anomaly map as <file name>.map.npy, float32, "
          + "for 'mediclip metrics'); existing files are never replaced, and --out must not overlap the "
          + "inputs.",
      "DICOM files, DICOM series folders (a folder whose files are DICOM) and NIfTI files (.nii, .nii.gz; "
          + "recognised by content) are volumes: one JSON line per volume with format, slices, score (the volume "
          + "score), scoring, intensity_policy, normalized_score, anomalous (of the volume score), slice_scores "
          + "and top_slices; with --out, overlays <name>.slice<K>.overlay.png of the --top-slices highest-scoring "
          + "slices (and with --save-maps their maps <name>.slice<K>.map.npy)."
    })
final class DetectCommand implements Callable<Integer> {
  private static final Set<String> IMAGE_EXT =
      Set.of("png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif", "pgm", "pnm", "ppm", "wbmp");

  @Spec CommandSpec spec;

  @Mixin DetectorOptions bundle;

  @Option(names = "--out", description = "Folder for heat-map PNGs.")
  Path out;

  @Option(
      names = "--save-maps",
      description = "Also write each anomaly map as <file name>.map.npy (float32) to " + "--out.")
  boolean saveMaps;

  @Option(
      names = "--volume-scoring",
      paramLabel = "RULE",
      description = "Volume score from the slice scores: " + "max (default) or top-k-mean:K.")
  String volumeScoring = "max";

  @Option(
      names = "--intensity-policy",
      paramLabel = "SPEC",
      description =
          "Maps volume values to 0..255: "
              + "file-window, window:C/W, preset:NAME, percentile:LOW/HIGH or minmax. Default: the policy recorded in the "
              + "bundle, else the volume's modality default. A policy other than the recorded one is an error.")
  String intensityPolicy;

  @Option(
      names = "--top-slices",
      paramLabel = "N",
      description =
          "Overlays written per volume with --out " + "(highest-scoring slices; default 3).")
  int topSlices = 3;

  @Parameters(
      arity = "1..*",
      paramLabel = "IMAGE",
      description =
          "Image files, DICOM files, DICOM series folders, "
              + "NIfTI files, or folders holding them.")
  List<Path> images;

  @Override
  public Integer call() throws IOException {
    if (saveMaps && out == null) {
      throw new CliException("--save-maps needs --out", MediClipCli.EXIT_USAGE);
    }
    bundle.validate();
    VolumeScoring scoringRule;
    IntensityPolicy policy;
    try {
      scoringRule = VolumeScoring.parse(volumeScoring);
      policy = intensityPolicy == null ? null : IntensityPolicy.parse(intensityPolicy);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), MediClipCli.EXIT_USAGE);
    }
    if (topSlices < 0) {
      throw new CliException("--top-slices must be >= 0, got " + topSlices, MediClipCli.EXIT_USAGE);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (out != null) {
      checkOut(out, images);
    }
    Set<Path> volumes = new HashSet<>();
    List<Path> files = expand(images, err, volumes);
    if (files.isEmpty()) {
      throw new CliException("no image files found in " + images);
    }
    if (out != null) {
      Files.createDirectories(out);
    }
    int failed = 0;
    Set<String> usedNames = new HashSet<>();
    try (MediClipDetector detector = bundle.load()) {
      for (Path f : files) {
        Map<String, Object> o = Json.object();
        o.put("path", f.toString());
        try {
          if (volumes.contains(f)) {
            scoreVolume(detector, f, policy, scoringRule, o, usedNames);
            stdout.println(Json.line(o));
            stdout.flush();
            continue;
          }
          ImageIo.Decoded decoded = ImageIo.readWithWarnings(f);
          if (!decoded.warnings().isEmpty()) {
            String w = String.join("; ", decoded.warnings());
            o.put(
                "warning",
                "the decoder reported: "
                    + w
                    + " (the image may be truncated or corrupt;"
                    + " its score is not reliable)");
            err.println("mediclip: warning: " + f + ": the decoder reported: " + w);
          }
          Prediction p = detector.predict(decoded.image());
          o.put("score", p.score());
          o.put("normalized_score", p.normalizedScore());
          o.put("anomalous", p.anomalous());
          if (out != null) {
            String name = uniqueName(f.getFileName().toString(), usedNames);
            Path png = out.resolve(name + ".overlay.png");
            writeNew(png, png(p.overlay(decoded.image())));
            o.put("heatmap", png.toString());
            if (saveMaps) {
              Path npy = out.resolve(name + ".map.npy");
              writeNew(
                  npy,
                  NpyWriter.bytes(
                      p.anomalyMap().width(), p.anomalyMap().height(), p.anomalyMap().toArray()));
              o.put("map", npy.toString());
            }
          }
        } catch (RuntimeException | OutOfMemoryError e) {
          // one bad image never ends the run: report it and go on with the next one
          failed++;
          o.put(
              "error",
              e instanceof OutOfMemoryError
                  ? "out of memory while scoring this image; give Java more heap (-Xmx)"
                  : MediClipCli.oneLine(e));
        }
        stdout.println(Json.line(o));
        stdout.flush();
      }
    }
    if (failed > 0) {
      throw new CliException(
          String.format(
              Locale.ROOT,
              "%d of %d images could not be scored (see the " + "\"error\" lines)",
              failed,
              files.size()));
    }
    err.flush();
    return MediClipCli.EXIT_OK;
  }

  /**
   * Refuses an output folder that equals, contains or lies inside an input (overlays would replace
   * or be read as images), or that exists as a file.
   */
  static void checkOut(Path out, List<Path> inputs) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new CliException("--out " + out + " is a file; give a folder for the overlays");
    }
    for (Path in : inputs) {
      // a folder input: out may be neither the folder, nor inside it, nor around it; a file: out
      // must not hold it
      if (Files.isDirectory(in)
          ? OutputFolders.overlaps(out, in)
          : OutputFolders.isInside(in, out)) {
        throw new CliException(
            "--out "
                + out
                + " overlaps the input "
                + in
                + "; overlays must never replace"
                + " or mix with the images being scored. Choose a folder outside the inputs");
      }
    }
  }

  /** Scores one volume into {@code o}; overlays (and maps) of the top slices go to --out. */
  private void scoreVolume(
      MediClipDetector detector,
      Path f,
      IntensityPolicy policy,
      VolumeScoring rule,
      Map<String, Object> o,
      Set<String> usedNames)
      throws IOException {
    MedicalVolume v = MedicalImages.read(f);
    IntensityPolicy p = policy != null ? policy : detector.defaultPolicy(v);
    VolumePrediction vp = detector.predictVolume(v, p, rule);
    o.put("format", v.metadata().format());
    o.put("slices", v.slices());
    o.put("score", vp.score());
    o.put("scoring", vp.scoring());
    o.put("intensity_policy", vp.intensityPolicy());
    o.put("normalized_score", detector.operatingPoint().normalizeImageScore(vp.score()));
    o.put("anomalous", detector.operatingPoint().isAnomalous(vp.score()));
    List<Double> sliceScores = new ArrayList<>();
    for (Prediction sp : vp.slices()) {
      sliceScores.add(sp.score());
    }
    o.put("slice_scores", sliceScores);
    List<Integer> top = vp.topSlices(Math.min(topSlices, v.slices()));
    o.put("top_slices", top);
    if (out != null && !top.isEmpty()) {
      String name = uniqueName(f.getFileName().toString(), usedNames);
      List<String> overlays = new ArrayList<>();
      List<String> maps = new ArrayList<>();
      for (int k : top) {
        Prediction sp = vp.slices().get(k);
        Path png = out.resolve(name + ".slice" + k + ".overlay.png");
        writeNew(png, png(sp.overlay(vp.images().get(k).toBufferedImage())));
        overlays.add(png.toString());
        if (saveMaps) {
          Path npy = out.resolve(name + ".slice" + k + ".map.npy");
          writeNew(
              npy,
              NpyWriter.bytes(
                  sp.anomalyMap().width(), sp.anomalyMap().height(), sp.anomalyMap().toArray()));
          maps.add(npy.toString());
        }
      }
      o.put("heatmaps", overlays);
      if (saveMaps) {
        o.put("maps", maps);
      }
    }
  }

  /** Encodes a PNG in memory (no ImageIO cache file in the temp folder). */
  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(bytes)) {
      if (!ImageIO.write(image, "png", ios)) {
        throw new IOException("no PNG writer available");
      }
    }
    return bytes.toByteArray();
  }

  /**
   * Creates a new file with the given content; never replaces an existing file (O_EXCL), and
   * removes what it created when writing fails.
   */
  static void writeNew(Path file, byte[] content) {
    OutputStream os;
    try {
      os = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw new CliException(
          file
              + " already exists and was not written by this run; it is left as it is."
              + " Use a new or empty --out folder");
    } catch (IOException e) {
      throw new CliException("cannot create " + file + ": " + e.getMessage());
    }
    try (os) {
      os.write(content);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // reported below
      }
      throw new CliException("cannot write " + file + ": " + e.getMessage());
    }
  }

  private static String uniqueName(String fileName, Set<String> used) {
    String name = fileName;
    for (int i = 2; !used.add(name); i++) {
      name = fileName + "-" + i;
    }
    return name;
  }

  /**
   * Files as given, folders expanded to their image files (sorted, recursive). Nothing is left out
   * silently: other files, named pipes, devices and broken links found in folders are reported on
   * {@code err}, one line each, and never opened; a path given explicitly that is not a regular
   * file stays in the list, so that it gets its own "error" line without being opened.
   */
  static List<Path> expand(List<Path> args, PrintWriter err, Set<Path> volumes) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path a : args) {
      if (Files.isDirectory(a)) {
        List<Path> series = new ArrayList<>();
        List<Path> all;
        try (Stream<Path> s = Files.walk(a)) {
          List<Path> walked = s.sorted().toList();
          for (Path d : walked) {
            if (Files.isDirectory(d) && MedicalImages.isSupported(d)) {
              series.add(d); // a DICOM series folder: one volume, its files are not images
            }
          }
          all =
              walked.stream()
                  .filter(p -> !Files.isDirectory(p))
                  .filter(p -> !series.contains(p.getParent()))
                  .toList();
        }
        int before = files.size();
        for (Path d : series) {
          files.add(d);
          volumes.add(d);
        }
        for (Path p : all) {
          String notFile = ImageIo.notAFile(p);
          if (notFile != null) {
            err.println("mediclip: skipped: " + p + ": " + notFile);
          } else if (looksLikeImage(p)) {
            files.add(p);
          } else if (MedicalImages.isSupported(p)) {
            files.add(p); // a NIfTI file (DICOM files are in series folders)
            volumes.add(p);
          } else {
            err.println(
                "mediclip: skipped: "
                    + p
                    + ": not an image file name (extensions: "
                    + String.join(", ", new java.util.TreeSet<>(IMAGE_EXT))
                    + ")");
          }
        }
        if (files.size() == before) {
          err.println("mediclip: skipped: " + a + ": folder holds no image files");
        }
      } else {
        if (Files.isRegularFile(a) && !looksLikeImage(a) && MedicalImages.isSupported(a)) {
          volumes.add(a); // a DICOM or NIfTI file, recognised by content
        }
        files.add(a); // missing, unreadable or non-regular files are reported per image
      }
    }
    err.flush();
    return files;
  }

  static boolean looksLikeImage(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 && IMAGE_EXT.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
