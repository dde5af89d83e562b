package com.example;

import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.eval.EvaluationResult;
import io.github.mediclip.eval.DetectorEvaluator;
import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.DatasetReader;
import io.github.mediclip.eval.data.Layout;
import io.github.mediclip.train.LabeledImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains a detector on the normal training images of a data folder (my-data/train/normal, my-data/test/normal,
 * my-data/test/abnormal, optional masks in my-data/ground_truth/abnormal; see docs/evaluation.md), scores and
 * evaluates the test images and saves the detector.
 *
 * <p>Usage: {@code BrainDetector DATA_FOLDER OUT_FOLDER [CLIP_MODEL_FOLDER]}. Without a CLIP model folder
 * (docs/weights.md) it uses a RANDOM tiny backbone, which only shows that everything runs.
 */
public final class BrainDetector {

  public static void main(String[] args) {
    Dataset data = DatasetReader.read(Path.of(args[0]), Layout.AUTO);
    Path out = Path.of(args[1]);
    List<Path> normals = data.train().stream().map(LabeledImage::file).toList();
    List<Path> tests = data.test().stream().map(LabeledImage::file).toList();

    MediClip.Builder builder = MediClip.builder()
        .optShots(Math.min(16, normals.size()))   // k normal images; the rest validate
        .optEpochs(Integer.getInteger("epochs", 200))
        .optSeed(42);
    if (args.length > 2) {
      builder.setBackbone(Path.of(args[2]));
    } else {
      builder.setRandomBackbone("tiny", 42);     // RANDOM weights: to try the API only
    }
    try (MediClipDetector detector = builder.build().fit(normals)) {
      List<Prediction> predictions = detector.predictFiles(tests);
      for (int i = 0; i < tests.size(); i++) {
        Prediction p = predictions.get(i);
        System.out.printf("%s score %.4f anomalous %b%n", tests.get(i).getFileName(), p.score(), p.anomalous());
      }
      EvaluationResult r = DetectorEvaluator.builder().build().evaluate(detector, data, out.resolve("report"));
      System.out.printf("image AUROC %.4f%n", r.image().auroc());
      detector.save(out.resolve("detector"));
    }
  }
}
