package io.github.mediclip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.internal.BundleCodec;
import io.github.mediclip.bundle.internal.BundleSource;
import io.github.mediclip.internal.PyTorchEngines;
import io.github.mediclip.internal.model.MediClipHeads;
import io.github.mediclip.model.HeadsConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Assembles a detector from a bundle: the bundle codec reads and checks the bundle (bounded, never
 * extracted), this class opens the backbone it names and loads the heads into it. Behind {@link
 * DetectorLoader} and {@link MediClip#load(Path)}.
 */
final class BundleLoading {

  private BundleLoading() {}

  static MediClipDetector load(Path bundle, Path backboneFolder, Device device) {
    Objects.requireNonNull(bundle, "bundle");
    try (BundleSource src = BundleSource.open(bundle)) {
      BundleManifest m = src.manifest();
      // Everything that can be checked without the backbone is checked before the engine starts.
      BundleCodec.clipConfig(
          src); // image size, layers and preset against the recorded configuration
      byte[] headsBytes = BundleCodec.readHeads(src); // bounded, content hashes checked
      HeadsConfig hc = BundleCodec.headsConfig(m.heads());
      Device dev = device != null ? device : PyTorchEngines.defaultDevice();
      BundleManifest.Backbone ref = m.backbone();
      Backbones.Opened backbone;
      if ("random".equals(ref.kind()) && backboneFolder == null) {
        backbone = Backbones.random(ref.preset(), ref.randomSeed(), m.imageSize(), dev, true);
      } else {
        Path folder =
            backboneFolder != null ? backboneFolder : BundleCodec.locateBackbone(bundle, ref);
        backbone =
            new Backbones.Opened(
                Backbones.loadClip(folder, m.imageSize(), dev, true), true, folder, null, 0);
      }
      MediClipHeads heads = null;
      try {
        BundleCodec.checkBackbone(
            bundle,
            m,
            backbone.sha256(),
            backbone.folder() != null
                ? "folder " + backbone.folder()
                : "(random " + ref.preset() + ")",
            backbone.model().config().vision().layers());
        heads = MediClipHeads.create(backbone.model(), hc, m.provenance().seed());
        Map<String, Shape> expected = new LinkedHashMap<>();
        heads.parameters().forEach((k, v) -> expected.put(k, v.getShape()));
        Map<String, float[]> values = BundleCodec.decodeHeads(src, headsBytes, expected);
        try (NDManager tmp = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
          Map<String, NDArray> params = new LinkedHashMap<>();
          values.forEach((k, v) -> params.put(k, tmp.create(v, expected.get(k))));
          heads.loadParameters(params);
        }
        return new MediClipDetector(
            backbone.model(),
            true,
            backbone.folder(),
            heads,
            m,
            bundle.toAbsolutePath().normalize());
      } catch (RuntimeException | Error e) {
        if (heads != null) {
          heads.close();
        }
        backbone.model().close();
        throw e;
      }
    }
  }
}
