package io.github.mediclip.bundle.internal;

import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import io.github.mediclip.BackboneMismatchException;
import io.github.mediclip.MediClipException;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.DetectorBundle;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.model.ClassTokenPosition;
import io.github.mediclip.model.HeadsConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundle format in both directions: manifest ↔ heads configuration, backbone relocation,
 * content hashes, and the bounded reading of the heads. {@code MediClip.load} and {@code
 * MediClipDetector.save} are thin callers of this class, {@link BundleSource} and {@link
 * BundleWriter}.
 */
public final class BundleCodec {

  /** The DJL serving properties written into every bundle. */
  public static final String SERVING_TEXT =
      "# Lets DJL load this MediCLIP detector bundle: Criteria.builder().optModelPath(<this folder>)\n"
          + "# .optTranslatorFactory(new io.github.mediclip.zoo.MediClipTranslatorFactory())\n"
          + "engine=PyTorch\n"
          + "blockFactory=io.github.mediclip.zoo.MediClipBlockFactory\n"
          + "translatorFactory=io.github.mediclip.zoo.MediClipTranslatorFactory\n"
          + "option.hasParameter=false\n";

  private static final Gson GSON = new Gson();

  private BundleCodec() {}

  // ---------------------------------------------------------------------------------------------
  // Manifest <-> configuration.

  /**
   * The manifest form of a heads configuration.
   *
   * @param h the configuration
   * @return the manifest record
   */
  public static BundleManifest.Heads heads(HeadsConfig h) {
    return new BundleManifest.Heads(
        h.layers1Based(),
        h.nCtx(),
        h.normalPrompts(),
        h.abnormalPrompts(),
        h.position().name(),
        h.classSpecificContext(),
        h.promptCausalMask(),
        h.truncatePrompts());
  }

  /**
   * The heads configuration of a (validated) manifest.
   *
   * @param h the manifest record
   * @return the configuration
   */
  public static HeadsConfig headsConfig(BundleManifest.Heads h) {
    return new HeadsConfig(
        h.layers(),
        h.nCtx(),
        h.normalPrompts(),
        h.abnormalPrompts(),
        ClassTokenPosition.valueOf(h.position()),
        h.classSpecificContext(),
        h.promptCausalMask(),
        h.truncatePrompts());
  }

  /**
   * The CLIP configuration recorded in a bundle, checked against the manifest's image size, layers
   * and preset.
   *
   * @param src the bundle
   * @return the configuration (at the recorded image size)
   * @throws MediClipException naming the file and field when they do not fit together
   */
  public static ClipConfig clipConfig(BundleSource src) {
    BundleManifest m = src.manifest();
    String where = "Bundle manifest " + src.where(DetectorBundle.MANIFEST);
    ClipConfig cfg;
    try {
      cfg = ClipConfig.fromOpenClipJsonString(m.backbone().openClipConfig());
    } catch (RuntimeException e) {
      throw new MediClipException(
          where
              + ": field 'backbone.openClipConfig' is not a valid CLIP configuration ("
              + ManifestParser.firstLine(e)
              + ")",
          e);
    }
    if ("random".equals(m.backbone().kind())
        && !ClipConfig.presetNames().contains(m.backbone().preset())) {
      throw new MediClipException(
          where
              + ": field 'backbone.preset' is \""
              + m.backbone().preset()
              + "\"; known presets: "
              + ClipConfig.presetNames());
    }
    int patch = cfg.vision().patchSize();
    if (m.imageSize() % patch != 0) {
      throw new MediClipException(
          where
              + ": field 'imageSize' is "
              + m.imageSize()
              + ", not a multiple of the backbone's patch size "
              + patch);
    }
    for (int l : m.heads().layers()) {
      if (l > cfg.vision().layers()) {
        throw new MediClipException(
            where
                + ": field 'heads.layers' lists block "
                + l
                + " but the backbone has "
                + cfg.vision().layers());
      }
    }
    return cfg.vision().imageSize() == m.imageSize() ? cfg : cfg.withImageSize(m.imageSize());
  }

  /**
   * The most bytes {@code heads.safetensors} may have: the float32 data the configuration implies
   * plus the header allowance. Checked before the file is read.
   *
   * @param src the bundle
   * @return bytes
   */
  public static long headsLimit(BundleSource src) {
    BundleManifest m = src.manifest();
    ClipConfig cfg = clipConfig(src);
    try {
      long c = cfg.vision().width();
      long d = cfg.embedDim();
      long w = cfg.text().width();
      long layers = m.heads().layers().size();
      long prompts =
          m.heads().classSpecificContext()
              ? m.heads().normalPrompts().size() + m.heads().abnormalPrompts().size()
              : 2;
      long floats =
          Math.addExact(
              Math.multiplyExact(layers, Math.addExact(Math.multiplyExact(d, c), d)),
              Math.multiplyExact(Math.multiplyExact(prompts, m.heads().nCtx()), w));
      return Math.addExact(
          Math.addExact(Math.multiplyExact(floats, 4L), 8L), BundleLimits.maxHeadsHeaderBytes());
    } catch (ArithmeticException e) {
      throw new MediClipException(
          "Bundle manifest "
              + src.where(DetectorBundle.MANIFEST)
              + ": field 'backbone.openClipConfig' declares sizes too large to load");
    }
  }

  /**
   * Reads the heads file (bounded by {@link #headsLimit}) and checks its content hashes, before the
   * backbone is loaded.
   *
   * @param src the bundle
   * @return the bytes of {@code heads.safetensors}
   */
  public static byte[] readHeads(BundleSource src) {
    byte[] bytes = src.readHeads(headsLimit(src));
    checkHeadsHash(src, bytes);
    return bytes;
  }

  /**
   * Decodes heads read by {@link #readHeads(BundleSource)} against the shapes the heads
   * configuration defines.
   *
   * @param src the bundle
   * @param bytes the content of its heads file
   * @param expected the parameter shapes
   * @return name to float32 values
   */
  public static Map<String, float[]> decodeHeads(
      BundleSource src, byte[] bytes, Map<String, Shape> expected) {
    return HeadsCodec.decode(bytes, src.where(DetectorBundle.HEADS), expected);
  }

  // ---------------------------------------------------------------------------------------------
  // Content hashes.

  /**
   * The manifest with the content hashes of these heads bytes.
   *
   * @param m the manifest
   * @param headsBytes the content of {@code heads.safetensors}
   * @return a copy with {@link BundleManifest#integrity()} set and the current format version
   */
  public static BundleManifest withIntegrity(BundleManifest m, byte[] headsBytes) {
    String h = sha256(headsBytes);
    BundleManifest v =
        new BundleManifest(
            m.format(),
            BundleManifest.FORMAT_VERSION,
            m.provenance(),
            m.backbone(),
            m.heads(),
            m.imageSize(),
            m.training(),
            m.operatingPoint(),
            m.validationMetrics(),
            null);
    return v.withIntegrity(new BundleManifest.Integrity(h, configSha256(v, h)));
  }

  /**
   * Checks the content hashes of a version-2 manifest (version 1 has none).
   *
   * @param src the bundle
   * @param headsBytes the content of its heads file
   * @throws MediClipException naming the file and field on a mismatch
   */
  public static void checkHeadsHash(BundleSource src, byte[] headsBytes) {
    BundleManifest m = src.manifest();
    if (m.integrity() == null) {
      return;
    }
    String h = sha256(headsBytes);
    if (!h.equalsIgnoreCase(m.integrity().headsSha256())) {
      throw new MediClipException(
          src.where(DetectorBundle.HEADS)
              + " has SHA-256 "
              + h
              + " but the manifest records "
              + m.integrity().headsSha256()
              + " (integrity.headsSha256): the file was changed or"
              + " damaged after saving; restore it from a copy or retrain");
    }
    if (!configSha256(m, h).equalsIgnoreCase(m.integrity().configSha256())) {
      throw new MediClipException(
          "Bundle manifest "
              + src.where(DetectorBundle.MANIFEST)
              + ": the fields imageSize, heads"
              + " or backbone (kind, preset, randomSeed, sha256, openClipConfig) or"
              + " training.intensityPolicy were changed after"
              + " saving (integrity.configSha256 does not match); restore the original manifest or"
              + " retrain");
    }
  }

  private static String configSha256(BundleManifest m, String headsSha) {
    BundleManifest.Backbone b = m.backbone();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("headsSha256", headsSha.toLowerCase(java.util.Locale.ROOT));
    c.put("imageSize", m.imageSize());
    c.put("heads", m.heads());
    c.put("backbone.kind", b.kind());
    c.put("backbone.preset", b.preset());
    c.put("backbone.randomSeed", "random".equals(b.kind()) ? b.randomSeed() : 0L);
    c.put("backbone.sha256", b.sha256().toLowerCase(java.util.Locale.ROOT));
    c.put("backbone.openClipConfig", b.openClipConfig());
    String policy = m.training() == null ? null : m.training().intensityPolicy();
    if (policy != null) { // only when set, so that the hashes of older bundles are unchanged
      c.put("training.intensityPolicy", policy);
    }
    return sha256(GSON.toJson(c).getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Backbone reference.

  /**
   * The manifest with the backbone path relative to the bundle's parent folder (portable when both
   * move together) and absolute (tried second).
   *
   * @param m the manifest
   * @param folder the backbone folder, or {@code null} when unknown
   * @param bundleDir where the bundle is written
   * @return a copy
   */
  public static BundleManifest withBackbonePath(BundleManifest m, Path folder, Path bundleDir) {
    BundleManifest.Backbone ref = m.backbone();
    String rel = null;
    String abs = ref.absolutePath();
    if (folder != null) {
      Path f = folder.toAbsolutePath().normalize();
      abs = f.toString();
      Path parent = bundleDir.toAbsolutePath().normalize().getParent();
      if (parent != null && f.getRoot() != null && f.getRoot().equals(parent.getRoot())) {
        rel = parent.relativize(f).toString().replace('\\', '/');
      }
    }
    BundleManifest.Backbone nb =
        new BundleManifest.Backbone(
            ref.kind(),
            rel,
            abs,
            ref.preset(),
            ref.randomSeed(),
            ref.sha256(),
            ref.openClipConfig());
    return new BundleManifest(
        m.format(),
        m.formatVersion(),
        m.provenance(),
        nb,
        m.heads(),
        m.imageSize(),
        m.training(),
        m.operatingPoint(),
        m.validationMetrics(),
        m.integrity());
  }

  /**
   * Finds the backbone folder recorded in a manifest: relative to the bundle's parent folder, then
   * the absolute path at save time.
   *
   * @param bundle the bundle as given
   * @param ref the manifest's backbone record
   * @return the folder
   * @throws MediClipException listing the places tried
   */
  public static Path locateBackbone(Path bundle, BundleManifest.Backbone ref) {
    List<Path> tried = new ArrayList<>();
    Path parent = bundle.toAbsolutePath().normalize().getParent();
    if (ref.path() != null && parent != null) {
      Path p = parent.resolve(ref.path()).normalize();
      tried.add(p);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    if (ref.absolutePath() != null) {
      Path p = Path.of(ref.absolutePath());
      tried.add(p);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new MediClipException(
        "Cannot find the backbone folder of bundle "
            + bundle
            + " (tried "
            + tried
            + "); pass it explicitly: MediClip.loader().optBackbone(folder).load(bundle), or optArgument(\"backbone\","
            + " folder) with DJL");
  }

  /**
   * Checks that a backbone is the one the bundle was trained on.
   *
   * @param bundle the bundle as given
   * @param m its manifest
   * @param actualSha256 the backbone weights' hash
   * @param description the backbone, for the message
   * @param depth the backbone's vision depth
   * @throws BackboneMismatchException when the weights differ
   */
  public static void checkBackbone(
      Path bundle, BundleManifest m, String actualSha256, String description, int depth) {
    BundleManifest.Backbone ref = m.backbone();
    if (!ref.sha256().equalsIgnoreCase(actualSha256)) {
      throw new BackboneMismatchException(
          "Backbone mismatch for bundle "
              + bundle
              + ": it was trained on weights with SHA-256 "
              + ref.sha256()
              + " but the backbone "
              + description
              + " has SHA-256 "
              + actualSha256
              + "; load it with the backbone folder it was trained with",
          ref.sha256(),
          actualSha256);
    }
    ClipConfig cfg = ClipConfig.fromOpenClipJsonString(ref.openClipConfig());
    if (cfg.vision().layers() != depth) {
      throw new MediClipException(
          "Backbone config of bundle " + bundle + " does not match the backbone folder");
    }
  }
}
