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

/** Converts the typed inputs of {@link MediClip#fit} into labelled images, with one-line errors. */
final class TrainingInputs {

  private TrainingInputs() {}

  static List<LabeledImage> fromFiles(Collection<Path> files, String field) {
    Objects.requireNonNull(files, field);
    List<LabeledImage> out = new ArrayList<>(files.size());
    int i = 0;
    for (Path p : files) {
      if (p == null) {
        throw new NullPointerException(field + "[" + i + "] is null");
      }
      if (Files.isDirectory(p)) {
        throw new IllegalArgumentException(
            field + "[" + i + "] is the folder " + p + ", not an image file; pass the image files"
                + " in it (for example from Files.list)");
      }
      out.add(LabeledImage.normal(p.getFileName().toString(), GrayImage.read(p)));
      i++;
    }
    return nonEmpty(out, field);
  }

  static List<LabeledImage> fromLabeled(List<LabeledImage> images, String field) {
    Objects.requireNonNull(images, field);
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i) == null) {
        throw new NullPointerException(field + "[" + i + "] is null");
      }
    }
    return nonEmpty(List.copyOf(images), field);
  }

  static List<LabeledImage> fromImages(List<? extends BufferedImage> images, String field) {
    Objects.requireNonNull(images, field);
    List<LabeledImage> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      BufferedImage bi = images.get(i);
      if (bi == null) {
        throw new NullPointerException(field + "[" + i + "] is null");
      }
      out.add(LabeledImage.normal(field + "[" + i + "]", GrayImage.fromBufferedImage(bi)));
    }
    return nonEmpty(out, field);
  }

  static List<LabeledImage> fromGray(List<GrayImage> images, String field) {
    Objects.requireNonNull(images, field);
    List<LabeledImage> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      GrayImage g = images.get(i);
      if (g == null) {
        throw new NullPointerException(field + "[" + i + "] is null");
      }
      out.add(LabeledImage.normal(field + "[" + i + "]", g));
    }
    return nonEmpty(out, field);
  }

  private static List<LabeledImage> nonEmpty(List<LabeledImage> images, String field) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException(
          field + " must not be empty: give at least one normal image");
    }
    return images;
  }
}
