package io.github.mediclip.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The {@code --device} option shared by the commands that run a model, and its parsing. */
final class DeviceOption {
  @Option(
      names = "--device",
      paramLabel = "<device>",
      defaultValue = "auto",
      description =
          "cpu, gpu, gpu:N or auto = a GPU when DJL sees one, else the CPU (default: ${DEFAULT-VALUE}).")
  String spec;

  /**
   * Checks the syntax of {@code --device} without starting the engine; a bad value is a usage
   * error.
   */
  void validate() {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    if (s.equals("auto") || s.equals("cpu") || s.equals("gpu")) {
      return;
    }
    if (s.startsWith("gpu:")) {
      int id = parseInt("--device", s.substring(4));
      if (id < 0) {
        throw new CliException(
            "--device gpu:N needs N >= 0, but was '" + spec + "'", MediClipCli.EXIT_USAGE);
      }
      return;
    }
    throw new CliException(
        "--device must be cpu, gpu, gpu:N or auto, but was '" + spec + "'", MediClipCli.EXIT_USAGE);
  }

  /** The device named by {@code --device}; see {@link #parse}. */
  Device device() {
    return parse(spec);
  }

  /**
   * {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} (a GPU when DJL sees one, else the
   * CPU).
   */
  static Device parse(String spec) {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    if (s.equals("auto")) {
      return Engine.getInstance().defaultDevice();
    }
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("gpu") || s.startsWith("gpu:")) {
      int id = s.equals("gpu") ? 0 : parseInt("--device", s.substring(4));
      int gpus = Engine.getInstance().getGpuCount();
      if (id >= gpus) {
        throw new CliException(
            "--device "
                + spec
                + ": DJL's PyTorch engine sees "
                + gpus
                + " GPU(s); "
                + "install the CUDA build of libtorch 2.7.1 (see docs/gpu.md) or use --device cpu");
      }
      return Device.gpu(id);
    }
    throw new CliException(
        "--device must be cpu, gpu, gpu:N or auto, but was '" + spec + "'", MediClipCli.EXIT_USAGE);
  }

  private static int parseInt(String option, String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new CliException(option + ": not a number: '" + s + "'", MediClipCli.EXIT_USAGE);
    }
  }
}
