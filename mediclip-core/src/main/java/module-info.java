/**
 * MediCLIP for Java, core: the {@code MediClip.builder()} entry point and the detector, a
 * documented CLIP in DJL, the heads and training configuration, detector bundles and the DJL
 * translator / model-zoo entry. The heads, the trainer, losses, optimizer and weight codecs are in
 * non-exported {@code internal} packages (the exported list and the reason for each:
 * docs/architecture.md). Implements MediCLIP (MICCAI 2024, arXiv 2405.11315).
 *
 * <p>The jar also works on the class path. On the module path the native libtorch is the
 * application's choice (see docs/gpu.md).
 */
// DJL's jars are automatic modules (Automatic-Module-Name only); there is no named module to
// require instead.
// "module": the qualified exports name our downstream modules, which are not on this module's path
// at compile time.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "module"})
module io.github.mediclip.core {
  requires transitive io.github.mediclip.synth;
  requires transitive ai.djl.api;
  requires transitive java.desktop;
  requires ai.djl.pytorch_engine;
  requires com.google.common;
  requires com.google.gson;
  requires com.sun.jna;
  // Early release of memory-mapped safetensors regions (io.github.mediclip.internal.Unmapper);
  // without
  // it the mapping is released by the garbage collector instead.
  requires static jdk.unsupported;

  exports io.github.mediclip;
  exports io.github.mediclip.bundle;
  exports io.github.mediclip.clip;
  exports io.github.mediclip.formats;
  exports io.github.mediclip.model;
  exports io.github.mediclip.train;
  exports io.github.mediclip.zoo;

  // Implementation packages, shared with our own modules only (not API; see docs/architecture.md).
  exports io.github.mediclip.internal to
      io.github.mediclip.eval,
      io.github.mediclip.examples;
  exports io.github.mediclip.internal.metrics to
      io.github.mediclip.eval;
  exports io.github.mediclip.internal.clip to
      io.github.mediclip.examples;
  exports io.github.mediclip.internal.model to
      io.github.mediclip.examples;

  // The bundle manifest and the configuration records it holds are (de)serialized by Gson
  // reflectively.
  opens io.github.mediclip to
      com.google.gson;
  opens io.github.mediclip.bundle to
      com.google.gson;
  opens io.github.mediclip.model to
      com.google.gson;
  opens io.github.mediclip.train to
      com.google.gson;
  opens io.github.mediclip.clip to
      com.google.gson;

  uses io.github.mediclip.formats.VolumeReaderProvider;
  uses io.github.mediclip.formats.DicomFrameDecoder;

  provides ai.djl.repository.zoo.ZooProvider with
      io.github.mediclip.zoo.MediClipZooProvider;
}
