package io.github.mediclip;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads saved detector bundles, in DJL's {@code Criteria} style: optional settings with {@code
 * opt*} (each default written below), then {@link #load(Path)}. Get one with {@link
 * MediClip#loader()}.
 *
 * <pre>{@code
 * try (MediClipDetector d = MediClip.loader()
 *     .optBackbone(Path.of("models/ViT-L-14"))
 *     .load(Path.of("brain-detector.zip"))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>A loader is a small mutable configuration; use one per thread or configure it before sharing.
 */
public final class DetectorLoader {

  private Path backboneFolder;
  private Device device;

  DetectorLoader() {}

  /**
   * Sets the CLIP model folder the detector was trained with. Default: the folder recorded in the
   * bundle's manifest (relative to the bundle's parent folder, then the absolute path at save
   * time), or the recorded random preset.
   *
   * @param folder the model folder
   * @return this loader
   */
  public DetectorLoader optBackbone(Path folder) {
    backboneFolder = Objects.requireNonNull(folder, "backbone");
    return this;
  }

  /**
   * Sets the device. Default: a GPU when DJL sees one, else the CPU ({@link
   * MediClip#defaultDevice()}).
   *
   * @param d the device
   * @return this loader
   */
  public DetectorLoader optDevice(Device d) {
    device = Objects.requireNonNull(d, "device");
    return this;
  }

  /**
   * Loads a detector bundle (folder or {@code .zip}).
   *
   * @param bundle the bundle folder or zip
   * @return the detector (close it when done)
   * @throws MediClipException when the bundle is malformed or the backbone cannot be found
   * @throws BackboneMismatchException when the backbone's weights differ from the ones trained on
   */
  public MediClipDetector load(Path bundle) {
    return BundleLoading.load(bundle, backboneFolder, device);
  }
}
