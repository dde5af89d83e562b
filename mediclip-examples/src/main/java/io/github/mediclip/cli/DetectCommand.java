package io.github.mediclip.cli;

import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip detect}: scores images with a trained bundle. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Scores images with a detector bundle and prints one JSON line per image: path, score (raw "
                + "image score = max of the anomaly map), normalized_score, anomalous; or path and error when the "
                + "image cannot be scored (the run goes on and exits with 1 at the end). Folders are searched "
                + "recursively for image files. With --out, a heat-map overlay PNG per image is written there "
                + "(and with --save-maps the raw anomaly map as float32 .npy, for 'mediclip metrics')."})
final class DetectCommand implements Callable<Integer> {
    private static final Set<String> IMAGE_EXT = Set.of("png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif", "pgm",
            "pnm", "ppm", "wbmp");

    @Spec CommandSpec spec;

    @Mixin DetectorOptions bundle;

    @Option(names = "--out", description = "Folder for heat-map PNGs.")
    Path out;

    @Option(names = "--save-maps", description = "Also write each anomaly map as <name>.npy (float32) to --out.")
    boolean saveMaps;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders.")
    List<Path> images;

    @Override
    public Integer call() throws IOException {
        if (saveMaps && out == null) {
            throw new CliException("--save-maps needs --out", MediClipCli.EXIT_USAGE);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> files = expand(images, err);
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
                    Prediction p = detector.predict(f);
                    o.put("score", p.score());
                    o.put("normalized_score", p.normalizedScore());
                    o.put("anomalous", p.anomalous());
                    if (out != null) {
                        String name = uniqueName(MapFiles.stem(f.getFileName().toString()), usedNames);
                        Path png = out.resolve(name + ".png");
                        p.writeOverlayPng(io.github.mediclip.clip.ImagePreprocessor.read(f), png);
                        o.put("heatmap", png.toString());
                        if (saveMaps) {
                            Path npy = out.resolve(name + ".npy");
                            NpyWriter.write(npy, p.anomalyMap().width(), p.anomalyMap().height(),
                                    p.anomalyMap().toArray());
                            o.put("map", npy.toString());
                        }
                    }
                } catch (RuntimeException e) {
                    failed++;
                    o.put("error", MediClipCli.oneLine(e));
                }
                stdout.println(Json.line(o));
                stdout.flush();
            }
        }
        if (failed > 0) {
            throw new CliException(String.format(Locale.ROOT, "%d of %d images could not be scored (see the "
                    + "\"error\" lines)", failed, files.size()));
        }
        err.flush();
        return MediClipCli.EXIT_OK;
    }

    private static String uniqueName(String stem, Set<String> used) {
        String name = stem;
        for (int i = 2; !used.add(name); i++) {
            name = stem + "-" + i;
        }
        return name;
    }

    /**
     * Files as given, folders expanded to their image files (sorted, recursive); other files found in folders
     * are reported on {@code err}, one line each, so that nothing is left out silently.
     */
    static List<Path> expand(List<Path> args, PrintWriter err) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path a : args) {
            if (Files.isDirectory(a)) {
                List<Path> all;
                try (Stream<Path> s = Files.walk(a)) {
                    all = s.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path p : all) {
                    if (looksLikeImage(p)) {
                        files.add(p);
                    } else {
                        err.println("mediclip: skipped: " + p + ": not an image file name (extensions: "
                                + String.join(", ", new java.util.TreeSet<>(IMAGE_EXT)) + ")");
                    }
                }
            } else {
                files.add(a); // missing or unreadable files are reported per image
            }
        }
        return files;
    }

    static boolean looksLikeImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && IMAGE_EXT.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
