package io.github.mediclip.eval.data;

import io.github.mediclip.MediClipException;
import io.github.mediclip.eval.internal.VolumeLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The volume evaluation layout: a folder of volumes (NIfTI files {@code NAME.nii[.gz]}, DICOM files
 * {@code NAME.dcm} and DICOM series folders {@code NAME/}) with masks {@code NAME_mask.nii[.gz]},
 * next to the volumes (as {@code ../shared/data/lgg-volumes/nifti}) or in another folder
 * (lgg-volumes' {@code dicom/} with the masks of {@code nifti/}). A mask is matched to its volume
 * by NAME; its slice k, row r, column c labels the volume's voxel (k, r, c) as read by {@link
 * io.github.mediclip.formats.MedicalImages} (NIfTI {@code data[:, :, k].T}; a DICOM series in
 * slice-normal order), and a mask of another size is an error at evaluation. A mask voxel other
 * than 0 is anomalous; a slice is anomalous when its mask has an anomalous voxel, and a volume when
 * any slice is. Volumes without a mask are listed in {@link #skipped()} (never dropped silently).
 *
 * @param folder the folder read
 * @param volumes the (volume, mask) pairs, sorted by volume name
 * @param skipped one line per volume that has no mask (or sub-folder that is not a DICOM series),
 *     naming it
 */
public record VolumeDataset(Path folder, List<Entry> volumes, List<String> skipped) {

  /**
   * One volume and its mask.
   *
   * @param name the volume's name (file name without {@code .nii} / {@code .nii.gz} / {@code .dcm},
   *     or the DICOM series folder's name)
   * @param volume the volume file or DICOM series folder
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
   * Lists a folder in the volume layout with the masks next to the volumes (non-recursive: a
   * sub-folder is one DICOM series).
   *
   * @param folder the folder
   * @return the pairs
   * @throws MediClipException naming the folder when it holds no volume with a mask, or naming a
   *     mask without its volume
   */
  public static VolumeDataset read(Path folder) {
    return read(folder, folder);
  }

  /**
   * Lists a folder of volumes whose masks {@code NAME_mask.nii[.gz]} are in another folder (files
   * of that folder not named {@code *_mask.nii[.gz]}, and masks of volumes that are not in {@code
   * folder}, are ignored: the masks folder may serve a whole study).
   *
   * @param folder the volumes
   * @param masks the folder holding the masks
   * @return the pairs
   * @throws MediClipException naming the folder when it holds no volume with a mask, naming a mask
   *     next to the volumes without its volume, or naming both entries when two volumes have the
   *     same name
   */
  public static VolumeDataset read(Path folder, Path masks) {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(masks, "masks");
    VolumeLayout.Listing listing = VolumeLayout.list(folder, masks);
    List<Entry> entries = new ArrayList<>();
    List<String> skipped = new ArrayList<>(listing.ignored());
    for (VolumeLayout.Item item : listing.items()) {
      if (item.mask() == null) {
        String stem = item.name();
        skipped.add(
            item.volume()
                + ": no mask "
                + stem
                + "_mask.nii.gz or "
                + stem
                + "_mask.nii"
                + (masks.equals(folder) ? "" : " in " + masks)
                + "; not evaluated");
      } else {
        entries.add(new Entry(item.name(), item.volume(), item.mask()));
      }
    }
    if (entries.isEmpty()) {
      throw new MediClipException(
          folder
              + ": no volume with a mask (NAME.nii.gz or a DICOM series folder NAME/, with"
              + " NAME_mask.nii.gz"
              + (masks.equals(folder) ? "" : " in " + masks)
              + ") found");
    }
    return new VolumeDataset(folder, entries, skipped);
  }
}
