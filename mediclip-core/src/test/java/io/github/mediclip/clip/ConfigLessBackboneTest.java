package io.github.mediclip.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.internal.clip.TorchScriptWeightsTest;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.FitListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's weight layout: a folder with OpenAI-named weights (a TorchScript {@code .pt} archive,
 * or safetensors) and tokenizer files but NO {@code open_clip_config.json}/{@code config.json}
 * works through {@code MediClip.builder().setBackbone(folder)}, fit, save and load, with the
 * architecture inferred from the tensor shapes, and gives exactly the scores of the same weights
 * with their config.
 */
class ConfigLessBackboneTest {

  /** OpenAI's rules hold for it (head width 64, QuickGELU), so the inferred config equals it. */
  static final ClipConfig CFG =
      new ClipConfig(
          32,
          new ClipConfig.VisionConfig(48, 2, 64, 64, 8, 4.0),
          new ClipConfig.TextConfig(77, 600, 64, 1, 1),
          true);

  @TempDir static Path tmp;
  static Path withConfig;
  static Path safetensorsOnly;
  static Path torchScriptOnly;
  static List<GrayImage> normals;

  @BeforeAll
  static void writeFolders() throws Exception {
    Map<String, float[]> values = TorchScriptWeightsTest.values(CFG, 3);
    Map<String, long[]> shapes = TorchScriptWeightsTest.shapes(CFG);
    withConfig = tmp.resolve("with-config");
    safetensorsOnly = tmp.resolve("ViT-tiny-safetensors");
    torchScriptOnly = Files.createDirectories(tmp.resolve("ViT-tiny-pt"));
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      values.forEach((k, v) -> arrays.put(k, m.create(v, new Shape(shapes.get(k)))));
      ClipWeights.writeFolder(withConfig, CFG, arrays, ClipTokenizer.byteLevel());
      ClipWeights.writeFolder(safetensorsOnly, CFG, arrays, ClipTokenizer.byteLevel());
    }
    Files.delete(safetensorsOnly.resolve(ClipWeights.CONFIG_FILE));
    TorchScriptWeightsTest.ArchiveWriter.write(
        torchScriptOnly.resolve("ViT-tiny.pt"), shapes, values, true);
    ClipTokenizer.byteLevel().save(torchScriptOnly);
    normals = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 3; i++) {
      float[] px = new float[48 * 48];
      for (int j = 0; j < px.length; j++) {
        px[j] = (float) (100 + 50 * Math.sin(j * 0.3 + i) + r.nextDouble(-5, 5));
      }
      normals.add(GrayImage.of(48, 48, px));
    }
  }

  static MediClip mediClip(Path folder) {
    return MediClip.builder()
        .setBackbone(folder)
        .optEpochs(1)
        .optPrompts(List.of("normal"), List.of("abnormal"))
        .optFastPromptEncoder(true)
        .optLayers(1, 2)
        .optSeed(2)
        .optWorkers(1)
        .optValidationAnomalies(2)
        .optDevice(Device.cpu())
        .optListener(FitListener.silent())
        .build();
  }

  static double fitAndScore(Path folder, Path bundle) {
    try (MediClipDetector d = mediClip(folder).fitGray(normals)) {
      double score = d.predict(normals.get(0)).score();
      if (bundle != null) {
        d.save(bundle);
      }
      return score;
    }
  }

  @Test
  void configLessFoldersTrainLikeTheSameWeightsWithTheirConfig() {
    assertThat(ClipModel.readConfig(safetensorsOnly)).isEqualTo(CFG);
    assertThat(ClipModel.readConfig(torchScriptOnly)).isEqualTo(CFG);
    assertThat(mediClip(torchScriptOnly).clipConfig()).isEqualTo(CFG);
    double expected = fitAndScore(withConfig, null);
    assertThat(fitAndScore(safetensorsOnly, null)).isEqualTo(expected);
    Path bundle = tmp.resolve("bundles/from-pt");
    // the .pt archive holds the same values (exact in half precision)
    assertThat(fitAndScore(torchScriptOnly, bundle)).isEqualTo(expected);
    try (MediClipDetector d = MediClip.load(bundle)) {
      assertThat(d.predict(normals.get(0)).score()).isEqualTo(expected);
    }
  }

  @Test
  void aFolderWithoutConfigOrWeightsIsRefusedByName() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    ClipTokenizer.byteLevel().save(empty);
    assertThatThrownBy(() -> mediClip(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "backbone: CLIP model folder "
                + empty
                + " has no "
                + ClipWeights.CONFIG_FILE
                + " or config.json and no weights to infer the architecture from");
  }
}
