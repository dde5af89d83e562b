package io.github.mediclip.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a second JVM on the test class path, with its own (fake) temporary folder. */
final class ForkedJvm {
  private ForkedJvm() {}

  static ProcessBuilder builder(Path tmpdir, Class<?> main, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-Djava.io.tmpdir=" + tmpdir);
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Doffline=true");
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    return pb;
  }

  static Process start(Path tmpdir, Class<?> main, List<String> args) throws IOException {
    return builder(tmpdir, main, args).start();
  }
}
