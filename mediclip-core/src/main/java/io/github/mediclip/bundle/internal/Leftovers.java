package io.github.mediclip.bundle.internal;

import io.github.mediclip.bundle.DetectorBundle;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hidden siblings that a save interrupted by a crash can leave next to its target: {@code
 * .NAME.tmp-*} (the new bundle being assembled, or a zip being written), {@code .NAME.old-*} (the
 * previous bundle moved aside between the two renames), and {@code .NAME.dir-*} (the folder that
 * earlier versions zipped).
 */
public final class Leftovers {

  private static final Pattern SUFFIX = Pattern.compile("\\.(tmp|old|dir)-[0-9a-zA-Z]+(\\.tmp)?");

  private Leftovers() {}

  /**
   * Lists the leftovers of interrupted saves next to a target.
   *
   * @param target the bundle folder or zip
   * @return sorted leftovers, empty when none (or when the folder cannot be listed)
   */
  public static List<Path> find(Path target) {
    Path t = target.toAbsolutePath().normalize();
    Path parent = t.getParent();
    if (parent == null || t.getFileName() == null || !Files.isDirectory(parent)) {
      return List.of();
    }
    String prefix = "." + t.getFileName() + ".";
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, p -> isLeftover(p, prefix))) {
      ds.forEach(out::add);
    } catch (IOException e) {
      return List.of();
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private static boolean isLeftover(Path p, String prefix) {
    String n = p.getFileName().toString();
    return n.startsWith(prefix) && SUFFIX.matcher(n.substring(prefix.length() - 1)).matches();
  }

  static boolean isOld(Path p) {
    return p.getFileName().toString().matches(".*\\.old-[0-9a-zA-Z]+");
  }

  /**
   * Whether a folder holds nothing but bundle files (possibly not all of them).
   *
   * @param dir the folder
   * @return true when every entry is one of the bundle's file names
   */
  static boolean onlyBundleFiles(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.allMatch(
          p ->
              BundleSource.FILES.contains(p.getFileName().toString())
                  && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether a folder is a complete bundle of ours (only bundle files, a readable manifest).
   *
   * @param dir the folder
   * @return true when it can be loaded as a bundle
   */
  @SuppressWarnings("try") // the source is opened only to validate the bundle, then closed
  static boolean isCompleteBundle(Path dir) {
    if (!onlyBundleFiles(dir)) {
      return false;
    }
    for (String f : Set.of(DetectorBundle.MANIFEST, DetectorBundle.HEADS, DetectorBundle.SERVING)) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        return false;
      }
    }
    try (BundleSource s = BundleSource.open(dir)) {
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Deletes a folder of ours: its bundle files, then the folder. Leaves anything else in place.
   *
   * @param dir the folder
   * @return true when it is gone
   */
  static boolean deleteOurFolder(Path dir) {
    if (!onlyBundleFiles(dir)) {
      return false;
    }
    try {
      for (String f : BundleSource.FILES) {
        Files.deleteIfExists(dir.resolve(f));
      }
      Files.deleteIfExists(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
