package io.github.mediclip.zoo;

import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import io.github.mediclip.Prediction;
import io.github.mediclip.synth.GrayImage;
import java.awt.image.BufferedImage;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DJL {@link TranslatorFactory} for MediCLIP detector bundles: makes a {@link MediClipTranslator}
 * for inputs {@link Image}, {@link BufferedImage}, {@link Path} or {@link GrayImage} and output
 * {@link Prediction}. The model's block must be a {@link MediClipBlock} (a bundle's {@code
 * serving.properties} arranges that through {@link MediClipBlockFactory}).
 */
public final class MediClipTranslatorFactory implements TranslatorFactory {

  /** Supported input classes. */
  static final List<Class<?>> INPUTS =
      List.of(Image.class, BufferedImage.class, Path.class, GrayImage.class);

  /** Creates the factory (DJL instantiates it by class name). */
  public MediClipTranslatorFactory() {}

  @Override
  public Set<Pair<Type, Type>> getSupportedTypes() {
    Set<Pair<Type, Type>> s = new LinkedHashSet<>();
    for (Class<?> c : INPUTS) {
      s.add(new Pair<>(c, Prediction.class));
    }
    return s;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> Translator<I, O> newInstance(
      Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
      throws TranslateException {
    if (!isSupported(input, output)) {
      throw new IllegalArgumentException(
          "Unsupported types "
              + input.getName()
              + " -> "
              + output.getName()
              + "; MediCLIP supports "
              + INPUTS
              + " -> Prediction");
    }
    if (!(model.getBlock() instanceof MediClipBlock block)) {
      throw new TranslateException(
          "Model "
              + model.getName()
              + " is not a MediCLIP detector (its block is "
              + model.getBlock()
              + "); load a bundle folder written by MediClipDetector.save");
    }
    return (Translator<I, O>) new MediClipTranslator<>(block.detector(), input);
  }
}
