package io.github.mediclip.cli;

import io.github.mediclip.internal.AtomicFiles;
import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesizedSample;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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

/** {@code mediclip synth-preview}: a PNG grid of synthesized anomalies and their masks. */
@Command(
    name = "synth-preview",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a PNG grid: the first row shows n synthesized anomalies of one task applied to the "
          + "image (resized to S x S, grayscale), the second row their masks (white = anomalous). Prints one "
          + "JSON line with the file and the mask area of each sample."
    })
final class SynthPreviewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--image",
      required = true,
      description = "A normal image (any format ImageIO reads).")
  Path image;

  @Option(
      names = "--support",
      arity = "1..*",
      description =
          "Other normal images that tasks such as CutpasteTask "
              + "copy from (default: the image itself).")
  List<Path> support;

  @Option(
      names = "--task",
      required = true,
      description = "Synthesizer name, 'mixture', or a mixture spec.")
  String task;

  @Option(
      names = "--n",
      defaultValue = "8",
      description = "Number of samples (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(
      names = "--size",
      defaultValue = "224",
      description = "Image size S (default: ${DEFAULT-VALUE}).")
  int size;

  @Mixin SeedOption seed;

  @Option(names = "--out", required = true, description = "PNG file to write.")
  Path out;

  /** Refuses an --out that cannot be a PNG file we write, before any work. */
  static void checkWritable(Path out) {
    if (Files.isDirectory(out)) {
      throw new CliException("--out " + out + " is a folder; give the PNG file to write");
    }
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS)) {
      throw new CliException(
          "--out " + out + " exists and is not a regular file; choose another name");
    }
    Path parent = out.toAbsolutePath().getParent();
    for (Path p = parent; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new CliException(
              "cannot write --out " + out + ": " + p + " is a file, not a folder");
        }
        if (!Files.isWritable(p) && p.equals(parent)) {
          throw new CliException(
              "cannot write --out " + out + ": folder " + p + " is not writable");
        }
        break;
      }
    }
  }

  /**
   * Writes the PNG to a hidden temporary sibling, then moves it over {@code out}; nothing is left
   * on failure.
   */
  static void writeAtomically(Path out, BufferedImage image) {
    try {
      AtomicFiles.writePng(out.toAbsolutePath(), image);
    } catch (UncheckedIOException e) {
      throw new CliException(
          "cannot write --out " + out + ": " + MediClipCli.oneLine(e.getCause()));
    }
  }

  @Override
  public Integer call() throws IOException {
    Check.range("--n", n, 1, 64);
    Check.range("--size", size, 8, 2048);
    AnomalySynthesizer synth = Synth.create(task);
    checkWritable(out);
    GrayImage normal = GrayImage.read(image).resize(size, size);
    List<GrayImage> sup = new ArrayList<>();
    if (support == null || support.isEmpty()) {
      sup.add(normal);
    } else {
      for (Path p : support) {
        sup.add(GrayImage.read(p).resize(size, size));
      }
    }
    int gap = 4;
    BufferedImage grid =
        new BufferedImage(
            n * (size + gap) + gap, 2 * (size + gap) + gap, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    g.setColor(new Color(40, 40, 48));
    g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
    SplittableRandom root = new SplittableRandom(seed.value);
    List<Double> areas = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SynthesizedSample s = synth.synthesize(normal, root.split(), sup);
      areas.add(s.maskArea());
      int x = gap + i * (size + gap);
      g.drawImage(s.image().toBufferedImage(), x, gap, null);
      float[] m = s.mask().toArray();
      for (int j = 0; j < m.length; j++) {
        m[j] *= 255f;
      }
      g.drawImage(GrayImage.of(size, size, m).toBufferedImage(), x, 2 * gap + size, null);
    }
    g.dispose();
    writeAtomically(out, grid);
    Map<String, Object> o = Json.object();
    o.put("out", out.toString());
    o.put("task", task);
    o.put("n", n);
    o.put("mask_areas", areas);
    spec.commandLine().getOut().println(Json.line(o));
    return MediClipCli.EXIT_OK;
  }
}
