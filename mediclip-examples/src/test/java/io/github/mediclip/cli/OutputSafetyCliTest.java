package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.eval.phantom.PhantomDataset;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, output side, through the command line: {@code train --out} never deletes or replaces
 * what is not a bundle and checks, probes and locks its output before training (defects 1, 8, 12);
 * leftovers of an interrupted save are reported and recovered (9); hostile bundle zips and
 * manifests fail with one line naming the user's file and field, in a JVM whose temporary folder is
 * checked afterwards (3, 13, 14, 4); edited heads are refused (10); SIGINT saves the best state so
 * far. Every test compares the user's files byte for byte before and after.
 */
class OutputSafetyCliTest {
  @TempDir static Path tmp;
  static Path data;
  static Path backbone;
  static Path model;

  @BeforeAll
  static void prepare() {
    data = tmp.resolve("data");
    PhantomDataset.generate(data, 3, 2, 2, 48, 4);
    backbone = tmp.resolve("backbone");
    Backbones.writeRandom("tiny", 4, 48, backbone, null);
    model = tmp.resolve("model");
    CliTestSupport.Result r = train(model);
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  static CliTestSupport.Result train(Path out, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "train",
                "--data",
                data.toString(),
                "--backbone",
                backbone.toString(),
                "--k",
                "2",
                "--epochs",
                "1",
                "--out",
                out.toString()));
    a.addAll(List.of(extra));
    if (!a.contains("--seed")) {
      a.addAll(List.of("--seed", "2"));
    }
    return CliTestSupport.run(a.toArray(String[]::new));
  }

  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (var s = Files.walk(root)) {
      for (Path p : s.toList()) {
        out.put(
            root.relativize(p).toString(),
            Files.isRegularFile(p) ? sha(Files.readAllBytes(p)) : "dir");
      }
    }
    return out;
  }

  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> names(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A refused train: exit 1, exactly one line, before any training (no progress line). */
  static void assertRefusedBeforeTraining(CliTestSupport.Result r, String fragment) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    assertThat(r.err())
        .startsWith("mediclip: ")
        .contains(fragment)
        .doesNotContain("training:")
        .doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void defect1TrainNeverReplacesAFolderThatIsNotABundleNorAnInput() throws Exception {
    Path x = Files.createDirectories(tmp.resolve("d1/x/sub"));
    Files.writeString(tmp.resolve("d1/x/thesis.txt"), "thesis");
    Files.writeString(x.resolve("chapter.tex"), "chapter");
    Map<String, String> before = tree(tmp.resolve("d1"));
    Map<String, String> inputs = tree(tmp.resolve("data"));
    Map<String, String> bb = tree(backbone);
    assertRefusedBeforeTraining(
        train(tmp.resolve("d1/x")),
        "it is a folder that is not empty and does not hold a MediCLIP bundle (it holds sub/, thesis.txt)");
    assertRefusedBeforeTraining(
        train(tmp.resolve("d1/x"), "--overwrite"), "does not hold a MediCLIP bundle");
    assertRefusedBeforeTraining(train(backbone, "--overwrite"), "it is the input " + backbone);
    assertRefusedBeforeTraining(train(data, "--overwrite"), "it is the input " + data);
    assertRefusedBeforeTraining(train(data.resolve("bundle")), "it lies inside the input " + data);
    assertRefusedBeforeTraining(
        train(Path.of("").toAbsolutePath(), "--overwrite"),
        "it is the current working folder or one of its parents");
    assertThat(tree(tmp.resolve("d1"))).isEqualTo(before);
    assertThat(tree(data)).isEqualTo(inputs);
    assertThat(tree(backbone)).isEqualTo(bb);
    assertThat(names(tmp.resolve("d1"))).containsExactly("x");
  }

  @Test
  void defect1AnExistingBundleIsReplacedOnlyWithOverwrite() throws Exception {
    Path b = tmp.resolve("d1b/bundle");
    assertThat(train(b).exitCode()).isZero();
    Map<String, String> before = tree(b);
    assertRefusedBeforeTraining(train(b), "it already holds a detector bundle; pass --overwrite");
    assertThat(tree(b)).isEqualTo(before);
    CliTestSupport.Result r = train(b, "--overwrite", "--seed", "9");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(tree(b))
        .isNotEqualTo(before)
        .containsOnlyKeys("", "manifest.json", "heads.safetensors", "serving.properties");
    // next to the bundle: only the shot file train writes on purpose (issue 11), no leftover
    assertThat(names(tmp.resolve("d1b"))).containsExactly("bundle", "bundle.shots.txt");
  }

  @Test
  void defect8UnwritableOutputsFailBeforeTraining() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("d8"));
    Files.writeString(d.resolve("file"), "user file");
    Map<String, String> before = tree(d);
    assertRefusedBeforeTraining(
        train(d.resolve("file"), "--overwrite"), "it exists and is a file, not a folder");
    assertRefusedBeforeTraining(
        train(d.resolve("file/bundle")),
        "its parent " + d.resolve("file") + " is a file, not a folder");
    assertRefusedBeforeTraining(train(d.resolve("n".repeat(240))), "File name too long");
    assertThat(tree(d)).isEqualTo(before);
  }

  @Test
  void defect12ASecondTrainingIntoTheSameOutputFailsClearly() throws Exception {
    Path b = tmp.resolve("d12/bundle");
    Files.createDirectories(b.getParent());
    Path fakeTmp = Files.createDirectories(tmp.resolve("d12-tmp"));
    Process holder = ForkedJvm.start(fakeTmp, LockHolderMain.class, List.of(b.toString()));
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("held");
      CliTestSupport.Result r = train(b);
      assertRefusedBeforeTraining(r, "it is being written by pid " + holder.pid());
      assertThat(r.err()).contains("(lock file " + tmp.resolve("d12/.bundle.lock") + ")");
      assertThat(b).doesNotExist();
      holder.getOutputStream().close();
      assertThat(out.readLine()).isEqualTo("released");
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      holder.destroyForcibly();
    }
    CliTestSupport.Result ok = train(b);
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(names(tmp.resolve("d12"))).containsExactly("bundle", "bundle.shots.txt");
    assertThat(names(fakeTmp)).isEmpty();
  }

  @Test
  void defect9LeftoversAreReportedOnLoadAndRecoveredByTheNextTraining() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("d9"));
    Path b = d.resolve("bundle");
    assertThat(train(b).exitCode()).isZero();
    Map<String, String> saved = tree(b);
    Files.move(b, d.resolve(".bundle.old-7")); // a crash between the two renames of a replacement
    Path img = Files.list(data.resolve("test/normal")).sorted().findFirst().orElseThrow();
    CliTestSupport.Result det =
        CliTestSupport.run("detect", "--model", b.toString(), img.toString());
    assertThat(det.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(det.err().lines().toList()).hasSize(1);
    assertThat(det.err()).contains("Detector bundle not found: " + b).contains(".bundle.old-7");
    CliTestSupport.Result r = train(b, "--overwrite", "--seed", "9");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "mediclip: restored the bundle "
                + b
                + " from .bundle.old-7, left by an"
                + " interrupted save");
    assertThat(names(d)).containsExactly("bundle", "bundle.shots.txt");
    assertThat(tree(b)).isNotEqualTo(saved);
    // a stale leftover next to an existing bundle: the bundle loads, and the leftover is reported
    Files.createDirectories(d.resolve(".bundle.old-8"));
    for (String f : List.of("manifest.json", "heads.safetensors", "serving.properties")) {
      Files.copy(b.resolve(f), d.resolve(".bundle.old-8").resolve(f));
    }
    CliTestSupport.Result warn =
        CliTestSupport.run("detect", "--model", b.toString(), img.toString());
    assertThat(warn.exitCode()).as(warn.err()).isZero();
    assertThat(warn.err())
        .contains(
            "mediclip: warning: "
                + d.resolve(".bundle.old-8")
                + " was left by an interrupted save of "
                + b);
    assertThat(train(b, "--overwrite").err())
        .contains("mediclip: removed " + d.resolve(".bundle.old-8"));
    assertThat(names(d)).containsExactly("bundle", "bundle.shots.txt");
  }

  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bos)) {
      for (var e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return bos.toByteArray();
  }

  static Map<String, byte[]> files(Path bundle) throws IOException {
    Map<String, byte[]> m = new java.util.LinkedHashMap<>();
    for (String f : List.of("manifest.json", "heads.safetensors", "serving.properties")) {
      m.put(f, Files.readAllBytes(bundle.resolve(f)));
    }
    return m;
  }

  /**
   * Hostile zips and manifests, one {@code detect} each, in one forked JVM whose temporary folder
   * is a fresh folder checked afterwards; the last run is a good model, so the batch continued past
   * every bad one.
   */
  @Test
  void defects3And13And14HostileBundlesFailWithOneLineAndLeaveNoTemporaryFiles() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("d3"));
    Map<String, byte[]> good = files(model);
    String manifest = new String(good.get("manifest.json"), StandardCharsets.UTF_8);
    Map<String, String> cases = new java.util.LinkedHashMap<>();

    Map<String, byte[]> bigEntry = new java.util.LinkedHashMap<>(good);
    bigEntry.put("heads.safetensors", new byte[64 << 20]);
    bigEntry.put("../evil", new byte[] {1});
    Files.write(d.resolve("bomb-then-evil.zip"), zip(bigEntry));
    cases.put(
        "bomb-then-evil.zip",
        "!/heads.safetensors expands 1028 times (67108864 bytes); refusing a likely zip bomb");

    Map<String, byte[]> bigManifest = new java.util.LinkedHashMap<>(good);
    bigManifest.put("manifest.json", new byte[48 << 20]);
    Files.write(d.resolve("big-manifest.zip"), zip(bigManifest));
    cases.put("big-manifest.zip", "!/manifest.json is 50331648 bytes, more than the 1048576 bytes");

    Map<String, byte[]> emptyName = new java.util.LinkedHashMap<>(good);
    emptyName.put("", new byte[] {1});
    Files.write(d.resolve("empty-name.zip"), zip(emptyName));
    cases.put("empty-name.zip", "holds an entry with an empty name");

    String v = "\"formatVersion\": 2";
    Map<String, String> manifests = new java.util.LinkedHashMap<>();
    manifests.put("version-string.zip", manifest.replace(v, "\"formatVersion\": \"2\""));
    manifests.put("version-4294967297.zip", manifest.replace(v, "\"formatVersion\": 4294967297"));
    manifests.put("version-fraction.zip", manifest.replace(v, "\"formatVersion\": 1.5"));
    manifests.put("version-negative.zip", manifest.replace(v, "\"formatVersion\": -7"));
    manifests.put("version-missing.zip", manifest.replace(v + ",", ""));
    manifests.put(
        "position.zip", manifest.replace("\"position\": \"END\"", "\"position\": \"SIDEWAYS\""));
    manifests.put(
        "prompts-null.zip",
        manifest.replaceFirst("\"normalPrompts\": \\[[^\\]]*\\]", "\"normalPrompts\": null"));
    manifests.put("image-size.zip", manifest.replace("\"imageSize\": 48", "\"imageSize\": 100000"));
    manifests.put(
        "edited-image-size.zip", manifest.replace("\"imageSize\": 48", "\"imageSize\": 64"));
    Map<String, String> expect =
        Map.of(
            "version-string.zip", "field 'formatVersion' is the string \"2\"; expected an integer",
            "version-4294967297.zip",
                "field 'formatVersion' is 4294967297 but this library reads versions 1 to 2",
            "version-fraction.zip", "field 'formatVersion' is 1.5; expected an integer",
            "version-negative.zip", "field 'formatVersion' is -7; expected a positive integer",
            "version-missing.zip", "field 'formatVersion' is missing",
            "position.zip",
                "field 'heads.position' is \"SIDEWAYS\"; expected one of [END, MIDDLE, FRONT]",
            "prompts-null.zip", "field 'heads.normalPrompts' is null; expected a list",
            "image-size.zip", "field 'imageSize' is 100000; expected an integer in [16, 4096]",
            "edited-image-size.zip", "the fields imageSize, heads or backbone");
    for (var e : manifests.entrySet()) {
      assertThat(e.getValue()).as(e.getKey()).isNotEqualTo(manifest);
      Map<String, byte[]> z = new java.util.LinkedHashMap<>(good);
      z.put("manifest.json", e.getValue().getBytes(StandardCharsets.UTF_8));
      Files.write(d.resolve(e.getKey()), zip(z));
      cases.put(e.getKey(), expect.get(e.getKey()));
    }
    Files.write(d.resolve("good.zip"), zip(good));
    Map<String, String> before = tree(d);

    Path img = Files.list(data.resolve("test/abnormal")).sorted().findFirst().orElseThrow();
    List<String> args = new ArrayList<>();
    for (String zipName : cases.keySet()) {
      args.addAll(
          List.of("detect", "--model", d.resolve(zipName).toString(), img.toString(), "--next"));
    }
    args.addAll(List.of("detect", "--model", d.resolve("good.zip").toString(), img.toString()));
    Path fakeTmp = Files.createDirectories(tmp.resolve("d3-tmp"));
    Process p =
        ForkedJvm.builder(fakeTmp, CliBatchMain.class, args).redirectErrorStream(true).start();
    String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(all).contains("@@done");
    List<String> blocks = List.of(all.split("@@run "));
    List<String> zips = new ArrayList<>(cases.keySet());
    for (int i = 0; i < zips.size(); i++) {
      String block = blocks.get(i + 1);
      String zipPath = d.resolve(zips.get(i)).toString();
      assertThat(block).as(zips.get(i)).contains("@@exit 1");
      List<String> errs = block.lines().filter(l -> l.startsWith("@@err ")).toList();
      assertThat(errs).as(block).hasSize(1);
      assertThat(errs.get(0))
          .as(zips.get(i))
          .startsWith("@@err mediclip: ")
          .contains(zipPath)
          .contains(cases.get(zips.get(i)))
          .doesNotContain("Exception");
    }
    String last = blocks.get(blocks.size() - 1);
    assertThat(last).contains("@@exit 0").contains("\"score\"");
    assertThat(tree(d)).isEqualTo(before);
    assertThat(names(fakeTmp)).as("nothing left in the temporary folder").isEmpty();
  }

  @Test
  void sigintDuringTrainStopsSavesTheBestStateAndSaysSo() throws Exception {
    Path b = tmp.resolve("sigint/bundle");
    Path fakeTmp = Files.createDirectories(tmp.resolve("sigint-tmp"));
    Process p =
        ForkedJvm.start(
            fakeTmp,
            MediClipCli.class,
            List.of(
                "train",
                "--data",
                data.toString(),
                "--backbone",
                backbone.toString(),
                "--k",
                "2",
                "--epochs",
                "500",
                "--out",
                b.toString()));
    StringBuilder err = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        err.append(line).append('\n');
        if (line.startsWith("epoch 1/500")) {
          new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        }
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(err.toString())
        .contains("mediclip: interrupted: stopping after the current step")
        .containsPattern(
            "mediclip: interrupted: saved the best heads so far \\(epoch \\d+ of \\d+ run\\) to ");
    JsonObject j =
        JsonParser.parseString(out.strip().lines().reduce((a, c) -> c).orElseThrow())
            .getAsJsonObject();
    assertThat(j.get("stop_reason").getAsString()).isEqualTo("interrupted");
    assertThat(j.get("epochs_run").getAsInt()).isBetween(1, 499);
    try (MediClipDetector d = MediClip.load(b)) {
      assertThat(d.manifest().training().summary().stopReason().label()).isEqualTo("interrupted");
    }
    assertThat(names(b.getParent())).containsExactly("bundle", "bundle.shots.txt");
    assertThat(names(fakeTmp)).isEmpty();
  }
}
