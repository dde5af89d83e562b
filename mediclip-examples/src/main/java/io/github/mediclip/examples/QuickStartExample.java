package io.github.mediclip.examples;

import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.clip.ImagePreprocessor;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.phantom.PhantomDataset;
import io.github.mediclip.train.LabeledImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Quick start: train a detector from k normal images, score new images, save the detector.
 *
 * <p>To run offline without weights, this example generates a small phantom dataset and uses a
 * RANDOMLY INITIALIZED tiny CLIP ({@code setRandomBackbone}); with real images, point {@code
 * setBackbone} at a pretrained CLIP model folder (docs/weights.md) and pass your own normal images
 * to {@code fit}.
 *
 * <p>Run: {@code java -cp mediclip.jar io.github.mediclip.examples.QuickStartExample [OUT_DIR
 * [EPOCHS]]}
 */
public final class QuickStartExample {
  private QuickStartExample() {}

  /**
   * Runs the example.
   *
   * @param args optional output folder (default {@code quickstart-out}, must be new or empty) and
   *     epochs (default 3)
   * @throws Exception on I/O errors
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "quickstart-out");
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Files.createDirectories(out);

    // 1. Data: 8 normal training images, 4 normal and 4 abnormal test images, 64 x 64 pixels.
    Dataset data = PhantomDataset.generate(out.resolve("data"), 8, 4, 4, 64, 42);
    List<Path> normals = data.train().stream().map(LabeledImage::file).toList();

    // 2. Configure: backbone, shots, epochs, seed. Everything else has the paper's defaults.
    MediClip mediclip =
        MediClip.builder()
            .setRandomBackbone("tiny", 7) // demo only: random weights, NOT a pretrained CLIP
            .optShots(6) // train on 6 images, hold 2 out for validation
            .optEpochs(epochs)
            .optSeed(42)
            .build();

    // 3. Train, score, save.
    try (MediClipDetector detector = mediclip.fit(normals)) {
      for (LabeledImage s : data.test()) {
        Prediction p = detector.predict(s.file());
        System.out.printf(
            Locale.ROOT,
            "%-20s label %d  score %.4f  normalized %.3f  anomalous %s%n",
            s.file().getFileName(),
            s.anomalous() ? 1 : 0,
            p.score(),
            p.normalizedScore(),
            p.anomalous());
      }
      LabeledImage first = data.test().get(data.test().size() - 1);
      detector
          .predict(first.file())
          .writeOverlayPng(ImagePreprocessor.read(first.file()), out.resolve("heatmap.png"));
      detector.save(out.resolve("detector"));
    }

    // 4. Load it again later (the random backbone is re-created from its preset and seed).
    try (MediClipDetector again = MediClip.load(out.resolve("detector"))) {
      System.out.printf(
          Locale.ROOT, "reloaded: image threshold %.4f%n", again.operatingPoint().imageThreshold());
    }
  }
}
