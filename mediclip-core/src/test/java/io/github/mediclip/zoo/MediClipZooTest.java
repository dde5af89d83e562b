package io.github.mediclip.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.FitListener;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a saved bundle through DJL: Criteria.optModelPath, the model zoo, batch prediction. */
class MediClipZooTest {

  @TempDir static Path tmp;
  static Path bundle;
  static BufferedImage image;
  static Prediction direct;

  @BeforeAll
  static void trainAndSave() {
    List<GrayImage> normals = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 3; i++) {
      float[] px = new float[64 * 64];
      for (int j = 0; j < px.length; j++) {
        px[j] = (float) (100 + 30 * Math.sin(j * 0.05) + r.nextDouble(-5, 5));
      }
      normals.add(GrayImage.of(64, 64, px));
    }
    image = normals.get(0).resize(70, 60).toBufferedImage();
    MediClip mc =
        MediClip.builder()
            .setRandomBackbone("tiny", 1)
            .optEpochs(1)
            .optPrompts(List.of("normal"), List.of("abnormal"))
            .optFastPromptEncoder(true)
            .optBatchSize(4)
            .optWorkers(1)
            .optValidationAnomalies(2)
            .optDevice(Device.cpu())
            .optListener(FitListener.silent())
            .build();
    bundle = tmp.resolve("detector");
    try (MediClipDetector d = mc.fitGray(normals)) {
      d.save(bundle);
      direct = d.predict(image);
    }
  }

  @AfterAll
  static void done() {
    bundle = null;
  }

  @Test
  void criteriaWithModelPathLoadsThroughServingProperties() throws Exception {
    Criteria<Image, Prediction> criteria =
        Criteria.builder()
            .setTypes(Image.class, Prediction.class)
            .optModelPath(bundle)
            .optEngine("PyTorch")
            .optTranslatorFactory(new MediClipTranslatorFactory())
            .optDevice(Device.cpu())
            .build();
    try (ZooModel<Image, Prediction> model = criteria.loadModel();
        Predictor<Image, Prediction> predictor = model.newPredictor()) {
      Image img = ImageFactory.getInstance().fromImage(image);
      Prediction p = predictor.predict(img);
      assertThat(p.score()).isEqualTo(direct.score());
      assertThat(p.anomalyMap().width()).isEqualTo(70);
      assertThat(p.anomalyMap().height()).isEqualTo(60);
      assertThat(p.anomalyMap().toArray()).containsExactly(direct.anomalyMap().toArray());
      List<Prediction> batch = predictor.batchPredict(List.of(img, img));
      assertThat(batch).hasSize(2);
      assertThat(batch.get(1).score())
          .isCloseTo(direct.score(), org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void modelZooLoadsBundleArgumentWithBufferedImageInput() throws Exception {
    assertThat(ModelZoo.hasModelZoo(MediClipModelZoo.GROUP_ID)).isTrue();
    Criteria<BufferedImage, Prediction> criteria =
        Criteria.builder()
            .setTypes(BufferedImage.class, Prediction.class)
            .optGroupId(MediClipModelZoo.GROUP_ID)
            .optArtifactId(MediClipModelZoo.ARTIFACT_ID)
            .optArgument("bundle", bundle.toString())
            .optDevice(Device.cpu())
            .build();
    try (ZooModel<BufferedImage, Prediction> model = criteria.loadModel();
        Predictor<BufferedImage, Prediction> predictor = model.newPredictor()) {
      assertThat(predictor.predict(image).score()).isEqualTo(direct.score());
    }
  }
}
