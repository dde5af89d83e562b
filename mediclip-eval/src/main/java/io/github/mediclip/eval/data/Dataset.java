package io.github.mediclip.eval.data;

import io.github.mediclip.train.LabeledImage;
import java.util.List;
import java.util.Objects;

/**
 * A few-shot anomaly-detection dataset: a pool of normal training images and a labelled test set,
 * both lists of image files ({@link LabeledImage#ofFile}).
 *
 * @param name dataset name (the folder name, or the single {@code clsname} of a MediCLIP layout)
 * @param train normal images to draw the k shots from
 * @param test normal and anomalous test images, some with masks
 */
public record Dataset(String name, List<LabeledImage> train, List<LabeledImage> test) {

  /**
   * Copies the lists.
   *
   * @param name dataset name (the folder name, or the single {@code clsname} of a MediCLIP layout)
   * @param train normal images to draw the k shots from
   * @param test normal and anomalous test images, some with masks
   * @throws IllegalArgumentException when an entry is an image in memory instead of a file
   */
  public Dataset {
    Objects.requireNonNull(name, "name");
    train = List.copyOf(train);
    test = List.copyOf(test);
    requireFiles(name, "train", train);
    requireFiles(name, "test", test);
  }

  private static void requireFiles(String name, String split, List<LabeledImage> images) {
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i).file() == null) {
        throw new IllegalArgumentException(
            "dataset "
                + name
                + ": "
                + split
                + "["
                + i
                + "] ("
                + images.get(i).id()
                + ") is an image in memory; a Dataset holds image files (LabeledImage.ofFile)");
      }
    }
  }

  /**
   * Number of anomalous test images.
   *
   * @return the number of anomalous test images
   */
  public long testAnomalous() {
    return test.stream().filter(LabeledImage::anomalous).count();
  }

  /**
   * Number of normal test images.
   *
   * @return the number of normal test images
   */
  public long testNormal() {
    return test.size() - testAnomalous();
  }

  /**
   * Number of test images with a mask.
   *
   * @return the number of test images with a mask
   */
  public long testMasks() {
    return test.stream().filter(s -> s.maskFile() != null).count();
  }

  /**
   * Whether every anomalous test image has a mask, so that pixel metrics can be computed.
   *
   * @return {@code true} if every anomalous test image has a mask
   */
  public boolean hasPixelGroundTruth() {
    return testAnomalous() > 0
        && test.stream().filter(LabeledImage::anomalous).allMatch(s -> s.maskFile() != null);
  }

  /**
   * One line such as {@code brainmri: train 52 normal, test 35 normal + 141 anomalous, 0 masks}.
   *
   * @return a one-line summary such as {@code brainmri: train 52 normal, test 35 normal + 141
   *     anomalous, 0 masks}
   */
  public String describe() {
    return name
        + ": train "
        + train.size()
        + " normal, test "
        + testNormal()
        + " normal + "
        + testAnomalous()
        + " anomalous, "
        + testMasks()
        + " masks";
  }
}
