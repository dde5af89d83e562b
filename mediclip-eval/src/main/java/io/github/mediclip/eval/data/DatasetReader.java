package io.github.mediclip.eval.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.synth.internal.ImageIo;
import io.github.mediclip.train.LabeledImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

// Why this class is long (~620 lines): three dataset layouts share the options, the natural-order
// listing and the collect-every-problem reporting (the nested Context, ~160 lines); split by
// layout, each part would need that context passed around.
/**
 * Reads anomaly-detection datasets in the {@link Layout MediCLIP, MVTec-AD-like and plain layouts}.
 *
 * <p>Files are listed in natural order (numbers compared numerically) so that the sample order, and
 * therefore k-shot sampling, does not depend on the file system. Hidden files (starting with {@code
 * .}) are ignored; every other file in an image folder must be a readable image. Unreadable images
 * and missing masks are never dropped silently: by default all problems are collected and reported
 * together in one {@link DatasetException} naming each path; with {@link Options#skipUnreadable()}
 * the unreadable images are skipped (and a sample whose mask is missing keeps a {@code null} mask),
 * each with a warning.
 *
 * <p>Masks: {@code ground_truth/<defect>/<name>_mask.<ext>} (MVTec); {@code
 * ground_truth/abnormal/<name>.<ext>} or {@code <name>_mask.<ext>} (plain); the {@code mask} field
 * relative to {@code images/} (MediCLIP).
 */
public final class DatasetReader {

  private static final System.Logger LOG = System.getLogger(DatasetReader.class.getName());

  private DatasetReader() {}

  /** How strictly files are checked and what happens to unreadable ones. */
  public static final class Options {
    private final boolean skipUnreadable;
    private final boolean decode;
    private final Consumer<String> warnings;
    private final boolean outsideRoot;
    private final boolean trainListedOnly;

    private Options(
        boolean skipUnreadable, boolean decode, Consumer<String> warnings, boolean outsideRoot) {
      this(skipUnreadable, decode, warnings, outsideRoot, false);
    }

    private Options(
        boolean skipUnreadable,
        boolean decode,
        Consumer<String> warnings,
        boolean outsideRoot,
        boolean trainListedOnly) {
      this.skipUnreadable = skipUnreadable;
      this.decode = decode;
      this.warnings = warnings;
      this.outsideRoot = outsideRoot;
      this.trainListedOnly = trainListedOnly;
    }

    /**
     * Returns options that only list the training images instead of opening them: a training entry
     * must be a regular, readable file, but its header is not read (the k-shot protocol reads only
     * the k shots it draws from the training split, and checks those itself). Test images and masks
     * are checked as before.
     *
     * @param listedOnly whether to leave the training images unopened
     * @return new options
     */
    public Options withTrainListedOnly(boolean listedOnly) {
      return new Options(skipUnreadable, decode, warnings, outsideRoot, listedOnly);
    }

    /**
     * Returns options that accept MediCLIP sample lists whose {@code filename} or {@code mask}
     * points outside the dataset folder (an absolute path, or {@code ..} leading out). By default
     * such an entry is refused, naming the list, the line and the field.
     *
     * @param allow whether to accept paths outside the dataset folder
     * @return new options
     */
    public Options withPathsOutsideRoot(boolean allow) {
      return new Options(skipUnreadable, decode, warnings, allow, trainListedOnly);
    }

    /**
     * The default: image headers are checked, every problem is collected, then the read fails.
     *
     * @return the default options (check image headers, collect every problem, then fail)
     */
    public static Options strict() {
      return new Options(false, false, null, false);
    }

    /**
     * Unreadable images are skipped and missing masks left out, each with a warning (logged).
     *
     * @return options that skip unreadable images and leave out missing masks, with a warning for
     *     each
     */
    public static Options skipUnreadable() {
      return new Options(true, false, null, false);
    }

    /**
     * Returns options that decode every image fully instead of reading its header only (slower, but
     * also finds truncated files).
     *
     * @param decode whether to decode fully
     * @return new options
     */
    public Options withFullDecode(boolean decode) {
      return new Options(skipUnreadable, decode, warnings, outsideRoot, trainListedOnly);
    }

    /**
     * Returns options that send warnings to {@code sink} instead of the logger.
     *
     * @param sink receives one line per skipped file
     * @return new options
     */
    public Options withWarnings(Consumer<String> sink) {
      return new Options(
          skipUnreadable,
          decode,
          Objects.requireNonNull(sink, "sink"),
          outsideRoot,
          trainListedOnly);
    }
  }

  /**
   * Reads a dataset strictly.
   *
   * @param root the dataset folder
   * @param layout the layout, or {@link Layout#AUTO}
   * @return the dataset
   * @throws DatasetException listing every unreadable or missing file
   */
  public static Dataset read(Path root, Layout layout) {
    return read(root, layout, Options.strict());
  }

  /**
   * Reads a dataset.
   *
   * @param root the dataset folder
   * @param layout the layout, or {@link Layout#AUTO}
   * @param options strictness
   * @return the dataset
   * @throws DatasetException listing every problem (in skip mode: only problems that make the
   *     dataset unusable, such as a missing folder or an unreadable sample list)
   */
  public static Dataset read(Path root, Layout layout, Options options) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(options, "options");
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(
          "dataset folder " + root + " does not exist or is not a folder");
    }
    Layout resolved = layout == Layout.AUTO ? detect(root) : layout;
    Context ctx = new Context(root, resolved, options);
    Dataset dataset;
    switch (resolved) {
      case MEDICLIP:
        dataset = readMediClip(ctx);
        break;
      case MVTEC:
        dataset = readFolders(ctx, "good", true);
        break;
      case PLAIN:
        dataset = readFolders(ctx, "normal", false);
        break;
      default:
        throw new AssertionError(resolved);
    }
    ctx.finish();
    return dataset;
  }

  /**
   * Detects the layout of a folder.
   *
   * @param root the dataset folder
   * @return MEDICLIP, MVTEC or PLAIN
   * @throws IllegalArgumentException if none matches, saying what was looked for
   */
  public static Layout detect(Path root) {
    if (Files.isRegularFile(root.resolve("samples").resolve("train.json"))) {
      return Layout.MEDICLIP;
    }
    if (Files.isDirectory(root.resolve("train").resolve("good"))) {
      return Layout.MVTEC;
    }
    if (Files.isDirectory(root.resolve("train").resolve("normal"))) {
      return Layout.PLAIN;
    }
    throw new IllegalArgumentException(
        "cannot detect the layout of "
            + root
            + ": found none of samples/train.json"
            + " (MEDICLIP), train/good (MVTEC), train/normal (PLAIN)");
  }

  // ------------------------------------------------------------------ folder layouts

  private static Dataset readFolders(Context ctx, String normalName, boolean mvtec) {
    Path root = ctx.root;
    Path trainDir = root.resolve("train").resolve(normalName);
    Path testDir = root.resolve("test");
    List<LabeledImage> train = new ArrayList<>();
    List<LabeledImage> test = new ArrayList<>();
    if (!Files.isDirectory(trainDir)) {
      ctx.fatal(trainDir, "folder of normal training images is missing");
    } else {
      for (Path p : ctx.list(trainDir)) {
        ctx.trainImage(p).ifPresent(ok -> train.add(LabeledImage.ofFile(p, false, null)));
      }
      if (train.isEmpty()) {
        ctx.fatal(trainDir, "holds no readable image");
      }
    }
    if (!Files.isDirectory(testDir)) {
      ctx.fatal(testDir, "test folder is missing");
      return new Dataset(root.getFileName().toString(), train, test);
    }
    List<String> anomalousDirs = new ArrayList<>();
    if (mvtec) {
      for (Path d : ctx.list(testDir)) {
        if (Files.isDirectory(d) && !d.getFileName().toString().equals(normalName)) {
          anomalousDirs.add(d.getFileName().toString());
        } else if (!Files.isDirectory(d)) {
          ctx.problem(d, "unexpected file in test/ (expected only folders good/ and <defect>/)");
        }
      }
    } else {
      anomalousDirs.add("abnormal");
    }
    Path normalTest = testDir.resolve(normalName);
    if (!Files.isDirectory(normalTest)) {
      ctx.fatal(normalTest, "folder of normal test images is missing");
    } else {
      for (Path p : ctx.list(normalTest)) {
        ctx.image(p).ifPresent(ok -> test.add(LabeledImage.ofFile(p, false, null)));
      }
    }
    if (!mvtec && !Files.isDirectory(testDir.resolve("abnormal"))) {
      ctx.fatal(testDir.resolve("abnormal"), "folder of anomalous test images is missing");
      anomalousDirs.clear();
    }
    for (String defect : anomalousDirs) {
      Path dir = testDir.resolve(defect);
      Path gtDir = root.resolve("ground_truth").resolve(defect);
      boolean hasMasks = Files.isDirectory(gtDir);
      List<Path> maskFiles = hasMasks ? ctx.list(gtDir) : List.of();
      for (Path p : ctx.list(dir)) {
        if (ctx.image(p).isEmpty()) {
          continue;
        }
        Path mask = null;
        if (hasMasks) {
          mask = findMask(p, maskFiles, mvtec);
          if (mask == null) {
            ctx.maskProblem(
                p,
                "no mask in "
                    + gtDir
                    + " (expected "
                    + stem(p)
                    + (mvtec ? "_mask" : "")
                    + ".<ext>)");
          } else if (ctx.mask(mask).isEmpty()) {
            mask = null;
          }
        }
        test.add(LabeledImage.ofFile(p, true, mask));
      }
    }
    return new Dataset(root.getFileName().toString(), train, test);
  }

  private static Path findMask(Path image, List<Path> maskFiles, boolean mvtec) {
    String stem = stem(image);
    Path fallback = null;
    for (Path m : maskFiles) {
      String ms = stem(m);
      if (ms.equals(stem + "_mask")) {
        return m;
      }
      if (!mvtec && ms.equals(stem)) {
        fallback = m;
      }
    }
    return fallback;
  }

  private static String stem(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  // ------------------------------------------------------------------ MediCLIP layout

  private static Dataset readMediClip(Context ctx) {
    Path images = ctx.root.resolve("images");
    Set<String> classes = new LinkedHashSet<>();
    List<LabeledImage> train =
        readJsonLines(
            ctx, ctx.root.resolve("samples").resolve("train.json"), images, classes, true);
    List<LabeledImage> test =
        readJsonLines(
            ctx, ctx.root.resolve("samples").resolve("test.json"), images, classes, false);
    String name =
        classes.size() == 1 ? classes.iterator().next() : ctx.root.getFileName().toString();
    return new Dataset(name, train, test);
  }

  private static List<LabeledImage> readJsonLines(
      Context ctx, Path file, Path images, Set<String> classes, boolean train) {
    List<LabeledImage> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      ctx.fatal(file, "sample list is missing");
      return out;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String where = "line " + number;
        JsonObject obj;
        try {
          JsonElement e = JsonParser.parseString(line);
          if (!e.isJsonObject()) {
            ctx.fatal(file, where + " is not a JSON object");
            continue;
          }
          obj = e.getAsJsonObject();
        } catch (RuntimeException e) {
          // one line, naming the list and the line; never the line's content
          ctx.fatal(file, where + " is not valid JSON (" + firstLine(e.getMessage()) + ")");
          continue;
        }
        if (!obj.has("filename") || !obj.get("filename").isJsonPrimitive()) {
          ctx.fatal(file, where + " has no \"filename\"");
          continue;
        }
        int label = 0;
        if (obj.has("label")) {
          try {
            label = obj.get("label").getAsInt();
          } catch (RuntimeException e) {
            label = -1;
          }
          if (label != 0 && label != 1) {
            ctx.fatal(file, where + " has label " + obj.get("label") + "; it must be 0 or 1");
            continue;
          }
        } else if (!train) {
          ctx.fatal(file, where + " has no \"label\"");
          continue;
        }
        if (train && label != 0) {
          ctx.fatal(
              file,
              where
                  + " is an anomalous image in the training list; few-shot training uses normal"
                  + " images only");
          continue;
        }
        if (obj.has("clsname") && obj.get("clsname").isJsonPrimitive()) {
          classes.add(obj.get("clsname").getAsString());
        }
        Path image = ctx.inside(file, where, "filename", images, obj.get("filename").getAsString());
        if (image == null || (train ? ctx.trainImage(image) : ctx.image(image)).isEmpty()) {
          continue;
        }
        Path mask = null;
        JsonElement m = obj.get("mask");
        if (m != null && m.isJsonPrimitive() && !m.getAsString().isEmpty()) {
          mask = ctx.inside(file, where, "mask", images, m.getAsString());
          if (mask == null) {
            continue;
          }
          if (ctx.mask(mask).isEmpty()) {
            mask = null;
          }
        }
        out.add(LabeledImage.ofFile(image, label == 1, mask));
      }
    } catch (IOException e) {
      ctx.fatal(file, "cannot read: " + e.getMessage());
    }
    return out;
  }

  // ------------------------------------------------------------------ problem collection

  private static final class Context {
    final Path root;
    final Layout layout;
    final Options options;
    final List<DatasetProblem> problems = new ArrayList<>();
    final List<DatasetProblem> fatal = new ArrayList<>();

    Context(Path root, Layout layout, Options options) {
      this.root = root;
      this.layout = layout;
      this.options = options;
    }

    /**
     * Resolves a path of a sample list against the images folder; a path leading outside the
     * dataset folder is refused (a fatal problem naming the list, line and field, never the
     * target's content) unless allowed.
     */
    Path inside(Path list, String where, String field, Path images, String value) {
      Path resolved;
      try {
        resolved = images.resolve(value).normalize();
      } catch (java.nio.file.InvalidPathException e) {
        fatal(list, where + ": field \"" + field + "\" is not a valid path");
        return null;
      }
      if (!options.outsideRoot) {
        Path rootAbs = root.toAbsolutePath().normalize();
        boolean outside =
            java.nio.file.Paths.get(value).isAbsolute()
                || !resolved.toAbsolutePath().normalize().startsWith(rootAbs)
                || (Files.exists(resolved) && !realInside(resolved, rootAbs));
        if (outside) {
          fatal(
              list,
              where
                  + ": field \""
                  + field
                  + "\" points outside the dataset folder "
                  + root
                  + " (absolute path, '..' or a link leading out); refused. Allow it explicitly if it is meant"
                  + " (CLI: --allow-paths-outside-data)");
          return null;
        }
      }
      return resolved;
    }

    private static boolean realInside(Path p, Path rootAbs) {
      try {
        return p.toRealPath().startsWith(rootAbs.toRealPath());
      } catch (IOException e) {
        return true; // unreadable targets are reported by the image check
      }
    }

    List<Path> list(Path dir) {
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(p -> !p.getFileName().toString().startsWith("."))
            .sorted(
                Comparator.comparing(
                    p -> p.getFileName().toString(), DatasetReader::naturalCompare))
            .toList();
      } catch (IOException e) {
        fatal(dir, "cannot list folder: " + e.getMessage());
        return List.of();
      }
    }

    /** Returns an empty Optional when the image cannot be used (after recording or warning). */
    java.util.Optional<Path> image(Path p) {
      if (Files.isDirectory(p)) {
        problem(p, "unexpected folder among the images");
        return java.util.Optional.empty();
      }
      String reason = ImageFiles.problem(p, options.decode);
      if (reason != null) {
        problem(p, reason);
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(p);
    }

    /**
     * A training image: checked like any image, or (with trainListedOnly) only listed, never
     * opened.
     */
    java.util.Optional<Path> trainImage(Path p) {
      if (!options.trainListedOnly) {
        return image(p);
      }
      if (Files.isDirectory(p)) {
        problem(p, "unexpected folder among the images");
        return java.util.Optional.empty();
      }
      String reason = ImageIo.notAFile(p);
      if (reason != null) {
        problem(p, reason);
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(p);
    }

    java.util.Optional<Path> mask(Path p) {
      String reason = ImageFiles.problem(p, options.decode);
      if (reason != null) {
        maskProblem(p, "mask " + reason);
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(p);
    }

    void problem(Path p, String reason) {
      problem(p, reason, "skipping ");
    }

    void maskProblem(Path p, String reason) {
      problem(p, reason, "keeping the image without mask: ");
    }

    /**
     * Collects the problem, or (when skipping unreadable files) only warns, saying what is done
     * instead.
     */
    private void problem(Path p, String reason, String whenSkipped) {
      DatasetProblem problem = new DatasetProblem(p, reason);
      if (options.skipUnreadable) {
        warn(whenSkipped + problem);
      } else {
        problems.add(problem);
      }
    }

    void fatal(Path p, String reason) {
      fatal.add(new DatasetProblem(p, reason));
    }

    /**
     * To the sink when one is set (the CLI prints its own line; logging too would print it twice),
     * else logged.
     */
    void warn(String message) {
      if (options.warnings != null) {
        options.warnings.accept(message);
      } else {
        LOG.log(System.Logger.Level.WARNING, message);
      }
    }

    void finish() {
      List<DatasetProblem> all = new ArrayList<>(fatal);
      all.addAll(problems);
      if (!all.isEmpty()) {
        throw new DatasetException(root, layout, all);
      }
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed";
    }
    String first = message.strip().split("\\R", 2)[0];
    return first
        .replaceAll("\\s*See https?://\\S+", "")
        .replaceFirst("^([\\w$]+\\.)+[\\w$]*Exception: ", "")
        .trim();
  }

  /**
   * Natural order: digit runs compare numerically, the rest case-sensitively, ties by plain string
   * order.
   */
  static int naturalCompare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        int c =
            na.length() != nb.length()
                ? Integer.compare(na.length(), nb.length())
                : na.compareTo(nb);
        if (c != 0) {
          return c;
        }
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    int c = Integer.compare(a.length() - i, b.length() - j);
    return c != 0 ? c : a.compareTo(b);
  }
}
