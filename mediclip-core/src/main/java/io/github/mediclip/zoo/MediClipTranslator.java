package io.github.mediclip.zoo;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.internal.DetectorAccess;
import io.github.mediclip.internal.train.GrayTensors;
import io.github.mediclip.synth.GrayImage;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * DJL {@link Translator} from an image to a {@link Prediction}. Supported inputs: DJL {@link Image}
 * (wrapping a {@link BufferedImage}, as DJL's default image factory does), {@link BufferedImage},
 * {@link Path} (an image file) and {@link GrayImage}.
 *
 * <p>Pre-processing: grayscale → resize to S×S → (3, S, S) normalised (batched by DJL's STACK
 * batchifier into (B, 3, S, S)). Post-processing: the (S, S) map is resized to the input's size,
 * thresholded and normalised with the detector's operating point.
 *
 * @param <I> the input type
 */
public final class MediClipTranslator<I> implements Translator<I, Prediction> {

  private static final String WIDTH = "mediclip.width";
  private static final String HEIGHT = "mediclip.height";

  private final MediClipDetector detector;
  private final Class<I> inputClass;

  /**
   * Creates a translator.
   *
   * @param detector the detector whose operating point and image size are used
   * @param inputClass one of {@link Image}, {@link BufferedImage}, {@link Path}, {@link GrayImage}
   * @throws IllegalArgumentException for another input class
   */
  public MediClipTranslator(MediClipDetector detector, Class<I> inputClass) {
    this.detector = Objects.requireNonNull(detector, "detector");
    this.inputClass = Objects.requireNonNull(inputClass, "inputClass");
    if (!MediClipTranslatorFactory.INPUTS.contains(inputClass)) {
      throw new IllegalArgumentException(
          "inputClass "
              + inputClass.getName()
              + " is not supported; use one of "
              + MediClipTranslatorFactory.INPUTS);
    }
  }

  @Override
  public NDList processInput(TranslatorContext ctx, I input) {
    GrayImage g = toGray(input);
    int s = detector.imageSize();
    float[] chw = new float[3 * s * s];
    GrayTensors.writeChw(GrayTensors.toSize(g, s), chw, 0);
    ctx.setAttachment(WIDTH, g.width());
    ctx.setAttachment(HEIGHT, g.height());
    NDArray x = ctx.getNDManager().create(chw, new Shape(3, s, s));
    return new NDList(x);
  }

  @Override
  public Prediction processOutput(TranslatorContext ctx, NDList list) {
    float[] map = list.get(0).toFloatArray();
    double score = list.get(1).toFloatArray()[0];
    int w = (Integer) ctx.getAttachment(WIDTH);
    int h = (Integer) ctx.getAttachment(HEIGHT);
    return DetectorAccess.get().toPrediction(detector, map, score, w, h);
  }

  private GrayImage toGray(Object input) {
    Objects.requireNonNull(input, "input");
    if (input instanceof GrayImage g) {
      return g;
    }
    if (input instanceof BufferedImage b) {
      return GrayImage.fromBufferedImage(b);
    }
    if (input instanceof Path p) {
      return GrayImage.read(p);
    }
    if (input instanceof Image img) {
      Object wrapped = img.getWrappedImage();
      if (wrapped instanceof BufferedImage b) {
        return GrayImage.fromBufferedImage(b);
      }
      throw new IllegalArgumentException(
          "DJL Image wraps "
              + wrapped.getClass().getName()
              + "; MediClipTranslator needs a BufferedImage-backed Image (DJL's default"
              + " BufferedImageFactory)");
    }
    throw new IllegalArgumentException(
        "unsupported input "
            + input.getClass().getName()
            + " (expected "
            + inputClass.getName()
            + ")");
  }

  @Override
  public String toString() {
    return "MediClipTranslator(" + inputClass.getSimpleName() + " -> Prediction)";
  }
}
