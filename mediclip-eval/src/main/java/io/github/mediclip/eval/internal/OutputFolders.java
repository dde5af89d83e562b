package io.github.mediclip.eval.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Multi-file outputs (evaluation reports, sweep tables, backbone folders) written as a whole: the
 * files go to a hidden sibling folder {@code .<name>.tmp-<n>} next to the target, which is swapped
 * in with two renames once every file is written. A failure leaves the previous output untouched
 * and removes the temporary folder. An existing target is replaced only when it is empty or
 * recognisably an output of the same kind (every entry is one of the kind's file names); anything
 * else is refused before any work starts.
 *
 * <p>Not API: exported only to the project's command-line module.
 */
public final class OutputFolders {

  /** An evaluation report folder, as {@code DetectorEvaluator} writes it. */
  public static final Kind EVALUATION_REPORT =
      new Kind(
          "evaluation report",
          "metrics.json",
          Set.of("metrics.json", "scores.csv", "roc.png", "pr.png", "overlays.png", "index.html"));

  private OutputFolders() {}

  /**
   * The rule for one kind of output folder.
   *
   * @param what what the folder holds, for messages (e.g. "evaluation report")
   * @param marker a file every such folder holds (e.g. {@code metrics.json})
   * @param names accepts every file or folder name such a folder may hold
   */
  public record Kind(String what, String marker, Predicate<String> names) {
    /**
     * Creates a kind.
     *
     * @param what description for messages
     * @param marker the file that marks the folder as ours
     * @param names accepts the entries such a folder may hold
     */
    public Kind {
      Objects.requireNonNull(what, "what");
      Objects.requireNonNull(marker, "marker");
      Objects.requireNonNull(names, "names");
    }

    /**
     * Creates a kind whose folders hold only the given names.
     *
     * @param what description for messages
     * @param marker the file that marks the folder as ours
     * @param names the entries such a folder may hold
     */
    public Kind(String what, String marker, Set<String> names) {
      this(what, marker, Set.copyOf(names)::contains);
    }
  }

  /**
   * Checks that {@code target} may be written: it does not exist, or is an empty folder, or is a
   * folder of this kind. Call it before the work starts.
   *
   * @param target the output folder
   * @param kind its kind
   * @throws IllegalArgumentException naming the folder and the first foreign entry otherwise
   */
  public static void checkReplaceable(Path target, Kind kind) {
    Objects.requireNonNull(target, "target");
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
        throw new IllegalArgumentException(
            "cannot write "
                + kind.what()
                + " "
                + target
                + ": "
                + parent
                + " is a file, not a folder");
      }
      return;
    }
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "cannot write "
              + kind.what()
              + " to "
              + target
              + ": it exists and is not a folder; choose a new folder");
    }
    List<String> entries = entries(target);
    if (entries.isEmpty()) {
      return;
    }
    if (!entries.contains(kind.marker())) {
      throw new IllegalArgumentException(
          "cannot write "
              + kind.what()
              + " to "
              + target
              + ": the folder is not empty and holds no "
              + kind.marker()
              + ", so it is not ours to replace; choose a new or empty folder");
    }
    for (String e : entries) {
      if (!kind.names().test(e)) {
        throw new IllegalArgumentException(
            "cannot replace "
                + kind.what()
                + " "
                + target
                + ": it holds '"
                + e
                + "', which we never write there; move it away or choose a new folder");
      }
    }
  }

  /**
   * Writes a folder as a whole: {@code writer} fills a fresh hidden sibling folder, which then
   * replaces {@code target} (checked again with {@link #checkReplaceable}). On any failure the
   * temporary folder is deleted and {@code target} is left as it was.
   *
   * @param target the output folder
   * @param kind its kind
   * @param writer fills the folder it is given
   * @throws UncheckedIOException naming the target when a file operation fails
   */
  public static void write(Path target, Kind kind, Consumer<Path> writer) {
    checkReplaceable(target, kind);
    Path abs = target.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
      writer.accept(tmp);
      swap(tmp, abs, kind);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + kind.what() + " " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  private static void swap(Path tmp, Path target, Kind kind) throws IOException {
    checkReplaceable(target, kind);
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Path old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
    Files.delete(old);
    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.move(old, target, StandardCopyOption.ATOMIC_MOVE); // put the previous output back
      throw e;
    }
    deleteQuietly(old);
  }

  private static List<String> entries(Path dir) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        names.add(p.getFileName().toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    names.sort(null);
    return names;
  }

  /** Deletes a folder we created, recursively, without following links. */
  public static void deleteQuietly(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // best effort: a hidden leftover is reported by nothing, but never damages the user's files
    }
  }

  /**
   * Whether {@code a} and {@code b} are the same folder or one lies inside the other (real paths
   * where they exist, so links and {@code ..} do not hide an overlap).
   *
   * @param a a path
   * @param b another path
   * @return whether they overlap
   */
  public static boolean overlaps(Path a, Path b) {
    Path ra = real(a);
    Path rb = real(b);
    return ra.startsWith(rb) || rb.startsWith(ra);
  }

  /**
   * Whether {@code inner} is {@code outer} or lies inside it (real paths where they exist).
   *
   * @param inner a path
   * @param outer a folder
   * @return whether inner is inside outer or equal to it
   */
  public static boolean isInside(Path inner, Path outer) {
    return real(inner).startsWith(real(outer));
  }

  /** The real path of the longest existing prefix, with the rest appended (normalized). */
  static Path real(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    Path rest = abs.getFileSystem().getPath("");
    while (existing != null && !Files.exists(existing)) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(rest).normalize();
    } catch (IOException e) {
      return abs;
    }
  }
}
