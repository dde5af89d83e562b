package io.github.mediclip.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --masks} option of the volume layout ({@code --layout volumes}), shared by {@code
 * train} and {@code evaluate}.
 */
final class VolumeLayoutOptions {
  @Option(
      names = "--masks",
      paramLabel = "DIR",
      description =
          "With --layout volumes: the folder holding the masks NAME_mask.nii[.gz], matched to the"
              + " volume NAME (file NAME.nii[.gz] or NAME.dcm, or DICOM series folder NAME/) of --data"
              + " by name (default: --data itself).")
  Path masks;

  /** Whether {@code --layout} asks for the volume layout. */
  static boolean isVolumes(String layout) {
    return layout != null && layout.strip().equalsIgnoreCase("volumes");
  }

  /** The masks folder: {@code --masks}, checked, or {@code data}. */
  Path masks(Path data) {
    return masks == null ? data : Check.directory("--masks", masks);
  }

  /** Refuses {@code --masks} outside the volume layout (a usage error). */
  void checkUnused() {
    if (masks != null) {
      throw new CliException(
          "--masks is for --layout volumes only; the other layouts find their masks themselves",
          MediClipCli.EXIT_USAGE);
    }
  }
}
