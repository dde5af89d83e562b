package io.github.mediclip.train;

import io.github.mediclip.synth.GrayImage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An image with its label: the one labelled-sample type of the library. Training and validation
 * data ({@code MediClip.fit(List<LabeledImage>)}, {@code optValidation}) and the data sets of the
 * evaluation module ({@code Dataset.train()}/{@code test()}) are lists of it.
 *
 * <p>A labelled image is either <b>in memory</b> ({@link #normal(String, GrayImage)}, {@link
 * #anomalous(String, GrayImage, GrayImage)}, {@link #LabeledImage(String, GrayImage, boolean,
 * GrayImage)}) or a <b>file</b> ({@link #ofFile(Path, boolean, Path)}), which is read when its
 * pixels are asked for, so that a data set of thousands of images costs no memory until it is
 * scored. {@link #file()} and {@link #maskFile()} are the files, or {@code null} in memory.
 *
 * <p>Values: two labelled images are equal when their ids, labels, files and in-memory pixels are.
 */
public final class LabeledImage {

  private final String id;
  private final boolean anomalous;
  private final GrayImage image;
  private final GrayImage mask;
  private final Path file;
  private final Path maskFile;

  /**
   * An image in memory.
   *
   * @param id a name for provenance and error messages (e.g. the file name)
   * @param image the image, (H, W) on the 0..255 scale
   * @param anomalous {@code true} for an anomalous image
   * @param mask optional ground-truth mask (H, W) with values in [0, 1] (pixels &gt; 0.5 count as
   *     anomalous), or {@code null} when unknown
   * @throws IllegalArgumentException if the mask size differs from the image size
   */
  public LabeledImage(String id, GrayImage image, boolean anomalous, GrayImage mask) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    if (mask != null && (mask.width() != image.width() || mask.height() != image.height())) {
      throw new IllegalArgumentException(
          "LabeledImage "
              + id
              + ": mask is "
              + mask.width()
              + "x"
              + mask.height()
              + " but image is "
              + image.width()
              + "x"
              + image.height());
    }
    this.id = id;
    this.image = image;
    this.anomalous = anomalous;
    this.mask = mask;
    this.file = null;
    this.maskFile = null;
  }

  private LabeledImage(Path file, boolean anomalous, Path maskFile) {
    this.file = Objects.requireNonNull(file, "file");
    this.id = file.toString();
    this.anomalous = anomalous;
    this.maskFile = maskFile;
    this.image = null;
    this.mask = null;
  }

  /**
   * A normal image in memory, without mask.
   *
   * @param id name for provenance
   * @param image the image
   * @return the labelled image
   */
  public static LabeledImage normal(String id, GrayImage image) {
    return new LabeledImage(id, image, false, null);
  }

  /**
   * An anomalous image in memory.
   *
   * @param id name for provenance
   * @param image the image
   * @param mask ground-truth mask or {@code null}
   * @return the labelled image
   */
  public static LabeledImage anomalous(String id, GrayImage image, GrayImage mask) {
    return new LabeledImage(id, image, true, mask);
  }

  /**
   * An image file. Nothing is read here; {@link #image()} and {@link #mask()} read the files.
   *
   * @param file the image file; its path is the {@link #id()}
   * @param anomalous {@code true} for an anomalous image
   * @param maskFile the ground-truth mask file (non-zero = anomalous pixel), or {@code null} when
   *     there is none; a normal image without mask is entirely normal
   * @return the labelled image
   */
  public static LabeledImage ofFile(Path file, boolean anomalous, Path maskFile) {
    return new LabeledImage(file, anomalous, maskFile);
  }

  /**
   * Returns the name used for provenance and error messages.
   *
   * @return the id given, or the file's path
   */
  public String id() {
    return id;
  }

  /**
   * Returns the label.
   *
   * @return {@code true} for an anomalous image
   */
  public boolean anomalous() {
    return anomalous;
  }

  /**
   * Returns the image file.
   *
   * @return the file, or {@code null} for an image in memory
   */
  public Path file() {
    return file;
  }

  /**
   * Returns the ground-truth mask file.
   *
   * @return the mask file, or {@code null} for an image in memory or a file without mask
   */
  public Path maskFile() {
    return maskFile;
  }

  /**
   * Whether a ground-truth mask is given (in memory or as a file), without reading it.
   *
   * @return {@code true} when {@link #mask()} is not {@code null}
   */
  public boolean hasMask() {
    return mask != null || maskFile != null;
  }

  /**
   * Returns the pixels, reading the file of a file-backed image (every call).
   *
   * @return the image, (H, W) on the 0..255 scale
   * @throws java.io.UncheckedIOException naming the file when it cannot be read
   */
  public GrayImage image() {
    return image != null ? image : GrayImage.read(file);
  }

  /**
   * Returns the ground-truth mask, reading the mask file of a file-backed image (every call; its
   * non-zero pixels become 1).
   *
   * @return the mask (H, W) with values in [0, 1], or {@code null} when there is none
   * @throws java.io.UncheckedIOException naming the file when it cannot be read
   */
  public GrayImage mask() {
    if (maskFile == null) {
      return mask;
    }
    GrayImage m = GrayImage.read(maskFile);
    float[] px = m.toArray();
    for (int i = 0; i < px.length; i++) {
      px[i] = px[i] != 0f ? 1f : 0f;
    }
    return GrayImage.of(m.width(), m.height(), px);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabeledImage l
        && id.equals(l.id)
        && anomalous == l.anomalous
        && Objects.equals(file, l.file)
        && Objects.equals(maskFile, l.maskFile)
        && Objects.equals(image, l.image)
        && Objects.equals(mask, l.mask);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, anomalous, file, maskFile, image, mask);
  }

  @Override
  public String toString() {
    return "LabeledImage["
        + (file != null ? "file=" + file : "id=" + id)
        + (anomalous ? ", anomalous" : ", normal")
        + (maskFile != null ? ", mask=" + maskFile : mask != null ? ", mask in memory" : "")
        + "]";
  }
}
