package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new application developer runs into first: the messages for the usual mistakes. */
class FirstHourTest {

  @Test
  void fitOnAFolderSaysItIsAFolder(@TempDir Path folder) {
    MediClip mc = MediClip.builder().setRandomBackbone("tiny", 1).optDevice(Device.cpu()).build();
    assertThatThrownBy(() -> mc.fit(List.of(folder)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("normals[0] is the folder " + folder + ", not an image file")
        .hasMessageNotContaining("no such file");
  }

  /**
   * Starts a JVM whose class path lacks pytorch-jni and pytorch-native-cpu, with an empty engine
   * cache and DJL offline, exactly as an application that forgot the native jars: the first engine
   * use must fail with our message, not DJL's download error.
   */
  @Test
  void missingNativeJarsNameTheArtifactsToAdd(@TempDir Path tmp) throws Exception {
    String cp =
        Arrays.stream(testClassPath().split(File.pathSeparator))
            .filter(e -> !e.contains("pytorch-native") && !e.contains("pytorch-jni"))
            .collect(Collectors.joining(File.pathSeparator));
    Path cache = Files.createDirectories(tmp.resolve("engine-cache"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-DENGINE_CACHE_DIR=" + cache);
    cmd.add("-DDJL_CACHE_DIR=" + cache);
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=off");
    cmd.add(DefaultDeviceMain.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(out)
        .startsWith("MediClipException: cannot load DJL's PyTorch engine (")
        .contains(
            "Add the native library to the application's runtime class path: "
                + "ai.djl.pytorch:pytorch-jni and ai.djl.pytorch:pytorch-native-cpu")
        .contains("see docs/gpu.md");
    assertThat(p.exitValue()).isEqualTo(3);
  }

  /**
   * A consumer's first run, as the README sets it up (slf4j-simple at WARN, CudaUtils at ERROR):
   * fit, then score one image, in a fresh JVM. Nothing may reach standard error: in particular not
   * libtorch's {@code Could not initialize NNPACK! Reason: Unsupported hardware.}, which a
   * single-image prediction printed three times on CPUs that NNPACK does not support (this
   * machine's AMD EPYC among them) before {@code TorchFlags} turned NNPACK off.
   */
  @Test
  void trainingAndOneSingleImagePredictionPrintNothingOnStandardError(@TempDir Path tmp)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(testClassPath());
    cmd.add("-Xmx1g");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Djava.io.tmpdir=" + tmp);
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error");
    cmd.add(FitAndPredictOneMain.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.redirectOutput(tmp.resolve("out.txt").toFile());
    pb.redirectError(tmp.resolve("err.txt").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
    String err = Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("exit status; stderr:%n%s", err).isZero();
    assertThat(out).startsWith("score ");
    assertThat(err).as("standard error of fit + one predict").isEmpty();
  }

  /** The child JVM's program: fit on two tiny images, then score one image on its own. */
  static final class FitAndPredictOneMain {
    private FitAndPredictOneMain() {}

    public static void main(String[] args) {
      MediClip mc =
          MediClip.builder()
              .setRandomBackbone("tiny", 1)
              .optDevice(Device.cpu())
              .optEpochs(1)
              .optValidationAnomalies(2)
              .optListener(io.github.mediclip.train.FitListener.silent())
              .build();
      try (MediClipDetector d = mc.fitGray(TinyData.normals(2, 64, 1))) {
        System.out.println("score " + d.predict(TinyData.normals(1, 64, 2).get(0)).score());
      }
    }
  }

  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }

  /** The child JVM's program: the first engine use of an application. */
  static final class DefaultDeviceMain {
    private DefaultDeviceMain() {}

    public static void main(String[] args) {
      try {
        System.out.println("device " + MediClip.defaultDevice());
      } catch (MediClipException e) {
        System.out.println("MediClipException: " + e.getMessage());
        System.exit(3);
      }
    }
  }
}
