/**
 * Anomaly synthesis for MediCLIP (MICCAI 2024): the {@link
 * io.github.mediclip.synth.AnomalySynthesizer} SPI, the six reference tasks, a weighted mixture and
 * a registry by declared name. Pure Java; Guava is the only dependency.
 */
// "module": the qualified export below names modules that are compiled after this one (javac cannot
// see them yet).
@SuppressWarnings("module")
module io.github.mediclip.synth {
  requires com.google.common;
  // GrayImage converts from and to java.awt.image.BufferedImage in its public API.
  requires transitive java.desktop;
  requires java.management;

  exports io.github.mediclip.synth;
  // The one image reader and pixel helpers (ImageIo), shared by our own modules only.
  exports io.github.mediclip.synth.internal to
      io.github.mediclip.core,
      io.github.mediclip.eval,
      io.github.mediclip.examples;

  uses io.github.mediclip.synth.SynthesizerProvider;

  provides io.github.mediclip.synth.SynthesizerProvider with
      io.github.mediclip.synth.internal.BuiltinProviders.CutPaste,
      io.github.mediclip.synth.internal.BuiltinProviders.GaussIntensity,
      io.github.mediclip.synth.internal.BuiltinProviders.SmoothIntensity,
      io.github.mediclip.synth.internal.BuiltinProviders.Source,
      io.github.mediclip.synth.internal.BuiltinProviders.Sink,
      io.github.mediclip.synth.internal.BuiltinProviders.Identity;
}
