package io.github.mediclip.cli;

import io.github.mediclip.formats.IntensityPolicy;
import io.github.mediclip.train.KShotSampler;
import io.github.mediclip.train.LabeledImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of {@code train --layout volumes} ({@code --masks}, {@code --normal-slices}, {@code
 * --intensity-policy}) and the k-shot draw from the normal slices they state ({@link VolumeShots}).
 */
final class VolumeTrainOptions {
  @Mixin VolumeLayoutOptions layout;

  @Option(
      names = "--normal-slices",
      paramLabel = "SEL",
      description =
          "With --layout volumes (required there): which slices are normal. all = every slice of"
              + " every volume (a mask marking one anomalous is an error); mask-free = the slices"
              + " whose mask holds no non-zero voxel (volumes without a mask are skipped and"
              + " reported); NAME:FROM-TO[,NAME:FROM-TO...] = these 0-based, inclusive slice ranges"
              + " of the named volumes.")
  String normalSlices;

  @Option(
      names = "--intensity-policy",
      paramLabel = "SPEC",
      description =
          "With --layout volumes: maps volume values to 0..255 (file-window, window:C/W,"
              + " preset:NAME, percentile:LOW/HIGH or minmax), recorded in the bundle so that"
              + " inference maps alike. Default: the modality default of the shot volumes.")
  String intensityPolicy;

  /** The parsed --normal-slices; null without --layout volumes. */
  private VolumeShots.Selection selection;

  /** The parsed --intensity-policy, or null. */
  private IntensityPolicy policy;

  /** The masks folder; null without --layout volumes. */
  private Path masks;

  /**
   * The shots drawn and decoded.
   *
   * @param images the k shots, ids {@code VOLUME#k}, in the order drawn
   * @param ids their ids
   * @param poolSize the number of normal slices drawn from
   * @param skipped volumes or folders skipped (each reported)
   * @param policy the intensity policy that mapped them
   * @param json fields for the JSON line
   */
  record Drawn(
      List<LabeledImage> images,
      List<String> ids,
      int poolSize,
      int skipped,
      IntensityPolicy policy,
      Map<String, Object> json) {}

  /** Whether {@code --layout volumes} was validated ({@link #validate}). */
  boolean active() {
    return selection != null;
  }

  /** The masks folder (null without --layout volumes). */
  Path masks() {
    return masks;
  }

  /**
   * Checks the options before any work (usage errors, exit code 2).
   *
   * @return whether the run trains from volumes
   */
  boolean validate(String layoutOption, Path data, boolean holdoutValidation) {
    if (!VolumeLayoutOptions.isVolumes(layoutOption)) {
      layout.checkUnused();
      if (normalSlices != null || intensityPolicy != null) {
        throw new CliException(
            (normalSlices != null ? "--normal-slices" : "--intensity-policy")
                + " is for --layout volumes only (images are already 0..255)",
            MediClipCli.EXIT_USAGE);
      }
      return false;
    }
    selection = VolumeShots.parse(normalSlices);
    if (intensityPolicy != null) {
      try {
        policy = IntensityPolicy.parse(intensityPolicy);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), MediClipCli.EXIT_USAGE);
      }
    }
    if (holdoutValidation) {
      throw new CliException(
          "--holdout-validation is not supported with --layout volumes; train on the k shots"
              + " alone (the k-shot protocol)",
          MediClipCli.EXIT_USAGE);
    }
    Check.directory("--data", data);
    masks = layout.masks(data);
    return true;
  }

  /**
   * Lists the normal slices, draws k of them with {@link KShotSampler} (or takes the shot file's),
   * and decodes only the shots.
   *
   * @param fixedShots the paths of {@code --shots}, or null
   */
  Drawn draw(Path data, int k, long seed, List<Path> fixedShots, Path shotsFile, PrintWriter err) {
    VolumeShots.Pool pool = VolumeShots.pool(data, masks, selection, err);
    err.println(
        "mediclip: volumes "
            + data
            + ": "
            + pool.slices().size()
            + " normal slices in "
            + pool.volumes()
            + " volumes (--normal-slices "
            + selection.spec()
            + ")");
    err.flush();
    if (pool.slices().size() < k) {
      throw new CliException(
          "--k "
              + k
              + " but --normal-slices "
              + selection.spec()
              + " selects only "
              + pool.slices().size()
              + " slices in "
              + data);
    }
    // The one sampler: KShotSampler on the pool (volumes in path order, slices ascending).
    List<VolumeShots.Slice> shots =
        fixedShots != null
            ? VolumeShots.fromShotFile(fixedShots, pool, data, shotsFile, selection)
            : KShotSampler.sample(pool.slices(), k, seed);
    VolumeShots.Decoded decoded = VolumeShots.decode(shots, policy);
    Map<String, Object> json = Json.object();
    json.put("layout", "volumes");
    json.put("normal_slices", selection.spec());
    json.put("volumes", pool.volumes());
    json.put("masks", masks.toString());
    json.put("intensity_policy", decoded.policy().spec());
    return new Drawn(
        decoded.images(),
        shots.stream().map(VolumeShots.Slice::id).toList(),
        pool.slices().size(),
        pool.skipped(),
        decoded.policy(),
        json);
  }
}
