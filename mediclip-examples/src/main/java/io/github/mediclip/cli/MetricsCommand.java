package io.github.mediclip.cli;

import io.github.mediclip.eval.metrics.Metrics;
import io.github.mediclip.eval.metrics.PixelMetrics;
import io.github.mediclip.synth.GrayImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mediclip metrics}: image metrics from a scores CSV, pixel metrics from map and mask files.
 */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = {
      "Computes image_auroc, image_ap and image_f1max from a CSV with the columns id,label,score "
          + "(label 0 = normal, 1 = abnormal; a header line is optional; quoted fields and a UTF-8 BOM are accepted; "
          + "each id must appear once) and, with --maps and --masks, "
          + "pixel_auroc, pixel_ap and pixel_aupro (FPR limit 0.3). Maps and masks are PNG (0..255 scaled to "
          + "0..1) or .npy float32 files named like the id (extension optional; masks may end in _mask). "
          + "A mask pixel is anomalous when its 0..1 value exceeds 0.5; a normal image without a mask file "
          + "counts as all-normal. Maps whose size differs from the mask are resized bilinearly. Prints one "
          + "JSON line."
    })
final class MetricsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--scores", required = true, description = "CSV with columns id,label,score.")
  Path scores;

  @Option(names = "--maps", description = "Folder of anomaly maps (PNG or .npy).")
  Path maps;

  @Option(names = "--masks", description = "Folder of ground-truth masks (PNG or .npy).")
  Path masks;

  @Option(
      names = "--fpr-limit",
      defaultValue = "0.3",
      description = "FPR limit of AUPRO (default: ${DEFAULT-VALUE}).")
  double fprLimit;

  record Row(String id, int label, double score) {}

  @Override
  public Integer call() throws IOException {
    if ((maps == null) != (masks == null)) {
      throw new CliException("--maps and --masks go together", MediClipCli.EXIT_USAGE);
    }
    Check.fraction("--fpr-limit", fprLimit);
    List<Row> rows = readCsv(Check.file("--scores", scores));
    double[] s = rows.stream().mapToDouble(Row::score).toArray();
    int[] l = rows.stream().mapToInt(Row::label).toArray();
    Map<String, Object> o = Json.object();
    o.put("n", rows.size());
    o.put("n_abnormal", java.util.Arrays.stream(l).sum());
    o.put("image_auroc", Metrics.auroc(s, l));
    o.put("image_ap", Metrics.averagePrecision(s, l));
    o.put("image_f1max", Metrics.f1Max(s, l));
    if (maps != null) {
      Check.directory("--maps", maps);
      Check.directory("--masks", masks);
      PixelMetrics pm = new PixelMetrics();
      for (Row r : rows) {
        Path mapFile = MapFiles.find(maps, r.id());
        if (mapFile == null) {
          throw new CliException(
              "no anomaly map for id '"
                  + r.id()
                  + "' in "
                  + maps
                  + " (looked for "
                  + MapFiles.stem(r.id())
                  + ".npy/.png/...)");
        }
        GrayImage map = MapFiles.readMap(mapFile);
        Path maskFile = MapFiles.find(masks, r.id());
        int[] wh = {map.width(), map.height()};
        byte[] mask;
        if (maskFile == null) {
          if (r.label() == 1) {
            throw new CliException("no mask for abnormal id '" + r.id() + "' in " + masks);
          }
          mask = new byte[map.width() * map.height()];
        } else {
          mask = MapFiles.readMask(maskFile, wh);
        }
        if (wh[0] != map.width() || wh[1] != map.height()) {
          map = map.resize(wh[0], wh[1]);
        }
        float[] values = map.toArray();
        for (float v : values) {
          if (!Float.isFinite(v)) {
            throw new CliException(
                "anomaly map " + mapFile + " holds a non-finite value (" + v + ")");
          }
        }
        pm.add(values, mask, wh[0], wh[1]);
      }
      o.put("pixel_auroc", pm.auroc());
      o.put("pixel_ap", pm.averagePrecision());
      o.put("pixel_aupro", pm.aupro(fprLimit));
    }
    spec.commandLine().getOut().println(Json.line(o));
    return MediClipCli.EXIT_OK;
  }

  /**
   * Reads id,label,score rows (RFC 4180: fields may be quoted, with {@code ""} for a quote inside;
   * a UTF-8 byte order mark is ignored). A repeated id is an error naming both lines.
   */
  static List<Row> readCsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
      lines.set(0, lines.get(0).substring(1));
    }
    List<Row> rows = new ArrayList<>();
    Map<String, Integer> seen = new java.util.HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> f = fields(line, file, i + 1);
      if (f.size() != 3) {
        throw new CliException(
            String.format(
                Locale.ROOT,
                "%s line %d: expected 3 columns id,label,score, " + "got %d",
                file,
                i + 1,
                f.size()));
      }
      if (rows.isEmpty() && seen.isEmpty() && f.get(1).strip().equalsIgnoreCase("label")) {
        seen.put("", -1); // header seen; "" is never a valid id below
        continue;
      }
      int label;
      double score;
      try {
        label = Integer.parseInt(f.get(1).strip());
        score = Double.parseDouble(f.get(2).strip());
      } catch (NumberFormatException e) {
        throw new CliException(
            String.format(
                Locale.ROOT,
                "%s line %d: label must be 0 or 1 and score a " + "number",
                file,
                i + 1));
      }
      if (label != 0 && label != 1) {
        throw new CliException(
            String.format(
                Locale.ROOT, "%s line %d: label must be 0 or 1, but was %d", file, i + 1, label));
      }
      if (!Double.isFinite(score)) {
        throw new CliException(
            String.format(
                Locale.ROOT,
                "%s line %d: score must be finite, but was %s",
                file,
                i + 1,
                f.get(2).strip()));
      }
      String id = f.get(0).strip();
      if (id.isEmpty()) {
        throw new CliException(
            String.format(Locale.ROOT, "%s line %d: the id is empty", file, i + 1));
      }
      Integer first = seen.putIfAbsent(id, i + 1);
      if (first != null) {
        throw new CliException(
            String.format(
                Locale.ROOT,
                "%s line %d: id '%s' already appeared on line %d;"
                    + " each image must be listed once",
                file,
                i + 1,
                id,
                first));
      }
      rows.add(new Row(id, label, score));
    }
    if (rows.isEmpty()) {
      throw new CliException(file + " holds no rows");
    }
    return rows;
  }

  /** Splits one CSV line into fields; quoted fields may hold commas and doubled quotes. */
  static List<String> fields(String line, Path file, int number) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.toString().isBlank() && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        cur.setLength(0);
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
        wasQuoted = false;
      } else if (wasQuoted && !Character.isWhitespace(c)) {
        throw new CliException(
            String.format(
                Locale.ROOT,
                "%s line %d: text after a closing quote in " + "field %d",
                file,
                number,
                out.size() + 1));
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new CliException(
          String.format(Locale.ROOT, "%s line %d: a quoted field is not closed", file, number));
    }
    out.add(cur.toString());
    return out;
  }
}
