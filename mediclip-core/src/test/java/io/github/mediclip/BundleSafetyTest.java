package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.BundleOutput;
import io.github.mediclip.bundle.DetectorBundle;
import io.github.mediclip.bundle.SaveOptions;
import io.github.mediclip.internal.clip.SafetensorsReader;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.train.FitListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests of issue 10 (output side) through the library: output-folder rules (defect 1),
 * bundle zip limits (3), writability checked before anything is written (8), interrupted saves (9),
 * head-weight validation and content hashes (10), the output lock (12), manifest field errors and
 * format versions (13, 14, 4), umask permissions and checkpoints that a restart must not replace.
 * Each test checks that the user's files are byte-identical afterwards and that nothing of ours is
 * left behind.
 */
class BundleSafetyTest {

  static MediClipDetector detector;
  @TempDir static Path shared;
  static Path bundle;

  /** Untrained heads (stopped before the first optimizer step): fast, and a real bundle. */
  static MediClip.Builder quick() {
    return MediClip.builder()
        .setRandomBackbone("tiny", 3)
        .optImageSize(48)
        .optEpochs(1)
        .optPrompts(List.of("normal"), List.of("abnormal"))
        .optFastPromptEncoder(true)
        .optBatchSize(2)
        .optShots(2)
        .optSeed(5)
        .optWorkers(1)
        .optValidationAnomalies(2)
        .optDevice(Device.cpu());
  }

  @BeforeAll
  static void fit() {
    detector =
        quick()
            .optListener(
                new FitListener() {
                  @Override
                  public boolean onStep(int epoch, int step, double loss) {
                    return false;
                  }
                })
            .build()
            .fitGray(TinyData.normals(4, 48, 1));
    bundle = shared.resolve("det");
    detector.save(bundle);
  }

  @AfterAll
  static void close() {
    if (detector != null) {
      detector.close();
    }
  }

  /** Every file under a folder (and the folder's own siblings) with its SHA-256. */
  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (var s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String key = root.relativize(p).toString();
        out.put(key, Files.isRegularFile(p) ? sha(Files.readAllBytes(p)) : "dir");
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

  // ---------------------------------------------------------------------------------------------
  // Defect 1: only a bundle is replaced, and only with optOverwrite(true).

  @Test
  void defect1SaveRefusesAFolderThatIsNotABundleAndLeavesItByteIdentical(@TempDir Path tmp)
      throws Exception {
    Path x = Files.createDirectories(tmp.resolve("x/sub"));
    Files.writeString(tmp.resolve("x/thesis.txt"), "thesis");
    Files.writeString(x.resolve("notes.md"), "notes");
    Map<String, String> before = tree(tmp);
    assertThatThrownBy(
            () -> detector.save(tmp.resolve("x"), SaveOptions.builder().optOverwrite(true).build()))
        .isInstanceOf(MediClipException.class)
        .hasMessage(
            "Refusing to write the detector bundle "
                + tmp.resolve("x")
                + ": it is a folder that is not empty and does not hold a MediCLIP bundle (it holds sub/,"
                + " thesis.txt); choose a new or empty folder; nothing was written");
    assertThat(tree(tmp)).isEqualTo(before);
  }

  @Test
  void defect1AnExistingBundleIsReplacedOnlyWithOverwriteAndAnEmptyFolderIsWritten(
      @TempDir Path tmp) throws Exception {
    Path b = tmp.resolve("b");
    Files.createDirectories(b);
    detector.save(b); // empty folder: written
    assertThat(names(b))
        .containsExactly("heads.safetensors", "manifest.json", "serving.properties");
    Map<String, String> before = tree(tmp);
    assertThatThrownBy(() -> detector.save(b))
        .isInstanceOf(MediClipException.class)
        .hasMessageContaining(
            "it already holds a detector bundle; pass --overwrite"
                + " (SaveOptions.optOverwrite(true)) to replace it; nothing was written");
    assertThat(tree(tmp)).isEqualTo(before);
    // a user file inside a bundle folder turns it into "not only a bundle": refused even with
    // overwrite
    Files.writeString(b.resolve("README.txt"), "mine");
    assertThatThrownBy(() -> detector.save(b, SaveOptions.builder().optOverwrite(true).build()))
        .hasMessageContaining(
            "does not hold a MediCLIP bundle (it holds README.txt, heads.safetensors");
    Files.delete(b.resolve("README.txt"));
    detector.save(b, SaveOptions.builder().optOverwrite(true).build());
    assertThat(names(tmp)).containsExactly("b");
    // the same rules for zips: an existing file that is not our zip is never replaced
    Path z = tmp.resolve("other.zip");
    Files.writeString(z, "not a zip");
    assertThatThrownBy(() -> detector.save(z, SaveOptions.builder().optOverwrite(true).build()))
        .hasMessageContaining("it exists and is not a MediCLIP bundle zip");
    assertThat(z).hasContent("not a zip");
  }

  @Test
  void defect1OutputsOverlappingInputsAreRefused(@TempDir Path tmp) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data/train"));
    Files.writeString(data.resolve("a.png"), "pixels");
    SaveOptions protect =
        SaveOptions.builder().optOverwrite(true).addProtectedPath(tmp.resolve("data")).build();
    Map<String, String> before = tree(tmp);
    assertThatThrownBy(() -> detector.save(tmp.resolve("data"), protect))
        .hasMessageContaining("it is the input " + tmp.resolve("data"));
    assertThatThrownBy(() -> detector.save(tmp.resolve("data/train/det"), protect))
        .hasMessageContaining("it lies inside the input " + tmp.resolve("data"));
    assertThatThrownBy(() -> detector.save(tmp, protect))
        .hasMessageContaining("it contains the input " + tmp.resolve("data"));
    assertThatThrownBy(() -> detector.save(Path.of("").toAbsolutePath()))
        .hasMessageContaining("it is the current working folder or one of its parents");
    // the bundle a detector was loaded from is protected
    try (MediClipDetector loaded = MediClip.load(bundle)) {
      assertThatThrownBy(
              () -> loaded.save(bundle, SaveOptions.builder().optOverwrite(true).build()))
          .hasMessageContaining("it is the input " + bundle.toAbsolutePath());
    }
    assertThat(tree(tmp)).isEqualTo(before);
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 8: writability is checked before anything is written (and, with BundleOutput, before
  // training).

  @Test
  void defect8UnwritableTargetsFailBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("file"), "a file");
    Map<String, String> before = tree(tmp);
    assertThatThrownBy(() -> BundleOutput.reserve(tmp.resolve("file"), SaveOptions.defaults()))
        .hasMessageContaining("it exists and is a file, not a folder");
    assertThatThrownBy(() -> BundleOutput.reserve(tmp.resolve("file/det"), SaveOptions.defaults()))
        .hasMessageContaining("its parent " + tmp.resolve("file") + " is a file, not a folder");
    String longName = "d".repeat(240);
    assertThatThrownBy(() -> BundleOutput.reserve(tmp.resolve(longName), SaveOptions.defaults()))
        .hasMessageContaining("File name too long")
        .hasMessageContaining("a shorter name");
    assertThat(tree(tmp)).isEqualTo(before);
    Path ro = Files.createDirectories(tmp.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assumeTrue(!Files.isWritable(ro), "skipped: running as root, a read-only folder is writable");
      assertThatThrownBy(() -> BundleOutput.reserve(ro.resolve("det"), SaveOptions.defaults()))
          .hasMessageContaining("Permission denied");
      assertThat(names(ro)).isEmpty();
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 9: a crash between the two renames.

  @Test
  void defect9LeftoversOfACrashBetweenTheRenamesAreReportedOnLoadAndRecoveredOnSave(
      @TempDir Path tmp) throws Exception {
    Path b = tmp.resolve("b");
    detector.save(b);
    Map<String, String> saved = tree(b);
    // what a crash between "move old aside" and "move new in" leaves: no b, .b.old-*, .b.tmp-*
    Files.move(b, tmp.resolve(".b.old-1"));
    detector.save(tmp.resolve("c"));
    Files.move(tmp.resolve("c"), tmp.resolve(".b.tmp-2"));
    assertThatThrownBy(() -> MediClip.load(b))
        .isInstanceOf(MediClipException.class)
        .hasMessageContaining("Detector bundle not found: " + b)
        .hasMessageContaining(".b.old-1")
        .hasMessageContaining(".b.tmp-2");
    try (BundleOutput out =
        BundleOutput.reserve(b, SaveOptions.builder().optOverwrite(true).build())) {
      assertThat(out.recovered()).hasSize(2);
      assertThat(out.recovered().get(0)).startsWith("restored the bundle " + b + " from .b.tmp-2");
      assertThat(out.recovered().get(1)).startsWith("removed " + tmp.resolve(".b.old-1"));
    }
    assertThat(names(tmp)).containsExactly("b");
    assertThat(tree(b)).isEqualTo(saved); // the new bundle (same detector) is the one restored
    try (MediClipDetector again = MediClip.load(b)) {
      assertThat(again.operatingPoint()).isEqualTo(detector.operatingPoint());
    }
    // foreign content in a leftover-looking folder is never deleted
    Files.createDirectories(tmp.resolve(".b.tmp-3"));
    Files.writeString(tmp.resolve(".b.tmp-3/mine.txt"), "mine");
    try (BundleOutput out =
        BundleOutput.reserve(b, SaveOptions.builder().optOverwrite(true).build())) {
      assertThat(out.recovered())
          .containsExactly(
              "left "
                  + tmp.resolve(".b.tmp-3")
                  + " in place: it holds files that are not part of a bundle");
    }
    assertThat(tmp.resolve(".b.tmp-3/mine.txt")).hasContent("mine");
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 12: one writer per output.

  @Test
  void defect12ASecondWriterOfTheSameOutputFailsClearly(@TempDir Path tmp) throws Exception {
    Path b = tmp.resolve("b");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread other =
        new Thread(
            () -> {
              try (BundleOutput out = BundleOutput.reserve(b, SaveOptions.defaults())) {
                held.countDown();
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    other.start();
    held.await();
    try {
      assertThat(tmp.resolve(".b.lock")).exists();
      assertThatThrownBy(() -> detector.save(b))
          .isInstanceOf(MediClipException.class)
          .hasMessage(
              "Cannot write "
                  + b
                  + ": it is being written by another thread of this process"
                  + " (lock file "
                  + tmp.resolve(".b.lock")
                  + "); wait for that training or save to finish,"
                  + " or choose another output");
      assertThat(b).doesNotExist();
    } finally {
      release.countDown();
      other.join();
    }
    detector.save(b);
    assertThat(names(tmp)).containsExactly("b"); // the lock file is gone
  }

  // ---------------------------------------------------------------------------------------------
  // Also fix: bundle files follow the umask.

  @Test
  void bundleFilesAndFoldersFollowTheUmask(@TempDir Path tmp) throws Exception {
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX");
    Set<PosixFilePermission> fileUmask =
        Files.getPosixFilePermissions(Files.createFile(tmp.resolve("probe-file")));
    Set<PosixFilePermission> dirUmask =
        Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("probe-dir")));
    detector.save(tmp.resolve("b"));
    detector.save(tmp.resolve("b.zip"));
    assertThat(Files.getPosixFilePermissions(tmp.resolve("b"))).isEqualTo(dirUmask);
    for (String f : names(tmp.resolve("b"))) {
      assertThat(Files.getPosixFilePermissions(tmp.resolve("b").resolve(f)))
          .as(f)
          .isEqualTo(fileUmask);
    }
    assertThat(Files.getPosixFilePermissions(tmp.resolve("b.zip"))).isEqualTo(fileUmask);
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 3: bundle zips are read in place, within limits; errors name the user's zip.

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

  static Map<String, byte[]> bundleFiles() throws IOException {
    Map<String, byte[]> m = new java.util.LinkedHashMap<>();
    for (String f :
        List.of(DetectorBundle.MANIFEST, DetectorBundle.HEADS, DetectorBundle.SERVING)) {
      m.put(f, Files.readAllBytes(bundle.resolve(f)));
    }
    return m;
  }

  static void assertLoadRefused(Path zip, String... fragments) throws IOException {
    byte[] before = Files.readAllBytes(zip);
    var a =
        assertThatThrownBy(() -> MediClip.load(zip))
            .isInstanceOf(MediClipException.class)
            .hasMessageContaining(zip.toString());
    for (String f : fragments) {
      a.hasMessageContaining(f);
    }
    assertThat(Files.readAllBytes(zip)).isEqualTo(before);
  }

  @Test
  void defect3HostileZipsAreRefusedNamingTheZipAndNothingIsExtracted(@TempDir Path tmp)
      throws Exception {
    // a 64 MiB manifest of spaces: over the manifest limit (and the ratio limit), compressed to ~64
    // KB
    Map<String, byte[]> big = bundleFiles();
    big.put(DetectorBundle.MANIFEST, new byte[64 << 20]);
    Path z1 = Files.write(tmp.resolve("big-manifest.zip"), zip(big));
    assertLoadRefused(z1, "!/manifest.json is 67108864 bytes, more than the 1048576 bytes");
    // heads far larger than the configuration implies
    Map<String, byte[]> heads = bundleFiles();
    heads.put(DetectorBundle.HEADS, new byte[32 << 20]);
    System.setProperty("mediclip.bundle.maxCompressionRatio", "100000");
    try {
      Path z2 = Files.write(tmp.resolve("big-heads.zip"), zip(heads));
      assertLoadRefused(z2, "!/heads.safetensors is 33554432 bytes, more than the");
    } finally {
      System.clearProperty("mediclip.bundle.maxCompressionRatio");
    }
    // a zip bomb under the size limits: refused by the ratio
    Map<String, byte[]> bomb = bundleFiles();
    byte[] m = new byte[900_000];
    java.util.Arrays.fill(m, (byte) ' ');
    byte[] json = Files.readAllBytes(bundle.resolve(DetectorBundle.MANIFEST));
    System.arraycopy(json, 0, m, 0, json.length);
    bomb.put(DetectorBundle.MANIFEST, m);
    Path z3 = Files.write(tmp.resolve("bomb.zip"), zip(bomb));
    assertLoadRefused(z3, "!/manifest.json expands", "likely zip bomb");
    // an entry named "" and one escaping the folder
    Map<String, byte[]> empty = bundleFiles();
    empty.put("", new byte[] {1});
    Path z4 = Files.write(tmp.resolve("empty-name.zip"), zip(empty));
    assertLoadRefused(z4, "holds an entry with an empty name");
    Map<String, byte[]> evil = bundleFiles();
    evil.put("../evil", new byte[] {1});
    Path z5 = Files.write(tmp.resolve("evil.zip"), zip(evil));
    assertLoadRefused(z5, "holds an unexpected entry '../evil'");
    // too many entries
    Map<String, byte[]> many = bundleFiles();
    for (int i = 0; i < 20; i++) {
      many.put("x" + i, new byte[0]);
    }
    Path z6 = Files.write(tmp.resolve("many.zip"), zip(many));
    assertLoadRefused(z6, "lists 23 entries");
    // a duplicated name (written under another name of the same length, then renamed in place)
    Map<String, byte[]> dup = bundleFiles();
    dup.put("manifesX.json", Files.readAllBytes(bundle.resolve(DetectorBundle.MANIFEST)));
    byte[] d = zip(dup);
    String s = new String(d, StandardCharsets.ISO_8859_1).replace("manifesX.json", "manifest.json");
    Path z7 = Files.write(tmp.resolve("dup.zip"), s.getBytes(StandardCharsets.ISO_8859_1));
    assertLoadRefused(z7, "lists 'manifest.json' twice");
    // not a zip at all
    Path z8 = Files.writeString(tmp.resolve("text.zip"), "hello");
    assertLoadRefused(z8, "is not a zip file");
    // the good zip loads
    Path ok = Files.write(tmp.resolve("ok.zip"), zip(bundleFiles()));
    try (MediClipDetector d2 = MediClip.load(ok)) {
      assertThat(d2.operatingPoint()).isEqualTo(detector.operatingPoint());
    }
    assertThat(names(tmp)).allMatch(n -> n.endsWith(".zip"));
  }

  // ---------------------------------------------------------------------------------------------
  // Defects 13, 14, 4: manifest fields.

  static String manifestJson() throws IOException {
    return Files.readString(bundle.resolve(DetectorBundle.MANIFEST));
  }

  static void assertManifestRefused(String json, String message) {
    assertThatThrownBy(() -> BundleManifest.fromJson(json, "b/manifest.json"))
        .isInstanceOf(MediClipException.class)
        .hasMessage("Bundle manifest b/manifest.json: " + message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void defect14OnlyAPositiveIntegerFormatVersionInRangeIsAccepted() throws Exception {
    String j = manifestJson();
    String v = "\"formatVersion\": 2";
    assertThat(j).contains(v);
    assertManifestRefused(
        j.replace(v, "\"formatVersion\": 4294967297"),
        "field 'formatVersion' is 4294967297 but this library reads versions 1 to 2; upgrade MediCLIP for Java");
    assertManifestRefused(
        j.replace(v, "\"formatVersion\": 2147483648"),
        "field 'formatVersion' is 2147483648 but this library reads versions 1 to 2; upgrade MediCLIP for Java");
    assertManifestRefused(
        j.replace(v, "\"formatVersion\": 1.5"),
        "field 'formatVersion' is 1.5; expected an integer");
    assertManifestRefused(
        j.replace(v, "\"formatVersion\": -7"),
        "field 'formatVersion' is -7; expected a positive integer");
    assertManifestRefused(
        j.replace(v, "\"formatVersion\": \"1\""),
        "field 'formatVersion' is the string \"1\"; expected an integer");
    assertManifestRefused(
        j.replace(v + ",", ""), "field 'formatVersion' is missing; expected an integer");
  }

  @Test
  void defect13And4ManifestErrorsNameTheFieldAndSizesAreRangeChecked() throws Exception {
    String j = manifestJson();
    assertManifestRefused(
        j.replace("\"position\": \"END\"", "\"position\": \"SIDEWAYS\""),
        "field 'heads.position' is \"SIDEWAYS\"; expected one of [END, MIDDLE, FRONT]");
    assertManifestRefused(
        j.replaceFirst("\"normalPrompts\": \\[[^\\]]*\\]", "\"normalPrompts\": null"),
        "field 'heads.normalPrompts' is null; expected a list");
    assertManifestRefused(
        j.replaceFirst("\"abnormalPrompts\": \\[[^\\]]*\\]", "\"abnormalPrompts\": [null]"),
        "field 'heads.abnormalPrompts[0]' is null; expected a string");
    assertManifestRefused(
        j.replace("\"imageSize\": 48", "\"imageSize\": 100000"),
        "field 'imageSize' is 100000; expected an integer in [16, 4096]");
    assertManifestRefused(
        j.replace("\"nCtx\": 8", "\"nCtx\": 100000"),
        "field 'heads.nCtx' is 100000; expected an integer in [1, 32]");
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 10: head weights and content hashes.

  /** A copy of the bundle with another manifest and heads. */
  static Path copy(Path tmp, String name, String manifest, byte[] heads) throws IOException {
    Path c = Files.createDirectories(tmp.resolve(name));
    Files.writeString(c.resolve(DetectorBundle.MANIFEST), manifest);
    Files.write(c.resolve(DetectorBundle.HEADS), heads);
    Files.copy(bundle.resolve(DetectorBundle.SERVING), c.resolve(DetectorBundle.SERVING));
    return c;
  }

  /** A version-1 manifest (no content hashes), so that the heads checks themselves are reached. */
  static String v1(String json) {
    return json.replace("\"formatVersion\": 2", "\"formatVersion\": 1")
        .replaceFirst(",\\s*\"integrity\": \\{[^}]*\\}", "");
  }

  /** Rewrites the safetensors header (same length, padded with spaces). */
  static byte[] withHeader(byte[] file, java.util.function.UnaryOperator<String> edit) {
    ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) bb.getLong(0);
    String h = new String(file, 8, n, StandardCharsets.UTF_8).strip();
    byte[] e = edit.apply(h).getBytes(StandardCharsets.UTF_8);
    assertThat(e.length).isLessThanOrEqualTo(n);
    byte[] out = file.clone();
    java.util.Arrays.fill(out, 8, 8 + n, (byte) ' ');
    System.arraycopy(e, 0, out, 8, e.length);
    return out;
  }

  @Test
  void defect10WrongDtypeOverlapsDuplicatesAndEditsAreRefusedNamingTheTensorOrField(
      @TempDir Path tmp) throws Exception {
    String json = manifestJson();
    byte[] heads = Files.readAllBytes(bundle.resolve(DetectorBundle.HEADS));
    String first;
    try (SafetensorsReader r = SafetensorsReader.open(bundle.resolve(DetectorBundle.HEADS))) {
      first = r.names().iterator().next();
    }
    Path i32 =
        copy(tmp, "i32", v1(json), withHeader(heads, h -> h.replaceFirst("\"F32\"", "\"I32\"")));
    assertThatThrownBy(() -> MediClip.load(i32))
        .hasMessage(
            i32.resolve("heads.safetensors") + ", tensor '" + first + "': dtype I32, expected F32");
    Path overlap =
        copy(
            tmp,
            "overlap",
            v1(json),
            withHeader(
                heads,
                h -> {
                  // the second tensor starts inside the first one, with its size unchanged
                  var o = com.google.gson.JsonParser.parseString(h).getAsJsonObject();
                  String second =
                      o.keySet().stream()
                          .filter(k -> !k.equals("__metadata__"))
                          .skip(1)
                          .findFirst()
                          .get();
                  var off = o.getAsJsonObject(second).getAsJsonArray("data_offsets");
                  long b = off.get(0).getAsLong();
                  long e = off.get(1).getAsLong();
                  return h.replace("[" + b + "," + e + "]", "[" + (b - 4) + "," + (e - 4) + "]");
                }));
    assertThatThrownBy(() -> MediClip.load(overlap))
        .hasMessageContaining("overlap those of tensor '" + first + "'");
    String[] pair = new String[2];
    Path dup =
        copy(
            tmp,
            "dup",
            v1(json),
            withHeader(
                heads,
                h -> {
                  var o = com.google.gson.JsonParser.parseString(h).getAsJsonObject();
                  String second =
                      o.keySet().stream()
                          .filter(k -> !k.equals("__metadata__"))
                          .skip(1)
                          .findFirst()
                          .get();
                  // rename the longer of the first two tensors to the shorter one's name: the
                  // header keeps its length
                  String keep = first.length() <= second.length() ? first : second;
                  String gone = keep.equals(first) ? second : first;
                  pair[0] = keep;
                  return h.replace("\"" + gone + "\"", "\"" + keep + "\"");
                }));
    assertThatThrownBy(() -> MediClip.load(dup))
        .hasMessage(
            dup.resolve("heads.safetensors") + ": tensor '" + pair[0] + "' is listed twice");
    // version 2: any change of the heads or of a model-defining field is caught by the content
    // hashes
    byte[] flipped = heads.clone();
    flipped[flipped.length - 1] ^= 1;
    Path edited = copy(tmp, "edited", json, flipped);
    assertThatThrownBy(() -> MediClip.load(edited))
        .hasMessageContaining(edited.resolve("heads.safetensors") + " has SHA-256 ")
        .hasMessageContaining("integrity.headsSha256");
    Path size = copy(tmp, "size", json.replace("\"imageSize\": 48", "\"imageSize\": 64"), heads);
    assertThatThrownBy(() -> MediClip.load(size))
        .hasMessageContaining(
            "Bundle manifest "
                + size.resolve("manifest.json")
                + ": the fields imageSize, heads or backbone");
    // an untouched version-1 copy still loads, with identical scores
    Path v1 = copy(tmp, "v1", v1(json), heads);
    GrayImage img = TinyData.normals(1, 48, 9).get(0);
    try (MediClipDetector a = MediClip.load(v1)) {
      assertThat(a.predict(img).score()).isEqualTo(detector.predict(img).score());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Also fix: a restart on the same checkpoint folder must not overwrite a better checkpoint.

  @Test
  void aRestartDoesNotReplaceABetterCheckpoint(@TempDir Path tmp) throws Exception {
    Path ckpt = tmp.resolve("ckpt");
    MediClip mc = quick().optCheckpointDir(ckpt).optListener(FitListener.silent()).build();
    try (MediClipDetector d = mc.fitGray(TinyData.normals(4, 48, 1))) {
      assertThat(d.manifest().training().summary().epochsRun()).isEqualTo(1);
    }
    Path file = ckpt.resolve("best-heads.safetensors");
    String metric;
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      metric = r.metadata().get("metric");
    }
    // pretend the earlier run reached a better metric than this configuration can
    byte[] better =
        withHeader(
            Files.readAllBytes(file),
            h ->
                h.replace(
                    "\"metric\":\"" + metric + "\"",
                    "\"metric\":\"" + "9".repeat(metric.length() - 2) + ".0\""));
    Files.write(file, better);
    try (MediClipDetector d = mc.fitGray(TinyData.normals(4, 48, 1))) {
      assertThat(d.manifest().training().summary().epochsRun()).isEqualTo(1);
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(better);
    assertThat(names(ckpt)).containsExactly("best-heads.safetensors");
  }
}
