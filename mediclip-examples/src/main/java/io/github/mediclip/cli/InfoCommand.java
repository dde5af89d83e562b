package io.github.mediclip.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mediclip info}: starts the engine and prints versions, the training device and the
 * synthesizers.
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the deep-learning engine and prints the library, DJL and PyTorch versions, the device "
          + "training would use and the registered anomaly synthesizers."
    })
final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON line instead of text.")
  boolean json;

  @Override
  public Integer call() {
    Engine engine = Engine.getInstance();
    Device device = engine.defaultDevice();
    List<String> synthesizers = Synth.names();
    Map<String, Object> o = Json.object();
    o.put("library", VersionInfo.libraryVersion());
    o.put("djl", Engine.getDjlVersion());
    o.put("engine", engine.getEngineName());
    o.put("pytorch", engine.getVersion());
    o.put("device", device.toString());
    o.put("gpus", engine.getGpuCount());
    o.put("java", System.getProperty("java.version"));
    o.put("synthesizers", synthesizers);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.line(o));
    } else {
      out.println("MediCLIP for Java " + o.get("library"));
      out.println("DJL " + o.get("djl") + ", engine " + o.get("engine") + " " + o.get("pytorch"));
      out.println("training device: " + device + " (GPUs visible: " + engine.getGpuCount() + ")");
      out.println("Java " + o.get("java"));
      out.println(
          "synthesizers: "
              + (synthesizers.isEmpty() ? "none registered" : String.join(", ", synthesizers)));
    }
    out.flush();
    return MediClipCli.EXIT_OK;
  }
}
