package io.github.mediclip.cli;

import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.eval.internal.OutputFolders;
import io.github.mediclip.synth.internal.ImageIo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardOpenOption;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
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
                + "recursively for image files. With --out, a heat-map overlay <file name>.overlay.png per "
                + "image is written there (and with --save-maps the raw anomaly map as <file name>.map.npy, float32, "
                + "for 'mediclip metrics'); existing files are never replaced, and --out must not overlap the "
                + "inputs."})
final class DetectCommand implements Callable<Integer> {
    private static final Set<String> IMAGE_EXT = Set.of("png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif", "pgm",
            "pnm", "ppm", "wbmp");

    @Spec CommandSpec spec;

    @Mixin DetectorOptions bundle;

    @Option(names = "--out", description = "Folder for heat-map PNGs.")
    Path out;

    @Option(names = "--save-maps", description = "Also write each anomaly map as <file name>.map.npy (float32) to "
            + "--out.")
    boolean saveMaps;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders.")
    List<Path> images;

    @Override
    public Integer call() throws IOException {
        if (saveMaps && out == null) {
            throw new CliException("--save-maps needs --out", MediClipCli.EXIT_USAGE);
        }
        bundle.validate();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (out != null) {
            checkOut(out, images);
        }
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
                    ImageIo.Decoded decoded = ImageIo.readWithWarnings(f);
                    if (!decoded.warnings().isEmpty()) {
                        String w = String.join("; ", decoded.warnings());
                        o.put("warning", "the decoder reported: " + w + " (the image may be truncated or corrupt;"
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
                            writeNew(npy, NpyWriter.bytes(p.anomalyMap().width(), p.anomalyMap().height(),
                                    p.anomalyMap().toArray()));
                            o.put("map", npy.toString());
                        }
                    }
                } catch (RuntimeException | OutOfMemoryError e) {
                    // one bad image never ends the run: report it and go on with the next one
                    failed++;
                    o.put("error", e instanceof OutOfMemoryError
                            ? "out of memory while scoring this image; give Java more heap (-Xmx)"
                            : MediClipCli.oneLine(e));
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

    /**
     * Refuses an output folder that equals, contains or lies inside an input (overlays would replace or be read as
     * images), or that exists as a file.
     */
    static void checkOut(Path out, List<Path> inputs) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CliException("--out " + out + " is a file; give a folder for the overlays");
        }
        for (Path in : inputs) {
            // a folder input: out may be neither the folder, nor inside it, nor around it; a file: out must not hold it
            if (Files.isDirectory(in) ? OutputFolders.overlaps(out, in) : OutputFolders.isInside(in, out)) {
                throw new CliException("--out " + out + " overlaps the input " + in + "; overlays must never replace"
                        + " or mix with the images being scored. Choose a folder outside the inputs");
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
     * Creates a new file with the given content; never replaces an existing file (O_EXCL), and removes what it
     * created when writing fails.
     */
    static void writeNew(Path file, byte[] content) {
        OutputStream os;
        try {
            os = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new CliException(file + " already exists and was not written by this run; it is left as it is."
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
     * Files as given, folders expanded to their image files (sorted, recursive). Nothing is left out silently:
     * other files, named pipes, devices and broken links found in folders are reported on {@code err}, one line
     * each, and never opened; a path given explicitly that is not a regular file stays in the list, so that it
     * gets its own "error" line without being opened.
     */
    static List<Path> expand(List<Path> args, PrintWriter err) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path a : args) {
            if (Files.isDirectory(a)) {
                List<Path> all;
                try (Stream<Path> s = Files.walk(a)) {
                    all = s.filter(p -> !Files.isDirectory(p)).sorted().toList();
                }
                int before = files.size();
                for (Path p : all) {
                    String notFile = ImageIo.notAFile(p);
                    if (notFile != null) {
                        err.println("mediclip: skipped: " + p + ": " + notFile);
                    } else if (looksLikeImage(p)) {
                        files.add(p);
                    } else {
                        err.println("mediclip: skipped: " + p + ": not an image file name (extensions: "
                                + String.join(", ", new java.util.TreeSet<>(IMAGE_EXT)) + ")");
                    }
                }
                if (files.size() == before) {
                    err.println("mediclip: skipped: " + a + ": folder holds no image files");
                }
            } else {
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
