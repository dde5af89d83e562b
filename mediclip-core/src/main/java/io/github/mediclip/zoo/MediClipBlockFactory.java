package io.github.mediclip.zoo;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.github.mediclip.DetectorLoader;
import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import java.nio.file.Path;
import java.util.Map;

/**
 * DJL {@link BlockFactory} named in a bundle's {@code serving.properties}: loads the detector
 * bundle in the model folder into a {@link MediClipBlock}. Argument {@code backbone} (a path)
 * overrides the backbone folder recorded in the manifest. The detector is closed together with the
 * DJL model.
 */
public final class MediClipBlockFactory implements BlockFactory {

  private static final long serialVersionUID = 1L;

  /** Creates the factory (DJL instantiates it by class name). */
  public MediClipBlockFactory() {}

  @Override
  public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
    Object bb = arguments == null ? null : arguments.get("backbone");
    Path backbone = bb == null ? null : Path.of(bb.toString());
    DetectorLoader loader = MediClip.loader().optDevice(model.getNDManager().getDevice());
    if (backbone != null) {
      loader.optBackbone(backbone);
    }
    MediClipDetector detector = loader.load(modelPath);
    // Tie the detector's native memory to the DJL model: closing the ZooModel closes it.
    model
        .getNDManager()
        .attachInternal("mediclip-detector-" + System.identityHashCode(detector), detector);
    return new MediClipBlock(detector);
  }
}
