package io.github.mediclip.eval.data;

import io.github.mediclip.MediClipException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The volume evaluation layout: one folder holding NIfTI volumes {@code NAME.nii[.gz]} and their
 * masks {@code NAME_mask.nii[.gz]} (as {@code ../shared/data/lgg-volumes/nifti}). A mask voxel
 * other than 0 is anomalous; a slice is anomalous when its mask has an anomalous voxel, and a
 * volume when any slice is. Volumes without a mask are listed in {@link #skipped()} (never dropped
 * silently).
 *
 * @param folder the folder read
 * @param volumes the (volume, mask) pairs, sorted by volume file name
 * @param skipped one line per NIfTI file that has no mask, naming it
 */
public record VolumeDataset(Path folder, List<Entry> volumes, List<String> skipped) {

  /**
   * One volume and its mask.
   *
   * @param name the volume's name (file name without {@code .nii} / {@code .nii.gz})
   * @param volume the volume file
   * @param mask the mask file
   */
  public record Entry(String name, Path volume, Path mask) {}

  /**
   * Copies the lists.
   *
   * @param folder the folder read
   * @param volumes the pairs
   * @param skipped the volumes without mask
   */
  public VolumeDataset {
    Objects.requireNonNull(folder, "folder");
    volumes = List.copyOf(volumes);
    skipped = List.copyOf(skipped);
  }

  /**
   * Lists a folder in the volume layout (non-recursive).
   *
   * @param folder the folder
   * @return the pairs
   * @throws MediClipException naming the folder when it holds no volume with a mask, or naming a
   *     mask without its volume
   */
  public static VolumeDataset read(Path folder) {
    Objects.requireNonNull(folder, "folder");
    if (!Files.isDirectory(folder)) {
      throw new MediClipException(
          folder
              + ": not a folder; give the folder holding NAME.nii.gz and"
              + " NAME_mask.nii.gz files");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    List<Entry> entries = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Path f : files) {
      String stem = stem(f);
      if (stem == null) {
        continue;
      }
      if (stem.endsWith("_mask")) {
        String base = stem.substring(0, stem.length() - 5);
        if (find(folder, base) == null) {
          throw new MediClipException(
              f
                  + ": mask without its volume (expected "
                  + base
                  + ".nii.gz or "
                  + base
                  + ".nii next to it)");
        }
        continue;
      }
      Path mask = find(folder, stem + "_mask");
      if (mask == null) {
        skipped.add(
            f + ": no mask " + stem + "_mask.nii.gz or " + stem + "_mask.nii; not evaluated");
      } else {
        entries.add(new Entry(stem, f, mask));
      }
    }
    if (entries.isEmpty()) {
      throw new MediClipException(
          folder + ": no NIfTI volume with a mask (NAME.nii.gz and" + " NAME_mask.nii.gz) found");
    }
    return new VolumeDataset(folder, entries, skipped);
  }

  private static Path find(Path folder, String stem) {
    for (String ext : new String[] {".nii.gz", ".nii"}) {
      Path p = folder.resolve(stem + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static String stem(Path f) {
    String n = f.getFileName().toString();
    String lower = n.toLowerCase(Locale.ROOT);
    if (n.startsWith(".")) {
      return null;
    }
    if (lower.endsWith(".nii.gz")) {
      return n.substring(0, n.length() - 7);
    }
    if (lower.endsWith(".nii")) {
      return n.substring(0, n.length() - 4);
    }
    return null;
  }
}
