package io.github.mediclip.spark;

import ai.djl.Device;
import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.phantom.PhantomDataset;
import io.github.mediclip.train.FitListener;
import io.github.mediclip.train.LabeledImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Test data shared by the Spark tests: a phantom dataset (4 training normals, 100 normal and 97
 * anomalous test slices, 64 x 64), three corrupt files among the test images, a detector trained
 * for one epoch on a tiny random CLIP and saved as a bundle zip, and the reference predictions of
 * {@link MediClipDetector#predict(Path)} for every readable test image, computed in this JVM.
 */
final class SparkFixture {

  /** Names of the corrupt files, relative to the test folder. */
  static final List<String> CORRUPT =
      List.of(
          "normal/corrupt_garbage.png",
          "abnormal/corrupt_truncated.png",
          "normal/corrupt_body.png");

  final Path testDir;
  final Path bundle;
  final Map<Path, Prediction> reference = new HashMap<>();
  final Map<Path, Integer> truth = new HashMap<>();

  SparkFixture(Path root) throws IOException {
    Dataset data = PhantomDataset.generate(root.resolve("phantom"), 4, 100, 97, 64, 11);
    testDir = root.resolve("phantom/test");
    List<Path> normals;
    try (Stream<Path> s = Files.list(root.resolve("phantom/train/normal"))) {
      normals = s.sorted().collect(Collectors.toList());
    }
    bundle = root.resolve("detector.zip");
    try (MediClipDetector d =
        MediClip.builder()
            .setRandomBackbone("tiny", 3)
            .optEpochs(1)
            .optBatchSize(2)
            .optSeed(7)
            .optWorkers(1)
            .optValidationAnomalies(2)
            .optDevice(Device.cpu())
            .optListener(new FitListener() {})
            .build()
            .fit(normals)) {
      d.save(bundle);
    }
    // the reference: the saved bundle loaded and scored in this JVM, one image per predict call
    try (MediClipDetector d = MediClip.loader().optDevice(Device.cpu()).load(bundle)) {
      for (LabeledImage sm : data.test()) {
        Path p = sm.file().toAbsolutePath().normalize();
        reference.put(p, d.predict(p));
        truth.put(p, sm.anomalous() ? 1 : 0);
      }
    }
    Path someImage = reference.keySet().iterator().next();
    byte[] png = Files.readAllBytes(someImage);
    Files.write(testDir.resolve(CORRUPT.get(0)), "this is not an image".getBytes());
    Files.write(testDir.resolve(CORRUPT.get(1)), Arrays.copyOf(png, png.length / 2));
    // a PNG signature followed by noise (Spark's file source never lists zero-byte files, so an
    // empty
    // file is no test of the scorer)
    byte[] body = Arrays.copyOf(png, 200);
    for (int i = 8; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    Files.write(testDir.resolve(CORRUPT.get(2)), body);
  }

  int images() {
    return reference.size() + CORRUPT.size();
  }
}
