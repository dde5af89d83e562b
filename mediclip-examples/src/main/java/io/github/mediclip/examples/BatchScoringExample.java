package io.github.mediclip.examples;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.mediclip.Prediction;
import io.github.mediclip.zoo.MediClipModelZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Batch scoring with a DJL {@link Predictor}: load a detector bundle through DJL's model zoo and
 * score a folder of images in batches. Any code that already serves DJL models (a {@code Criteria},
 * a {@code ZooModel}, {@code Predictor.batchPredict}) can serve a MediCLIP detector the same way.
 *
 * <p>Run: {@code java -cp mediclip.jar io.github.mediclip.examples.BatchScoringExample BUNDLE
 * IMAGE_FOLDER [BATCH_SIZE]} (a bundle from {@code mediclip train}, {@code mediclip demo} or {@code
 * QuickStartExample}).
 */
public final class BatchScoringExample {
  private BatchScoringExample() {}

  /**
   * Runs the example.
   *
   * @param args the bundle folder, an image folder (searched recursively for
   *     .png/.jpg/.jpeg/.tif/.tiff/.bmp) and optionally the batch size (default 8)
   * @throws Exception when the bundle cannot be loaded or an image cannot be read
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: BatchScoringExample BUNDLE IMAGE_FOLDER [BATCH_SIZE]");
      System.exit(2);
    }
    Path bundle = Path.of(args[0]);
    Path folder = Path.of(args[1]);
    int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    List<Path> images;
    try (Stream<Path> s = Files.walk(folder)) {
      images =
          s.filter(Files::isRegularFile)
              .filter(
                  p ->
                      p.getFileName()
                          .toString()
                          .toLowerCase(Locale.ROOT)
                          .matches(".*\\.(png|jpe?g|tiff?|bmp)"))
              .sorted()
              .toList();
    }

    Criteria<Path, Prediction> criteria =
        Criteria.builder()
            .setTypes(Path.class, Prediction.class)
            .optGroupId(MediClipModelZoo.GROUP_ID)
            .optArtifactId(MediClipModelZoo.ARTIFACT_ID)
            .optArgument("bundle", bundle.toString())
            .build();
    try (ZooModel<Path, Prediction> model = criteria.loadModel();
        Predictor<Path, Prediction> predictor = model.newPredictor()) {
      for (int from = 0; from < images.size(); from += batchSize) {
        List<Path> batch =
            new ArrayList<>(images.subList(from, Math.min(images.size(), from + batchSize)));
        List<Prediction> predictions = predictor.batchPredict(batch);
        for (int i = 0; i < batch.size(); i++) {
          Prediction p = predictions.get(i);
          System.out.printf(
              Locale.ROOT,
              "%s\t%.5f\t%s%n",
              batch.get(i),
              p.score(),
              p.anomalous() ? "ANOMALOUS" : "normal");
        }
      }
    }
  }
}
