package io.github.mediclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.SaveOptions;
import io.github.mediclip.bundle.internal.BundleCodec;
import io.github.mediclip.bundle.internal.BundleWriter;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.internal.DetectorAccess;
import io.github.mediclip.internal.NoGrad;
import io.github.mediclip.internal.model.MediClipHeads;
import io.github.mediclip.internal.train.GrayTensors;
import io.github.mediclip.synth.GrayImage;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

// Why this class is long (~570 lines, over a third javadoc): it is the detector's public API
// (image, file, batch and volume predictions, save, accessors), each method documented; the
// forward pass is ~60 lines, volume scoring is in VolumeScoring, bundle writing in bundle.internal.
/**
 * A trained MediCLIP anomaly detector: frozen CLIP backbone + trained heads + operating point.
 * Obtain one from {@link MediClip#fit} or {@link MediClip#load}.
 *
 * <p>Inference (MediCLIP, MICCAI 2024): image → grayscale → bilinear resize to S×S → (1, 3, S, S)
 * normalised → frozen CLIP → adapters → similarity with the cached text features (D, 2) → mean over
 * layers → bilinear upsample to S×S → softmax; channel 1 is the anomaly map (S, S); image score =
 * its maximum. The map is then resized bilinearly to the input's size, thresholded with the pixel
 * threshold into a mask, and the score normalised with the {@link OperatingPoint}.
 *
 * <p>Thread-safe: any number of threads may call the {@code predict} methods concurrently. The text
 * features are computed once at construction; each call works in its own NDManager scope that is
 * closed before it returns, and the returned {@link Prediction} holds only Java arrays. {@link
 * #close()} waits for running predictions.
 */
public final class MediClipDetector implements AutoCloseable {

  static {
    DetectorAccess.install(
        new DetectorAccess.Hooks() {
          @Override
          public NDList forward(MediClipDetector detector, NDArray images) {
            return detector.forward(images);
          }

          @Override
          public Prediction toPrediction(
              MediClipDetector detector, float[] mapS, double score, int width, int height) {
            return detector.toPrediction(mapS, score, width, height);
          }
        });
  }

  private final ClipModel clip;
  private final boolean ownsClip;
  private final Path backboneFolder;
  private final Path sourceBundle;
  private final MediClipHeads heads;
  private final BundleManifest manifest;
  private final NDManager manager;
  private final NDArray textFeatures;
  private final int imageSize;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /**
   * Assembles a detector (used by {@link MediClip}).
   *
   * @param clip the backbone
   * @param ownsClip whether {@link #close()} closes the backbone
   * @param backboneFolder the backbone's model folder, or {@code null} when unknown (random or
   *     user-supplied backbone)
   * @param heads trained heads (closed by {@link #close()})
   * @param manifest the bundle manifest describing this detector
   */
  MediClipDetector(
      ClipModel clip,
      boolean ownsClip,
      Path backboneFolder,
      MediClipHeads heads,
      BundleManifest manifest) {
    this(clip, ownsClip, backboneFolder, heads, manifest, null);
  }

  /**
   * Assembles a detector loaded from a bundle (used by {@link MediClip#load}).
   *
   * @param clip the backbone
   * @param ownsClip whether {@link #close()} closes the backbone
   * @param backboneFolder the backbone's model folder, or {@code null} when unknown
   * @param heads trained heads (closed by {@link #close()})
   * @param manifest the bundle manifest describing this detector
   * @param sourceBundle the bundle it was loaded from (never overwritten by {@link #save}), or
   *     {@code null}
   */
  @SuppressWarnings("try") // NoGrad is a scope guard: entering and closing it is the point
  MediClipDetector(
      ClipModel clip,
      boolean ownsClip,
      Path backboneFolder,
      MediClipHeads heads,
      BundleManifest manifest,
      Path sourceBundle) {
    this.sourceBundle = sourceBundle;
    this.clip = Objects.requireNonNull(clip, "clip");
    this.ownsClip = ownsClip;
    this.backboneFolder = backboneFolder;
    this.heads = Objects.requireNonNull(heads, "heads");
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.imageSize = clip.config().vision().imageSize();
    for (NDArray p : heads.parameters().values()) {
      if (p.hasGradient()) {
        p.setRequiresGradient(false);
      }
    }
    this.manager = NDManager.newBaseManager(clip.device(), "PyTorch");
    try (NoGrad noGrad = NoGrad.enter()) {
      NDArray t = heads.textFeatures(clip, manager);
      t.attach(manager);
      this.textFeatures = t;
    }
  }

  /**
   * Scores one image.
   *
   * @param image any size and type (converted to grayscale luminance)
   * @return the prediction at the image's resolution
   */
  public Prediction predict(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    return predictGray(List.of(GrayImage.fromBufferedImage(image))).get(0);
  }

  /**
   * Reads and scores one image file.
   *
   * @param imageFile a PNG/JPEG/TIFF/BMP/GIF file
   * @return the prediction at the image's resolution
   * @throws java.io.UncheckedIOException naming the file when it cannot be read
   */
  public Prediction predict(Path imageFile) {
    Objects.requireNonNull(imageFile, "imageFile");
    return predictGray(List.of(GrayImage.read(imageFile))).get(0);
  }

  /**
   * Decodes an encoded image held in memory (the bytes of a PNG/JPEG/TIFF/BMP/GIF file) with the
   * same reader and grayscale conversion as {@link #predict(Path)}, so that {@code
   * predictGray(List.of(readImage(Files.readAllBytes(f), f.toString())))} scores exactly as {@code
   * predict(f)}. Used by callers that receive file contents rather than paths (Spark's {@code
   * binaryFile} source).
   *
   * @param encoded the file's bytes
   * @param name the file's name or path, used only in error messages
   * @return the grayscale image (0..255 scale)
   * @throws java.io.UncheckedIOException naming {@code name} when the bytes are empty, corrupt, too
   *     large or in a format no reader decodes (the library's one image reader and its limits)
   */
  public static GrayImage readImage(byte[] encoded, String name) {
    Objects.requireNonNull(encoded, "encoded");
    io.github.mediclip.synth.internal.ImageIo.Decoded d =
        io.github.mediclip.synth.internal.ImageIo.readWithWarnings(encoded, name);
    for (String warning : d.warnings()) {
      System.getLogger(MediClipDetector.class.getName())
          .log(System.Logger.Level.WARNING, "image " + name + ": " + warning);
    }
    BufferedImage img = d.image();
    return GrayImage.fromBufferedImage(img);
  }

  /**
   * Scores one grayscale image.
   *
   * @param image (H, W) on the 0..255 scale
   * @return the prediction at (H, W)
   */
  public Prediction predict(GrayImage image) {
    Objects.requireNonNull(image, "image");
    return predictGray(List.of(image)).get(0);
  }

  /**
   * Reads a DICOM file, DICOM series folder or NIfTI file and scores every slice with the intensity
   * policy the detector was trained with ({@link #intensityPolicy()}), or, when the bundle records
   * none, the default policy of the volume's modality ({@link
   * io.github.mediclip.formats.IntensityPolicy#forModality}); the volume score is the maximum slice
   * score.
   *
   * @param source a DICOM file, a folder holding one series, or a NIfTI file
   * @return the volume prediction
   * @throws io.github.mediclip.formats.MedicalFormatException naming the file when it cannot be
   *     read
   */
  public VolumePrediction predictVolume(Path source) {
    return predictVolume(source, VolumeScoring.max());
  }

  /**
   * Reads a DICOM file, DICOM series folder or NIfTI file and scores every slice with the recorded
   * (or modality default) intensity policy, as {@link #predictVolume(Path)} does, combining the
   * slice scores with the given rule.
   *
   * @param source a DICOM file, a folder holding one series, or a NIfTI file
   * @param scoring max or top-k mean
   * @return the volume prediction
   * @throws io.github.mediclip.formats.MedicalFormatException naming the file when it cannot be
   *     read
   */
  public VolumePrediction predictVolume(Path source, VolumeScoring scoring) {
    Objects.requireNonNull(source, "source");
    io.github.mediclip.formats.MedicalVolume v =
        io.github.mediclip.formats.MedicalImages.read(source);
    return predictVolume(v, defaultPolicy(v), scoring);
  }

  /**
   * The policy {@link #predictVolume(Path)} uses for a volume: the recorded one, else the modality
   * default.
   *
   * @param volume the volume
   * @return the policy
   */
  public io.github.mediclip.formats.IntensityPolicy defaultPolicy(
      io.github.mediclip.formats.MedicalVolume volume) {
    io.github.mediclip.formats.IntensityPolicy recorded = intensityPolicy();
    return recorded != null
        ? recorded
        : io.github.mediclip.formats.IntensityPolicy.forModality(volume.metadata().modality());
  }

  /**
   * Returns the intensity policy recorded in the manifest ({@code training.intensityPolicy}).
   *
   * @return the policy the detector was trained with, or {@code null} when none is recorded
   */
  public io.github.mediclip.formats.IntensityPolicy intensityPolicy() {
    BundleManifest.Training t = manifest.training();
    return t == null || t.intensityPolicy() == null
        ? null
        : io.github.mediclip.formats.IntensityPolicy.parse(t.intensityPolicy());
  }

  /**
   * Scores every slice of a volume: the policy maps modality values to 0..255 images, each is
   * predicted as {@link #predict(GrayImage)} does (in batches of 8), and the scoring combines the
   * slice scores.
   *
   * @param volume the volume
   * @param policy the intensity policy; when the manifest records one ({@link #intensityPolicy()}),
   *     it must be that policy
   * @param scoring max or top-k mean
   * @return the volume prediction, recording policy and scoring
   * @throws MediClipException naming both policies when {@code policy} differs from the recorded
   *     one
   */
  public VolumePrediction predictVolume(
      io.github.mediclip.formats.MedicalVolume volume,
      io.github.mediclip.formats.IntensityPolicy policy,
      VolumeScoring scoring) {
    Objects.requireNonNull(volume, "volume");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(scoring, "scoring");
    io.github.mediclip.formats.IntensityPolicy recorded = intensityPolicy();
    if (recorded != null && !recorded.spec().equals(policy.spec())) {
      throw new MediClipException(
          "intensity policy mismatch: the detector was trained with '"
              + recorded.spec()
              + "' (manifest field training.intensityPolicy) but '"
              + policy.spec()
              + "' was requested for "
              + volume.metadata().source()
              + "; score with '"
              + recorded.spec()
              + "' (the default) or retrain with '"
              + policy.spec()
              + "'");
    }
    List<GrayImage> images = policy.apply(volume);
    List<Prediction> preds = new java.util.ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i += 8) {
      preds.addAll(predictGray(images.subList(i, Math.min(images.size(), i + 8))));
    }
    double[] scores = new double[preds.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = preds.get(i).score();
    }
    return new VolumePrediction(
        preds, scoring.score(scores), scoring.spec(), policy.spec(), images);
  }

  /**
   * Scores a batch in one forward pass (faster than one call per image for batch sizes up to ~8 on
   * CPU).
   *
   * @param images images of any sizes
   * @return one prediction per image, in order
   */
  public List<Prediction> predictBatch(List<BufferedImage> images) {
    Objects.requireNonNull(images, "images");
    List<GrayImage> gray = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      BufferedImage b = images.get(i);
      if (b == null) {
        throw new NullPointerException("images[" + i + "] is null");
      }
      gray.add(GrayImage.fromBufferedImage(b));
    }
    return predictGray(gray);
  }

  /**
   * Reads and scores image files in one forward pass.
   *
   * @param imageFiles PNG/JPEG/TIFF/BMP/GIF files
   * @return one prediction per file, in order, each at its image's resolution
   * @throws java.io.UncheckedIOException naming the first file that cannot be read
   */
  public List<Prediction> predictFiles(List<Path> imageFiles) {
    Objects.requireNonNull(imageFiles, "imageFiles");
    List<GrayImage> gray = new ArrayList<>(imageFiles.size());
    for (Path p : imageFiles) {
      gray.add(GrayImage.read(Objects.requireNonNull(p, "imageFiles element")));
    }
    return predictGray(gray);
  }

  /**
   * Scores a batch of grayscale images in one forward pass.
   *
   * @param images images of any sizes (0..255 scale)
   * @return one prediction per image, in order
   */
  public List<Prediction> predictGray(List<GrayImage> images) {
    Objects.requireNonNull(images, "images");
    if (images.isEmpty()) {
      return List.of();
    }
    int s = imageSize;
    int px = s * s;
    int b = images.size();
    float[] chw = new float[b * 3 * px];
    for (int i = 0; i < b; i++) {
      GrayImage g = images.get(i);
      if (g == null) {
        throw new NullPointerException("images[" + i + "] is null");
      }
      GrayTensors.writeChw(GrayTensors.toSize(g, s), chw, i * 3 * px);
    }
    float[] maps;
    float[] scores;
    lock.readLock().lock();
    try {
      ensureOpen();
      try (NDManager m = manager.newSubManager()) {
        NDArray x = m.create(chw, new Shape(b, 3, s, s));
        NDList out = forward(x);
        maps = out.get(0).toFloatArray();
        scores = out.get(1).toFloatArray();
      }
    } finally {
      lock.readLock().unlock();
    }
    List<Prediction> result = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      float[] map = new float[px];
      System.arraycopy(maps, i * px, map, 0, px);
      GrayImage g = images.get(i);
      result.add(toPrediction(map, scores[i], g.width(), g.height()));
    }
    return result;
  }

  /**
   * The tensor-level forward pass (used by the DJL block): normalised images (B, 3, S, S) → NDList
   * of anomaly maps (B, S, S) float32 and image scores (B) float32, attached to the manager of
   * {@code images}. Runs without gradient recording.
   *
   * @param images (B, 3, S, S) normalised as {@link GrayTensors} does
   * @return [maps (B, S, S), scores (B)]
   */
  @SuppressWarnings("try") // NoGrad is a scope guard: entering and closing it is the point
  NDList forward(NDArray images) {
    Shape shape = images.getShape();
    if (shape.dimension() != 4
        || shape.get(1) != 3
        || shape.get(2) != imageSize
        || shape.get(3) != imageSize) {
      throw new IllegalArgumentException(
          "images must be (B, 3, " + imageSize + ", " + imageSize + "), got " + shape);
    }
    try (NoGrad noGrad = NoGrad.enter()) {
      NDArray x =
          images.getDevice().equals(clip.device()) ? images : images.toDevice(clip.device(), false);
      MediClipHeads.HeadsOutput out = heads.forward(clip, x, textFeatures);
      NDArray maps = out.anomalyMap().get(":, 1, :, :").toType(DataType.FLOAT32, false);
      NDArray scores = out.imageScores().toType(DataType.FLOAT32, false);
      if (!maps.getDevice().equals(images.getDevice())) {
        maps = maps.toDevice(images.getDevice(), false);
        scores = scores.toDevice(images.getDevice(), false);
      }
      maps.attach(images.getManager());
      scores.attach(images.getManager());
      return new NDList(maps, scores);
    }
  }

  /**
   * Builds a prediction from a model-resolution map: resizes it to (height, width), thresholds and
   * normalises with the operating point.
   *
   * @param mapS anomaly map (S, S) row-major, values in [0, 1]
   * @param score raw image score (max of the map)
   * @param width input width
   * @param height input height
   * @return the prediction
   */
  Prediction toPrediction(float[] mapS, double score, int width, int height) {
    OperatingPoint op = manifest.operatingPoint();
    GrayImage map = GrayImage.of(imageSize, imageSize, mapS);
    if (width != imageSize || height != imageSize) {
      map = map.resize(width, height);
    }
    float[] m = map.toArray();
    float[] mask = new float[m.length];
    float thr = (float) op.pixelThreshold();
    for (int i = 0; i < m.length; i++) {
      float v = Math.max(0f, Math.min(1f, m[i]));
      m[i] = v;
      mask[i] = v >= thr ? 1f : 0f;
    }
    return new Prediction(
        score,
        op.normalizeImageScore(score),
        op.isAnomalous(score),
        GrayImage.of(width, height, m),
        GrayImage.of(width, height, mask));
  }

  /**
   * Saves the detector as a bundle folder, or as a zip when the path ends in {@code .zip}, with the
   * default {@link SaveOptions}: only a missing target or an empty folder is written; an existing
   * bundle is refused (use {@link #save(Path, SaveOptions)} with {@code optOverwrite(true)}).
   *
   * @param bundle target folder or {@code .zip} file
   * @throws MediClipException naming the target when the output rules refuse it
   */
  public void save(Path bundle) {
    save(bundle, SaveOptions.defaults());
  }

  /**
   * Saves the detector as a bundle folder, or as a zip when the path ends in {@code .zip},
   * atomically (assembled in a hidden sibling, then moved into place) and under the output rules of
   * {@link SaveOptions}: a missing target or an empty folder is written; an existing bundle is
   * replaced only with {@code optOverwrite(true)}; anything else, and any target equal to, inside
   * or containing the backbone folder, the bundle this detector was loaded from or a protected path
   * of the options, is refused before anything is written. The target is locked while it is written
   * ({@code .NAME.lock} next to it); leftovers of an interrupted earlier save are restored or
   * removed first.
   *
   * @param bundle target folder or {@code .zip} file
   * @param options overwrite and protected paths
   * @throws MediClipException naming the target and the reason when it is refused or locked
   * @throws java.io.UncheckedIOException naming the target when writing fails (nothing is changed)
   */
  public void save(Path bundle, SaveOptions options) {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(options, "options");
    lock.readLock().lock();
    try {
      ensureOpen();
      List<Path> implicit = new ArrayList<>();
      implicit.add(backboneFolder);
      implicit.add(sourceBundle);
      BundleWriter.write(
          bundle,
          target -> BundleCodec.withBackbonePath(manifest, backboneFolder, target),
          heads.parameters(),
          options,
          implicit);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Returns the backbone's model folder.
   *
   * @return the folder, or {@code null} for a random or user-supplied backbone
   */
  public Path backboneFolder() {
    return backboneFolder;
  }

  /**
   * Returns the operating point.
   *
   * @return thresholds and normalisation statistics
   */
  public OperatingPoint operatingPoint() {
    return manifest.operatingPoint();
  }

  /**
   * Returns the manifest (configuration, provenance, training summary).
   *
   * @return the manifest
   */
  public BundleManifest manifest() {
    return manifest;
  }

  /**
   * Returns the backbone.
   *
   * @return the frozen CLIP model
   */
  public ClipModel backbone() {
    return clip;
  }

  /**
   * Returns the trained heads (do not modify them while predictions run).
   *
   * @return the heads
   */
  MediClipHeads heads() {
    return heads;
  }

  /**
   * Returns the model input size.
   *
   * @return S
   */
  public int imageSize() {
    return imageSize;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("MediClipDetector is closed");
    }
  }

  /** Frees the native memory (waits for running predictions); closes the backbone if owned. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      manager.close();
      heads.close();
      if (ownsClip) {
        clip.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
