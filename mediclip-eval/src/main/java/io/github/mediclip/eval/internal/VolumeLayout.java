package io.github.mediclip.eval.internal;

import io.github.mediclip.MediClipException;
import io.github.mediclip.formats.MedicalImages;
import io.github.mediclip.formats.MedicalVolume;
import io.github.mediclip.internal.VolumeMasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Lists the volume layout shared by {@code VolumeDataset} (evaluation) and {@code train --layout
 * volumes}: the volumes of a folder (NIfTI files {@code NAME.nii[.gz]}, DICOM files {@code
 * NAME.dcm} and DICOM series folders {@code NAME/}) and their masks {@code NAME_mask.nii[.gz]} in a
 * masks folder (the same folder by default). A mask is matched to a volume by NAME only.
 */
public final class VolumeLayout {

  private VolumeLayout() {}

  /**
   * One volume of the layout.
   *
   * @param name the volume's name (file name without {@code .nii}, {@code .nii.gz} or {@code .dcm};
   *     the series folder's name)
   * @param volume the NIfTI file, DICOM file or DICOM series folder
   * @param mask its mask, or {@code null} when the masks folder has none
   */
  public record Item(String name, Path volume, Path mask) {}

  /**
   * A listed layout.
   *
   * @param items the volumes, sorted by name
   * @param ignored one line per folder entry that is not a volume (a sub-folder holding no DICOM
   *     file), naming it
   */
  public record Listing(List<Item> items, List<String> ignored) {
    /**
     * Copies the lists.
     *
     * @param items the volumes
     * @param ignored the ignored entries
     */
    public Listing {
      items = List.copyOf(items);
      ignored = List.copyOf(ignored);
    }
  }

  /**
   * Lists a folder (non-recursive: a sub-folder is one DICOM series).
   *
   * @param folder the volumes
   * @param masks the folder holding {@code NAME_mask.nii[.gz]}; {@code null} = {@code folder}
   * @return the volumes sorted by name, each with its mask or {@code null}
   * @throws MediClipException naming the folder when it is not one, naming both entries when two
   *     volumes have the same name, and naming a mask next to the volumes whose volume is missing
   *     (a separate masks folder may hold masks of other volumes)
   */
  public static Listing list(Path folder, Path masks) {
    Objects.requireNonNull(folder, "folder");
    Path maskDir = masks == null ? folder : masks;
    if (!Files.isDirectory(folder)) {
      throw new MediClipException(
          folder
              + ": not a folder; give the folder holding the volumes (NAME.nii.gz files or DICOM"
              + " series folders)");
    }
    if (!Files.isDirectory(maskDir)) {
      throw new MediClipException(
          maskDir + ": not a folder; give the folder holding the masks NAME_mask.nii.gz");
    }
    Map<String, Path> volumes = new TreeMap<>();
    List<String> ignored = new ArrayList<>();
    for (Path f : entries(folder)) {
      String name = f.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      String stem;
      if (Files.isDirectory(f)) {
        if (!MedicalImages.isSupported(f)) {
          ignored.add(f + ": a folder without DICOM files; not a volume, ignored");
          continue;
        }
        stem = name;
      } else {
        stem = niftiStem(f);
        if (stem == null && name.toLowerCase(Locale.ROOT).endsWith(".dcm")) {
          stem = name.substring(0, name.length() - 4);
        }
        if (stem == null || stem.endsWith("_mask")) {
          continue;
        }
      }
      Path other = volumes.put(stem, f);
      if (other != null) {
        throw new MediClipException(
            f
                + ": two volumes are named '"
                + stem
                + "' ("
                + other.getFileName()
                + " and "
                + f.getFileName()
                + "); a mask NAME_mask.nii.gz must match one volume, rename one of them");
      }
    }
    // masks next to the volumes must each have one (a missing volume is a mistake); a separate
    // masks folder may hold masks of other volumes too (a subset of a study is evaluated), and a
    // volume without its mask is still reported by the callers
    for (Path f : maskDir.equals(folder) ? entries(maskDir) : List.<Path>of()) {
      String stem = Files.isRegularFile(f) ? niftiStem(f) : null;
      if (stem == null || !stem.endsWith("_mask") || f.getFileName().toString().startsWith(".")) {
        continue;
      }
      String base = stem.substring(0, stem.length() - 5);
      if (!volumes.containsKey(base)) {
        throw new MediClipException(
            f
                + ": mask without its volume (expected "
                + base
                + ".nii.gz, "
                + base
                + ".nii, "
                + base
                + ".dcm or a DICOM series folder "
                + base
                + "/ in "
                + folder
                + ")");
      }
    }
    List<Item> items = new ArrayList<>();
    for (Map.Entry<String, Path> e : volumes.entrySet()) {
      items.add(new Item(e.getKey(), e.getValue(), mask(maskDir, e.getKey())));
    }
    return new Listing(items, ignored);
  }

  /**
   * Checks that a mask has its volume's size.
   *
   * @param volume the volume
   * @param mask its mask
   * @throws MediClipException naming both files when the columns, rows or slices differ
   */
  public static void checkSameSize(MedicalVolume volume, MedicalVolume mask) {
    String mismatch = VolumeMasks.sizeMismatch(volume, mask);
    if (mismatch != null) {
      throw new MediClipException(mismatch + "; give a mask of the volume's size");
    }
  }

  /**
   * The slices of a mask that hold a non-zero voxel.
   *
   * @param mask the mask volume
   * @return one flag per slice
   */
  public static boolean[] anomalousSlices(MedicalVolume mask) {
    return VolumeMasks.nonZeroSlices(mask);
  }

  private static List<Path> entries(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private static Path mask(Path folder, String name) {
    for (String ext : new String[] {".nii.gz", ".nii"}) {
      Path p = folder.resolve(name + "_mask" + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /** The name of a NIfTI file without {@code .nii} / {@code .nii.gz}, or null. */
  private static String niftiStem(Path f) {
    String n = f.getFileName().toString();
    String lower = n.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".nii.gz")) {
      return n.substring(0, n.length() - 7);
    }
    if (lower.endsWith(".nii")) {
      return n.substring(0, n.length() - 4);
    }
    return null;
  }
}
