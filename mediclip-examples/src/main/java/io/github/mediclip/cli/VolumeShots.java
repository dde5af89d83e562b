package io.github.mediclip.cli;

import io.github.mediclip.MediClipException;
import io.github.mediclip.eval.internal.VolumeLayout;
import io.github.mediclip.formats.IntensityPolicy;
import io.github.mediclip.formats.MedicalFormatException;
import io.github.mediclip.formats.MedicalImages;
import io.github.mediclip.formats.MedicalVolume;
import io.github.mediclip.train.KShotSampler;
import io.github.mediclip.train.LabeledImage;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training from volumes ({@code train --layout volumes}): the pool of normal slices that {@code
 * --normal-slices} states, the k-shot draw from it by {@link KShotSampler}, and the decoding of the
 * drawn slices with the intensity policy.
 *
 * <p>A slice is identified as {@code VOLUME#k}: the volume's file or series-folder name in {@code
 * --data} and the 0-based slice index in the volume as read ({@code
 * io.github.mediclip.formats.MedicalImages}: NIfTI third axis, DICOM series along the slice
 * normal). These ids are the shot ids in the manifest and the lines of the shot file. The pool is
 * ordered as the library orders a pool of files: volumes in path order ({@link
 * KShotSampler#inPathOrder}), then slices ascending.
 */
final class VolumeShots {

  private VolumeShots() {}

  /** How the normal slices are stated. */
  enum Kind {
    ALL,
    MASK_FREE,
    RANGES
  }

  /**
   * A parsed {@code --normal-slices}.
   *
   * @param kind the kind
   * @param ranges for {@link Kind#RANGES}: volume name to its normal slices
   * @param spec the option value as given
   */
  record Selection(Kind kind, Map<String, BitSet> ranges, String spec) {}

  /**
   * One slice of the pool.
   *
   * @param volume the volume file or series folder
   * @param index the 0-based slice index
   */
  record Slice(Path volume, int index) {
    /** {@code VOLUME#k}, as in the manifest and the shot file. */
    String id() {
      return volume.getFileName() + "#" + index;
    }
  }

  /**
   * The normal slices of the layout.
   *
   * @param slices the pool, in draw order (volumes in path order, slices ascending)
   * @param volumes the number of volumes contributing at least one slice
   * @param skipped the number of volumes or folders skipped (each reported)
   */
  record Pool(List<Slice> slices, int volumes, int skipped) {}

  /**
   * The drawn slices decoded for training.
   *
   * @param images one normal image per shot, id {@code VOLUME#k}, in shot order
   * @param policy the intensity policy that mapped them
   */
  record Decoded(List<LabeledImage> images, IntensityPolicy policy) {}

  private static final Pattern RANGE = Pattern.compile("(.+):(\\d+)(?:-(\\d+))?");
  private static final Pattern SHOT = Pattern.compile("(.+)#(\\d+)");

  /**
   * Parses {@code --normal-slices}: {@code all}, {@code mask-free}, or comma-separated {@code
   * NAME:FROM-TO} (or {@code NAME:K}) ranges, 0-based and inclusive.
   *
   * @throws CliException (usage) when the value is none of these
   */
  static Selection parse(String spec) {
    if (spec == null) {
      throw new CliException(
          "--layout volumes needs --normal-slices: all (every slice of every volume is normal),"
              + " mask-free (the slices whose mask has no non-zero voxel) or NAME:FROM-TO[,...]"
              + " (0-based slice ranges)",
          MediClipCli.EXIT_USAGE);
    }
    String s = spec.strip();
    if (s.equalsIgnoreCase("all")) {
      return new Selection(Kind.ALL, Map.of(), s);
    }
    if (s.equalsIgnoreCase("mask-free")) {
      return new Selection(Kind.MASK_FREE, Map.of(), s);
    }
    Map<String, BitSet> ranges = new LinkedHashMap<>();
    for (String part : s.split(",")) {
      Matcher m = RANGE.matcher(part.strip());
      if (!m.matches()) {
        throw new CliException(
            "--normal-slices '"
                + spec
                + "': '"
                + part.strip()
                + "' is not NAME:FROM-TO; use all, mask-free or comma-separated NAME:FROM-TO ranges"
                + " (0-based, both ends inclusive, NAME = the volume's name in --data)",
            MediClipCli.EXIT_USAGE);
      }
      int from;
      int to;
      try {
        from = Integer.parseInt(m.group(2));
        to = m.group(3) == null ? from : Integer.parseInt(m.group(3));
      } catch (NumberFormatException e) {
        from = -1;
        to = -1;
      }
      if (from < 0 || to < from) {
        throw new CliException(
            "--normal-slices '"
                + spec
                + "': the range "
                + part.strip()
                + " is empty or too large; write FROM-TO with FROM <= TO",
            MediClipCli.EXIT_USAGE);
      }
      ranges.computeIfAbsent(m.group(1), n -> new BitSet()).set(from, to + 1);
    }
    return new Selection(Kind.RANGES, ranges, s);
  }

  /**
   * Lists the normal slices of {@code data}. Every volume considered is read (its slice count and,
   * with a mask, the mask's size and labels are checked); a volume that cannot be read is skipped
   * and reported on {@code err}, so the pool holds what can be trained on. Only the drawn slices
   * are ever used.
   *
   * @throws CliException when a range names no volume or lies outside its volume, when a mask
   *     contradicts a slice stated normal by {@code all} or a range, or when the pool is empty
   */
  static Pool pool(Path data, Path masks, Selection sel, PrintWriter err) {
    VolumeLayout.Listing listing;
    try {
      listing = VolumeLayout.list(data, masks);
    } catch (MediClipException e) {
      throw new CliException(e.getMessage());
    }
    int skipped = 0;
    for (String s : listing.ignored()) {
      err.println("mediclip: skipped: " + s);
      skipped++;
    }
    Map<String, VolumeLayout.Item> byName = new LinkedHashMap<>();
    listing.items().forEach(i -> byName.put(i.name(), i));
    for (String name : sel.ranges().keySet()) {
      if (!byName.containsKey(name)) {
        throw new CliException(
            "--normal-slices names the volume '"
                + name
                + "', but "
                + data
                + " holds no volume of that name; its volumes are "
                + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
      }
    }
    List<VolumeLayout.Item> items =
        KShotSampler.inPathOrder(listing.items(), VolumeLayout.Item::volume);
    List<Slice> slices = new ArrayList<>();
    int volumes = 0;
    for (VolumeLayout.Item item : items) {
      if (sel.kind() == Kind.RANGES && !sel.ranges().containsKey(item.name())) {
        continue;
      }
      if (sel.kind() == Kind.MASK_FREE && item.mask() == null) {
        err.println(
            "mediclip: skipped: "
                + item.volume()
                + ": no mask "
                + item.name()
                + "_mask.nii.gz or "
                + item.name()
                + "_mask.nii in "
                + masks
                + "; --normal-slices mask-free cannot tell its normal slices");
        skipped++;
        continue;
      }
      MedicalVolume v;
      try {
        v = MedicalImages.read(item.volume());
      } catch (MedicalFormatException | UncheckedIOException e) {
        err.println(
            "mediclip: skipped: skipping volume "
                + item.name()
                + ": "
                + reason(e)
                + "; none of its slices is in the pool");
        skipped++;
        continue;
      }
      boolean[] anomalous = null;
      if (item.mask() != null) {
        try {
          MedicalVolume m = MedicalImages.read(item.mask());
          VolumeLayout.checkSameSize(v, m);
          anomalous = VolumeLayout.anomalousSlices(m);
        } catch (MediClipException e) {
          throw new CliException(e.getMessage());
        }
      }
      BitSet normal = new BitSet();
      switch (sel.kind()) {
        case ALL -> normal.set(0, v.slices());
        case MASK_FREE -> {
          for (int k = 0; k < v.slices(); k++) {
            normal.set(k, !anomalous[k]);
          }
        }
        case RANGES -> {
          normal = sel.ranges().get(item.name());
          if (normal.length() > v.slices()) {
            throw new CliException(
                "--normal-slices "
                    + sel.spec()
                    + ": slice "
                    + (normal.length() - 1)
                    + " of "
                    + item.name()
                    + " does not exist: "
                    + item.volume()
                    + " has "
                    + v.slices()
                    + " slices (0.."
                    + (v.slices() - 1)
                    + ")");
          }
        }
      }
      if (anomalous != null && sel.kind() != Kind.MASK_FREE) {
        List<Integer> contradicted = new ArrayList<>();
        for (int k = normal.nextSetBit(0); k >= 0; k = normal.nextSetBit(k + 1)) {
          if (anomalous[k]) {
            contradicted.add(k);
          }
        }
        if (!contradicted.isEmpty()) {
          throw new CliException(
              "--normal-slices "
                  + sel.spec()
                  + " states that slices of "
                  + item.name()
                  + " are normal, but its mask "
                  + item.mask()
                  + " marks "
                  + contradicted.size()
                  + " of them anomalous (slices "
                  + contradicted
                  + "); use --normal-slices mask-free, or ranges without them");
        }
      }
      if (!normal.isEmpty()) {
        volumes++;
      }
      for (int k = normal.nextSetBit(0); k >= 0; k = normal.nextSetBit(k + 1)) {
        slices.add(new Slice(item.volume(), k));
      }
    }
    err.flush();
    if (slices.isEmpty()) {
      throw new CliException(
          "--normal-slices "
              + sel.spec()
              + " selects no slice in "
              + data
              + (skipped > 0 ? " (" + skipped + " entries skipped, see above)" : ""));
    }
    return new Pool(List.copyOf(slices), volumes, skipped);
  }

  /**
   * The shots of a shot file ({@code VOLUME#k} lines, read as paths under {@code data}), each of
   * which must be in the pool.
   *
   * @throws CliException naming the line's slice and the shot file otherwise
   */
  static List<Slice> fromShotFile(
      List<Path> shots, Pool pool, Path data, Path shotFile, Selection sel) {
    Map<String, Slice> byId = new LinkedHashMap<>();
    pool.slices().forEach(s -> byId.put(s.id(), s));
    Path base = data.toAbsolutePath().normalize();
    List<Slice> out = new ArrayList<>();
    for (Path p : shots) {
      Path a = p.toAbsolutePath().normalize();
      String rel = a.startsWith(base) ? base.relativize(a).toString() : p.toString();
      Matcher m = SHOT.matcher(rel);
      if (!m.matches() || a.getParent() == null || !a.getParent().equals(base)) {
        throw new CliException(
            "--shots "
                + shotFile
                + ": '"
                + rel
                + "' is not a slice VOLUME#k of a volume in --data "
                + data
                + " (with --layout volumes a shot file lists slices, e.g. NAME.nii.gz#3)");
      }
      Slice s = byId.get(rel);
      if (s == null) {
        throw new CliException(
            "--shots "
                + shotFile
                + ": the slice "
                + rel
                + " is not among the "
                + pool.slices().size()
                + " normal slices that --normal-slices "
                + sel.spec()
                + " selects in "
                + data);
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Decodes the shots: each volume holding a shot is read once and mapped with the policy (over the
   * whole volume, as {@code predictVolume} maps it at inference); only the shot slices are kept.
   *
   * @param policy the policy, or {@code null} for the modality default of the shot volumes (which
   *     must agree)
   * @throws CliException naming the volume when a shot's volume cannot be read, or both volumes
   *     when their default policies differ
   */
  static Decoded decode(List<Slice> shots, IntensityPolicy policy) {
    Map<Path, List<Integer>> byVolume = new LinkedHashMap<>();
    for (int i = 0; i < shots.size(); i++) {
      byVolume.computeIfAbsent(shots.get(i).volume(), v -> new ArrayList<>()).add(i);
    }
    LabeledImage[] images = new LabeledImage[shots.size()];
    IntensityPolicy used = policy;
    Path firstVolume = null;
    for (Map.Entry<Path, List<Integer>> e : byVolume.entrySet()) {
      MedicalVolume v;
      try {
        v = MedicalImages.read(e.getKey());
      } catch (MedicalFormatException | UncheckedIOException ex) {
        throw new CliException("shot volume " + e.getKey() + " cannot be read: " + reason(ex));
      }
      IntensityPolicy p = policy;
      if (p == null) {
        p = IntensityPolicy.forModality(v.metadata().modality());
        if (used != null && !used.equals(p)) {
          throw new CliException(
              "the shot volumes "
                  + firstVolume
                  + " and "
                  + e.getKey()
                  + " have different default intensity policies ("
                  + used.spec()
                  + ", "
                  + p.spec()
                  + " by modality); choose one with --intensity-policy");
        }
        used = p;
        firstVolume = e.getKey();
      }
      for (int i : e.getValue()) {
        Slice s = shots.get(i);
        try {
          images[i] = LabeledImage.normal(s.id(), p.apply(v, s.index()));
        } catch (MedicalFormatException ex) {
          throw new CliException(
              "--intensity-policy " + p.spec() + " cannot map " + e.getKey() + ": " + reason(ex));
        }
      }
    }
    return new Decoded(List.of(images), used);
  }

  /** The one-line reason (a format error's message already names the file). */
  private static String reason(RuntimeException e) {
    return e instanceof MedicalFormatException ? e.getMessage() : MediClipCli.oneLine(e);
  }
}
