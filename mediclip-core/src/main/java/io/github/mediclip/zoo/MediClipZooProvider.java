package io.github.mediclip.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/**
 * Registers {@link MediClipModelZoo} with DJL through {@link java.util.ServiceLoader} ({@code
 * META-INF/services/ai.djl.repository.zoo.ZooProvider}).
 */
public final class MediClipZooProvider implements ZooProvider {

  /** Creates the provider (called by the ServiceLoader). */
  public MediClipZooProvider() {}

  @Override
  public String getName() {
    return "MediClip";
  }

  @Override
  public ModelZoo getModelZoo() {
    return new MediClipModelZoo();
  }
}
