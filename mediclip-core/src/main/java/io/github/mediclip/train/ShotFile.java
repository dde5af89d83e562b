package io.github.mediclip.train;

import io.github.mediclip.internal.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A shot file: the k training images of a run, one path per line in the order drawn, as MVFA and
 * MadCLIP publish theirs. Paths inside the dataset folder are written relative to it with {@code /}
 * separators, so a shot file can be published with the results and used on another machine.
 *
 * <p>Reading ignores blank lines and lines starting with {@code #}; relative paths are resolved
 * against the dataset folder given. Give the list back with {@code MediClip.Builder.optShots(List)}
 * or {@code --shots FILE} to repeat a run exactly.
 */
public final class ShotFile {

  /**
   * The name used next to a detector bundle and in a sweep's {@code shots/} folder ends with this.
   */
  public static final String EXTENSION = ".txt";

  private ShotFile() {}

  /**
   * Writes a shot file atomically (temporary file, then move).
   *
   * @param file the file to write
   * @param root the dataset folder: paths inside it are written relative to it; {@code null} =
   *     write every path as given
   * @param shots the shots, in the order drawn
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void write(Path file, Path root, List<Path> shots) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(shots, "shots");
    StringBuilder text = new StringBuilder();
    Path base = root == null ? null : root.toAbsolutePath().normalize();
    for (Path p : shots) {
      Path abs = p.toAbsolutePath().normalize();
      String line =
          base != null && abs.startsWith(base) ? base.relativize(abs).toString() : p.toString();
      text.append(line.replace('\\', '/')).append('\n');
    }
    try {
      AtomicFiles.writeString(file, text);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(
          "Cannot write shot file " + file + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Reads a shot file.
   *
   * @param file the shot file
   * @param root the folder that relative paths are resolved against (the dataset folder); {@code
   *     null} = the shot file's folder
   * @return the shot paths, in file order
   * @throws UncheckedIOException naming the file when it cannot be read
   * @throws IllegalArgumentException naming the file and line when a line is not a path, when a
   *     path is listed twice, or when the file lists no path
   */
  public static List<Path> read(Path file, Path root) {
    Objects.requireNonNull(file, "file");
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read shot file " + file + ": " + e.getMessage(), e);
    }
    Path base = root != null ? root : file.toAbsolutePath().getParent();
    List<Path> out = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Path p;
      try {
        p = base.resolve(line).normalize();
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(
            "Shot file " + file + " line " + (i + 1) + ": '" + line + "' is not a path");
      }
      if (!seen.add(p.toAbsolutePath())) {
        throw new IllegalArgumentException(
            "Shot file "
                + file
                + " line "
                + (i + 1)
                + ": "
                + line
                + " is listed twice; each shot must appear once");
      }
      out.add(p);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "Shot file " + file + " lists no image; write one image path per line");
    }
    return List.copyOf(out);
  }
}
