package io.github.mediclip;

import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the frozen CLIP backbone of a {@link MediClip} comes from: exactly one of a model {@link
 * Folder}, an already {@link Loaded} {@link ClipModel}, or a {@link Random} (untrained) preset. Set
 * with {@link MediClip.Builder#setBackbone(BackboneSource)} or the shortcuts {@link
 * MediClip.Builder#setBackbone(Path)}, {@link MediClip.Builder#setBackbone(ClipModel)} and {@link
 * MediClip.Builder#setRandomBackbone(String, long)}; read back with {@link MediClip#backbone()}.
 */
public sealed interface BackboneSource
    permits BackboneSource.Folder, BackboneSource.Loaded, BackboneSource.Random {

  /**
   * A CLIP model folder ({@code open_clip_config.json} or {@code config.json}, weights as
   * safetensors or an OpenAI {@code .pt}, tokenizer files; see docs/weights.md). The detector loads
   * and owns it.
   *
   * @param folder the model folder; must exist
   */
  record Folder(Path folder) implements BackboneSource {
    /**
     * Checks the folder.
     *
     * @param folder the model folder; must exist
     * @throws IllegalArgumentException when it is not a folder
     */
    public Folder {
      Objects.requireNonNull(folder, "backbone");
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException("backbone folder does not exist: " + folder);
      }
    }
  }

  /**
   * An already loaded backbone. The detector uses it without taking ownership (closing the detector
   * does not close it); a bundle saved from such a detector must be loaded with an explicit
   * backbone folder.
   *
   * @param model the backbone
   */
  record Loaded(ClipModel model) implements BackboneSource {
    /**
     * Checks the model.
     *
     * @param model the backbone
     */
    public Loaded {
      Objects.requireNonNull(model, "backbone");
    }
  }

  /**
   * A RANDOMLY INITIALISED (untrained) CLIP of a preset, for tests, demos and benchmarks. The
   * bundle records the preset and seed and re-creates the same weights on load.
   *
   * @param preset a {@link ClipConfig#preset} name, e.g. {@code "tiny"} or {@code "ViT-B-16"}
   * @param weightSeed the seed of the random weights
   */
  record Random(String preset, long weightSeed) implements BackboneSource {
    /**
     * Checks the preset name.
     *
     * @param preset a {@link ClipConfig#preset} name
     * @param weightSeed the seed of the random weights
     * @throws IllegalArgumentException for an unknown preset (the message lists the known ones)
     */
    public Random {
      Objects.requireNonNull(preset, "preset");
      if (!ClipConfig.presetNames().contains(preset)) {
        throw new IllegalArgumentException(
            "preset: unknown CLIP preset '" + preset + "'; known: " + ClipConfig.presetNames());
      }
    }
  }

  /**
   * A folder backbone.
   *
   * @param folder the model folder
   * @return the source
   */
  static BackboneSource folder(Path folder) {
    return new Folder(folder);
  }

  /**
   * A loaded backbone (not owned by the detector).
   *
   * @param model the backbone
   * @return the source
   */
  static BackboneSource loaded(ClipModel model) {
    return new Loaded(model);
  }

  /**
   * A random backbone of a preset.
   *
   * @param preset the preset name
   * @param weightSeed the seed of the random weights
   * @return the source
   */
  static BackboneSource random(String preset, long weightSeed) {
    return new Random(preset, weightSeed);
  }
}
