package io.github.mediclip.cli;

import io.github.mediclip.formats.IntensityPolicy;
import io.github.mediclip.formats.MedicalFormatException;
import io.github.mediclip.formats.MedicalImages;
import io.github.mediclip.formats.MedicalVolume;
import io.github.mediclip.formats.ReadOptions;
import io.github.mediclip.formats.VolumeMetadata;
import io.github.mediclip.internal.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mediclip inspect FILE|SERIES_DIR [--npy OUT]}: reads a DICOM file, a DICOM series folder
 * or a NIfTI file, prints its metadata as one JSON line (keys of unknown values, e.g. a NIfTI
 * window, are left out), and optionally writes the decoded modality values.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a DICOM file, a DICOM series folder or a NIfTI file (.nii, .nii.gz, .hdr) and prints"
          + " its metadata as one JSON line: format, transfer syntax UID and name, modality, rows, columns,"
          + " slices (frames), bits, photometric interpretation, rescale, window, spacing, value range and"
          + " the default intensity policy.",
      "With --npy, also writes the decoded modality values (after rescale) as float32 with shape"
          + " [slices, rows, columns]."
    })
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE|SERIES_DIR",
      description = "A DICOM file, a folder holding one DICOM series, or a NIfTI file.")
  Path source;

  @Option(
      names = "--npy",
      paramLabel = "OUT",
      description = "Write the modality values as a float32 .npy of shape [slices, rows, columns].")
  Path npy;

  @Option(
      names = "--volume",
      paramLabel = "N",
      defaultValue = "0",
      description = "Volume of a 4D NIfTI file to read (0-based; default: ${DEFAULT-VALUE}).")
  int volume;

  @Option(
      names = "--series",
      paramLabel = "UID",
      description = "SeriesInstanceUID to read when the folder holds several series.")
  String series;

  @Override
  public Integer call() {
    if (volume < 0) {
      throw new CliException("--volume must be >= 0, but was " + volume, MediClipCli.EXIT_USAGE);
    }
    if (!Files.exists(source)) {
      throw new CliException(source + ": no such file or folder");
    }
    MedicalVolume v;
    try {
      ReadOptions opts = ReadOptions.defaults().withVolumeIndex(volume);
      if (series != null) {
        opts = opts.withSeriesInstanceUid(series);
      }
      v = MedicalImages.read(source, opts);
    } catch (MedicalFormatException e) {
      throw new CliException(e.getMessage());
    } catch (UncheckedIOException e) {
      throw new CliException(source + ": cannot read: " + e.getCause().getMessage());
    }
    if (npy != null) {
      try {
        writeNpy(npy, v);
      } catch (IOException e) {
        throw new CliException(npy + ": cannot write: " + e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.line(describe(v)));
    out.flush();
    return MediClipCli.EXIT_OK;
  }

  static Map<String, Object> describe(MedicalVolume v) {
    VolumeMetadata m = v.metadata();
    Map<String, Object> o = Json.object();
    o.put("source", m.source());
    o.put("format", m.format());
    o.put("transferSyntaxUid", m.transferSyntaxUid());
    o.put("transferSyntaxName", m.transferSyntaxName());
    o.put("modality", m.modality());
    o.put("rows", m.rows());
    o.put("columns", m.columns());
    o.put("slices", m.slices());
    o.put("files", m.files());
    o.put("bitsAllocated", m.bitsAllocated());
    o.put("bitsStored", m.bitsStored());
    o.put("signed", m.signed());
    o.put("photometricInterpretation", m.photometricInterpretation());
    o.put("rescaleSlope", m.rescaleSlope());
    o.put("rescaleIntercept", m.rescaleIntercept());
    o.put("windowCenter", orNull(m.windowCenter()));
    o.put("windowWidth", orNull(m.windowWidth()));
    List<Object> spacing = new ArrayList<>();
    spacing.add(orNull(m.rowSpacing()));
    spacing.add(orNull(m.columnSpacing()));
    o.put("pixelSpacing", spacing);
    o.put("sliceSpacing", orNull(m.sliceSpacing()));
    o.put("seriesInstanceUid", m.seriesInstanceUid());
    o.put("voxelToPatient", m.voxelToPatient());
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < v.slices(); k++) {
      for (float x : v.slice(k)) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
    }
    o.put("valueRange", List.of(min, max));
    o.put("defaultIntensityPolicy", IntensityPolicy.forModality(m.modality()).spec());
    return o;
  }

  private static Double orNull(double x) {
    return Double.isNaN(x) ? null : x;
  }

  /** Writes [slices, rows, columns] float32 little endian, C order, via a temp file then a move. */
  static void writeNpy(Path file, MedicalVolume v) throws IOException {
    StringBuilder header =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d, %d), }",
                v.slices(),
                v.rows(),
                v.columns()));
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    try {
      AtomicFiles.write(
          file,
          os -> {
            ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            pre.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.ISO_8859_1))
                .put((byte) 1)
                .put((byte) 0)
                .putShort((short) h.length);
            os.write(pre.array());
            os.write(h);
            ByteBuffer bb =
                ByteBuffer.allocate(4 * v.rows() * v.columns()).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < v.slices(); k++) {
              bb.clear();
              bb.asFloatBuffer().put(v.slice(k));
              os.write(bb.array());
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
