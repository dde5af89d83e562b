package io.github.mediclip.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading reads tensors from memory-mapped regions into native memory: a JVM whose heap is smaller
 * than the largest tensor still loads the model. Runs the load in a child JVM with {@code -Xmx24m}
 * for a model whose token embedding alone is 50 MB.
 */
class LowHeapLoadTest {

  static final ClipConfig WIDE_TEXT =
      new ClipConfig(
          16,
          new ClipConfig.VisionConfig(32, 1, 32, 8, 8, 4.0),
          new ClipConfig.TextConfig(8, 49408, 256, 4, 1),
          true);

  @TempDir Path tmp;

  @Test
  void modelWithTensorLargerThanTheHeapLoads() throws Exception {
    Path folder = tmp.resolve("model");
    float expected;
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> w = ClipWeights.randomInit(WIDE_TEXT, 5L, m);
      assertThat(w.get("token_embedding.weight").getShape().size() * 4).isGreaterThan(48L << 20);
      ClipWeights.writeFolder(folder, WIDE_TEXT, w, null);
      try (ClipModel model = ClipModel.fromWeights(WIDE_TEXT, w, Device.cpu())) {
        expected =
            model
                .encodeText(m.create(new int[] {49406, 320, 49407, 0, 0, 0, 0, 0}, new Shape(1, 8)))
                .sum()
                .getFloat();
      }
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx24m");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LowHeapLoadTest.class.getName());
    cmd.add(folder.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out;
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(done).as("child JVM finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String line =
        out.lines()
            .filter(l -> l.startsWith("RESULT "))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no result from child JVM:" + File.separator + out));
    assertThat(Float.parseFloat(line.substring(7))).isEqualTo(expected);
  }

  /**
   * Child JVM entry point: loads the folder and prints the text feature sum.
   *
   * @param args the model folder
   */
  public static void main(String[] args) {
    try (ClipModel model = ClipModel.load(Path.of(args[0]), Device.cpu());
        NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      float s =
          model
              .encodeText(m.create(new int[] {49406, 320, 49407, 0, 0, 0, 0, 0}, new Shape(1, 8)))
              .sum()
              .getFloat();
      System.out.println("RESULT " + s);
    }
  }
}
