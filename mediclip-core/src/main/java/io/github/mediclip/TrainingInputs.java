package io.github.mediclip;

import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.LabeledImage;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The typed inputs of {@link MediClip#fit}: checks each pool (one-line errors naming the index)
 * without reading any file, and converts the elements that training uses ({@link #toLabeled}),
 * reading files only then.
 */
final class TrainingInputs {

  private TrainingInputs() {}

  /** A pool of image files: no nulls, no folders. */
  static List<Path> files(Collection<Path> files, String field) {
    Objects.requireNonNull(files, field);
    List<Path> out = new ArrayList<>(files.size());
    int i = 0;
    for (Path p : files) {
      if (p == null) {
        throw new NullPointerException(field + "[" + i + "] is null");
      }
      if (Files.isDirectory(p)) {
        throw new IllegalArgumentException(
            field
                + "["
                + i
                + "] is the folder "
                + p
                + ", not an image file; pass the image files"
                + " in it (for example from Files.list)");
      }
      out.add(p);
      i++;
    }
    return nonEmpty(out, field);
  }

  /** A pool of in-memory elements (labelled images, buffered images or rasters): no nulls. */
  static <T> List<T> inMemory(List<T> images, String field) {
    Objects.requireNonNull(images, field);
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i) == null) {
        throw new NullPointerException(field + "[" + i + "] is null");
      }
    }
    return nonEmpty(List.copyOf(images), field);
  }

  /**
   * Converts (and reads, for files) the pool elements at the given indices.
   *
   * @param pool elements of one of the types {@link MediClip#fit} takes
   * @param indices which elements
   * @param field the name used in messages
   * @return the labelled images, in the order of {@code indices}
   */
  static List<LabeledImage> toLabeled(List<?> pool, List<Integer> indices, String field) {
    List<LabeledImage> out = new ArrayList<>(indices.size());
    for (int i : indices) {
      Object o = pool.get(i);
      if (o instanceof LabeledImage li) {
        out.add(li);
      } else if (o instanceof GrayImage g) {
        out.add(LabeledImage.normal(field + "[" + i + "]", g));
      } else if (o instanceof BufferedImage bi) {
        out.add(LabeledImage.normal(field + "[" + i + "]", GrayImage.fromBufferedImage(bi)));
      } else if (o instanceof Path p) {
        out.add(LabeledImage.normal(p.getFileName().toString(), GrayImage.read(p)));
      } else {
        throw new IllegalStateException("unexpected training input " + o.getClass().getName());
      }
    }
    return out;
  }

  /** All indices of a pool, in order. */
  static List<Integer> all(List<?> pool) {
    List<Integer> out = new ArrayList<>(pool.size());
    for (int i = 0; i < pool.size(); i++) {
      out.add(i);
    }
    return out;
  }

  private static <T> List<T> nonEmpty(List<T> images, String field) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException(
          field + " must not be empty: give at least one normal image");
    }
    return images;
  }
}
