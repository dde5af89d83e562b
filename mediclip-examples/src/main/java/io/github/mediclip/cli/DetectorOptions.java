package io.github.mediclip.cli;

import io.github.mediclip.DetectorLoader;
import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.MediClipException;
import io.github.mediclip.bundle.DetectorBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --model}, {@code --backbone} and {@code --device} options of the commands that load a
 * bundle.
 */
final class DetectorOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--model", required = true, description = "Detector bundle folder (or .zip).")
  Path model;

  @Option(
      names = "--backbone",
      description = "CLIP model folder (default: as recorded in the bundle).")
  Path backbone;

  @Mixin DeviceOption device;

  /** Checks the option values that need no engine (a bad value is a usage error, exit code 2). */
  void validate() {
    device.validate();
  }

  /**
   * Loads the bundle {@code --model} with {@code --backbone} (or the recorded one) on {@code
   * --device}; a bad bundle is one line naming the file and field, and leftovers of an interrupted
   * save next to it are reported.
   */
  MediClipDetector load() {
    MediClipDetector d;
    try {
      DetectorLoader loader = MediClip.loader().optDevice(device.device());
      if (backbone != null) {
        loader.optBackbone(backbone);
      }
      d = loader.load(model);
    } catch (MediClipException e) {
      throw new CliException(e.getMessage());
    }
    if (mixee != null) {
      PrintWriter err = mixee.commandLine().getErr();
      for (Path p : DetectorBundle.leftovers(model)) {
        err.println(
            "mediclip: warning: "
                + p
                + " was left by an interrupted save of "
                + model
                + "; the next save to "
                + model.getFileName()
                + " removes it");
      }
      err.flush();
    }
    return d;
  }
}
