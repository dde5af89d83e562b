package io.github.mediclip.bundle.internal;

import ai.djl.ndarray.NDArray;
import io.github.mediclip.MediClipException;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.bundle.DetectorBundle;
import io.github.mediclip.bundle.SaveOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

// Why this class is long (~550 lines): the save protocol (check the target, reserve and lock it,
// recover an interrupted save, write a hidden sibling, move it into place) is one sequence over
// the same temporary and old names; its guarantees (docs/reliability.md) are checked in one file.
/**
 * Writes bundles under the output-folder rules (see {@link SaveOptions}): checks the target before
 * anything is written (and, through {@link #reserve}, before training starts), locks it, recovers
 * the leftovers of an interrupted save, assembles the bundle in a hidden sibling and moves it into
 * place. Files and folders are created with the process umask's permissions.
 */
public final class BundleWriter {

  private static final SecureRandom RANDOM = new SecureRandom();

  private BundleWriter() {}

  /** A checked and locked target; close it to release the lock. */
  public static final class Reservation implements AutoCloseable {
    private final Path target;
    private final OutputLocks.Hold hold;
    private final List<String> recovered;

    private Reservation(Path target, OutputLocks.Hold hold, List<String> recovered) {
      this.target = target;
      this.hold = hold;
      this.recovered = List.copyOf(recovered);
    }

    /**
     * The target, absolute and normalised.
     *
     * @return the path
     */
    public Path target() {
      return target;
    }

    /**
     * What was done about leftovers of an interrupted save, one sentence each.
     *
     * @return the notes, empty when there was nothing to do
     */
    public List<String> recovered() {
      return recovered;
    }

    private boolean closed;

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        hold.close();
      }
    }
  }

  /**
   * Checks and locks a target: output rules, leftovers, writability (a temporary sibling is created
   * and removed).
   *
   * @param target the bundle folder or {@code .zip}
   * @param options overwrite and protected paths
   * @param implicitProtected further protected paths (the detector's backbone and source bundle);
   *     {@code null} entries are ignored
   * @return the reservation (close it)
   * @throws MediClipException naming the target and the reason when it is refused
   */
  public static Reservation reserve(
      Path target, SaveOptions options, List<Path> implicitProtected) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(options, "options");
    Path t = target.toAbsolutePath().normalize();
    if (t.getParent() == null || t.getFileName() == null) {
      throw refuse(t, "it is a file-system root");
    }
    List<Path> prot = new ArrayList<>(options.protectedPaths());
    implicitProtected.stream().filter(Objects::nonNull).forEach(prot::add);
    checkPlace(t, prot); // before the lock file is created next to it
    try {
      Files.createDirectories(t.getParent());
    } catch (IOException e) {
      throw cannotWrite(t, t.getParent(), e);
    }
    OutputLocks.Hold hold = OutputLocks.acquire(t);
    try {
      List<String> notes = recover(t);
      checkTarget(t, options);
      probe(t);
      return new Reservation(t, hold, notes);
    } catch (RuntimeException | Error e) {
      hold.close();
      throw e;
    }
  }

  /**
   * Writes a bundle.
   *
   * @param target the bundle folder or {@code .zip}
   * @param manifestFor the manifest for the final (absolute) target, without integrity
   * @param heads head parameters
   * @param options overwrite and protected paths
   * @param implicitProtected further protected paths
   * @return notes about recovered leftovers
   */
  public static List<String> write(
      Path target,
      Function<Path, BundleManifest> manifestFor,
      Map<String, NDArray> heads,
      SaveOptions options,
      List<Path> implicitProtected) {
    try (Reservation r = reserve(target, options, implicitProtected)) {
      byte[] headsBytes = HeadsCodec.encode(heads);
      BundleManifest m = BundleCodec.withIntegrity(manifestFor.apply(r.target()), headsBytes);
      writeRaw(r.target(), m.toJson().getBytes(StandardCharsets.UTF_8), headsBytes);
      return r.recovered();
    }
  }

  /**
   * Copies a bundle (folder or zip, validated and bounded as on load) to a folder or zip.
   *
   * @param source the bundle
   * @param target the new folder or {@code .zip}
   * @param options overwrite and protected paths
   */
  public static void copy(Path source, Path target, SaveOptions options) {
    byte[] manifest;
    byte[] heads;
    try (BundleSource s = BundleSource.open(source)) {
      manifest = s.manifest().toJson().getBytes(StandardCharsets.UTF_8);
      heads = s.readHeads(BundleCodec.headsLimit(s));
      BundleCodec.checkHeadsHash(s, heads);
    }
    try (Reservation r = reserve(target, options, List.of(source))) {
      writeRaw(r.target(), manifest, heads);
    }
  }

  static boolean isZipName(Path t) {
    return t.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  private static String tmpName(Path t) {
    return "." + t.getFileName() + ".tmp-" + hex16();
  }

  private static String oldName(Path t) {
    return "." + t.getFileName() + ".old-" + hex16();
  }

  private static String hex16() {
    return String.format(Locale.ROOT, "%016x", RANDOM.nextLong());
  }

  // ---------------------------------------------------------------------------------------------
  // Rules.

  private static MediClipException refuse(Path t, String why) {
    return new MediClipException(
        "Refusing to write the detector bundle " + t + ": " + why + "; nothing was written");
  }

  /** The path with its longest existing prefix resolved to the real path (links followed). */
  private static Path realish(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    List<Path> rest = new ArrayList<>();
    while (existing != null && !Files.exists(existing)) {
      rest.add(0, existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      Path r = existing.toRealPath();
      for (Path n : rest) {
        r = r.resolve(n.toString());
      }
      return r;
    } catch (IOException e) {
      return abs;
    }
  }

  private static void checkPlace(Path t, List<Path> prot) {
    Path rt = realish(t);
    Path cwd = realish(Path.of("").toAbsolutePath());
    if (cwd.startsWith(rt)) {
      throw refuse(t, "it is the current working folder or one of its parents");
    }
    Path home =
        System.getProperty("user.home") == null
            ? null
            : realish(Path.of(System.getProperty("user.home")));
    if (home != null && home.startsWith(rt)) {
      throw refuse(t, "it is the home folder or one of its parents");
    }
    for (Path p : prot) {
      Path rp = realish(p);
      if (rt.equals(rp)) {
        throw refuse(t, "it is the input " + p + " (inputs are never written to)");
      }
      if (rt.startsWith(rp)) {
        throw refuse(t, "it lies inside the input " + p + " (inputs are never written to)");
      }
      if (rp.startsWith(rt)) {
        throw refuse(t, "it contains the input " + p + " (inputs are never written to)");
      }
    }
    for (Path a = t.getParent(); a != null; a = a.getParent()) {
      if (Files.exists(a)) {
        if (!Files.isDirectory(a)) {
          throw refuse(t, "its parent " + a + " is a file, not a folder");
        }
        break;
      }
    }
  }

  private static void checkTarget(Path t, SaveOptions options) {
    if (Files.isSymbolicLink(t)) {
      throw refuse(t, "it is a symbolic link; give the folder or file it points to");
    }
    if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    String again =
        "it already holds a detector bundle; pass --overwrite (SaveOptions.optOverwrite(true)) to"
            + " replace it";
    if (isZipName(t)) {
      if (!Files.isRegularFile(t, LinkOption.NOFOLLOW_LINKS)) {
        throw refuse(t, "it exists and is not a zip file");
      }
      if (!isOurZip(t)) {
        throw refuse(t, "it exists and is not a MediCLIP bundle zip");
      }
      if (!options.overwrite()) {
        throw refuse(t, again);
      }
      return;
    }
    if (!Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
      throw refuse(t, "it exists and is a file, not a folder");
    }
    List<String> names;
    try (Stream<Path> s = Files.list(t)) {
      names =
          s.map(p -> p.getFileName().toString() + (Files.isDirectory(p) ? "/" : ""))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw refuse(t, "it cannot be listed (" + e.getMessage() + ")");
    }
    if (names.isEmpty()) {
      return; // an empty folder is replaced: nothing is lost
    }
    if (!Leftovers.onlyBundleFiles(t) || !isOurManifest(t.resolve(DetectorBundle.MANIFEST))) {
      List<String> shown = names.size() > 5 ? names.subList(0, 5) : names;
      throw refuse(
          t,
          "it is a folder that is not empty and does not hold a MediCLIP bundle (it holds "
              + String.join(", ", shown)
              + (names.size() > 5 ? ", ... " + names.size() + " entries" : "")
              + "); choose a new or empty folder");
    }
    if (!options.overwrite()) {
      throw refuse(t, again);
    }
    if (!Files.isWritable(t)) {
      throw refuse(t, "the existing bundle folder is not writable, so it cannot be replaced");
    }
  }

  private static boolean isOurManifest(Path manifest) {
    try {
      if (!Files.isRegularFile(manifest)
          || Files.size(manifest) > BundleLimits.maxManifestBytes()) {
        return false;
      }
      return formatIsOurs(Files.readString(manifest, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean formatIsOurs(String json) {
    try {
      var o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
      return o.has("format") && BundleManifest.FORMAT.equals(o.get("format").getAsString());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean isOurZip(Path t) {
    try (ZipFile zf = new ZipFile(t.toFile())) {
      if (zf.size() > BundleLimits.maxZipEntries()) {
        return false;
      }
      for (var en = zf.entries(); en.hasMoreElements(); ) {
        if (!BundleSource.FILES.contains(en.nextElement().getName())) {
          return false;
        }
      }
      ZipEntry m = zf.getEntry(DetectorBundle.MANIFEST);
      if (m == null || m.getSize() > BundleLimits.maxManifestBytes()) {
        return false;
      }
      try (var is = zf.getInputStream(m)) {
        byte[] b = is.readNBytes((int) BundleLimits.maxManifestBytes());
        return formatIsOurs(new String(b, StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Creates and removes the temporary sibling that the save will use: same folder, same name
   * length.
   */
  private static void probe(Path t) {
    Path parent = t.getParent();
    Path probe = parent.resolve(tmpName(t));
    try {
      Files.createDirectories(parent);
      if (isZipName(t)) {
        Files.createFile(probe);
      } else {
        Files.createDirectory(probe);
      }
      Files.delete(probe);
    } catch (IOException e) {
      throw cannotWrite(t, probe, e);
    }
  }

  private static MediClipException cannotWrite(Path t, Path what, IOException e) {
    String reason =
        e instanceof FileSystemException f && f.getReason() != null
            ? f.getReason()
            : e.getClass().getSimpleName();
    return new MediClipException(
        "Cannot write the detector bundle "
            + t
            + ": cannot create "
            + what.getFileName()
            + " in "
            + what.getParent()
            + " ("
            + reason
            + "); choose a writable folder"
            + (reason.toLowerCase(Locale.ROOT).contains("name too long")
                ? " and a shorter name"
                : ""),
        e);
  }

  // ---------------------------------------------------------------------------------------------
  // Recovery of interrupted saves (called with the lock held).

  static List<String> recover(Path t) {
    List<Path> left = new ArrayList<>(Leftovers.find(t));
    List<String> notes = new ArrayList<>();
    if (left.isEmpty()) {
      return notes;
    }
    if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS) && !isZipName(t)) {
      // A crash between the two renames: the new bundle is complete in .tmp-*, the previous one in
      // .old-*. Restore the newest complete one, preferring the new bundle the user asked to save.
      Comparator<Path> newestFirst =
          Comparator.comparing(
                  (Path p) -> {
                    try {
                      return Files.getLastModifiedTime(p).toMillis();
                    } catch (IOException e) {
                      return 0L;
                    }
                  })
              .reversed();
      Path best =
          left.stream()
              .filter(p -> !Leftovers.isOld(p) && Leftovers.isCompleteBundle(p))
              .sorted(newestFirst)
              .findFirst()
              .orElseGet(
                  () ->
                      left.stream()
                          .filter(p -> Leftovers.isOld(p) && Leftovers.isCompleteBundle(p))
                          .sorted(newestFirst)
                          .findFirst()
                          .orElse(null));
      if (best != null) {
        try {
          move(best, t);
          left.remove(best);
          notes.add(
              "restored the bundle "
                  + t
                  + " from "
                  + best.getFileName()
                  + ", left by an interrupted save");
        } catch (IOException e) {
          notes.add("could not restore " + best + " to " + t + ": " + e.getMessage());
        }
      }
    }
    for (Path p : left) {
      boolean gone;
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        gone = Leftovers.deleteOurFolder(p);
      } else {
        try {
          gone = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p);
        } catch (IOException e) {
          gone = false;
        }
      }
      notes.add(
          gone
              ? "removed " + p + ", left by an interrupted save"
              : "left " + p + " in place: it holds files that are not part of a bundle");
    }
    return notes;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing.

  private static void writeRaw(Path t, byte[] manifestJson, byte[] heads) {
    try {
      if (isZipName(t)) {
        writeZip(t, manifestJson, heads);
      } else {
        writeFolder(t, manifestJson, heads);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write detector bundle " + t + ": " + e.getMessage() + " (nothing was changed)",
          e);
    }
  }

  private static void writeFolder(Path t, byte[] manifestJson, byte[] heads) throws IOException {
    Path parent = t.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createDirectory(parent.resolve(tmpName(t)));
    try {
      Files.write(tmp.resolve(DetectorBundle.HEADS), heads, StandardOpenOption.CREATE_NEW);
      Files.write(
          tmp.resolve(DetectorBundle.MANIFEST), manifestJson, StandardOpenOption.CREATE_NEW);
      Files.writeString(
          tmp.resolve(DetectorBundle.SERVING),
          BundleCodec.SERVING_TEXT,
          StandardOpenOption.CREATE_NEW);
      if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
        Path old = parent.resolve(oldName(t));
        move(t, old);
        try {
          move(tmp, t);
        } catch (IOException e) {
          move(old, t); // put the previous bundle back
          throw e;
        }
        tmp = null;
        Leftovers.deleteOurFolder(
            old); // only our files; anything else stays (and is reported later)
      } else {
        move(tmp, t);
        tmp = null;
      }
    } finally {
      if (tmp != null) {
        Leftovers.deleteOurFolder(tmp);
      }
    }
  }

  private static void writeZip(Path t, byte[] manifestJson, byte[] heads) throws IOException {
    Path parent = t.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createFile(parent.resolve(tmpName(t)));
    try {
      try (OutputStream os = Files.newOutputStream(tmp, StandardOpenOption.WRITE);
          ZipOutputStream zos = new ZipOutputStream(os)) {
        put(zos, DetectorBundle.HEADS, heads);
        put(zos, DetectorBundle.MANIFEST, manifestJson);
        put(zos, DetectorBundle.SERVING, BundleCodec.SERVING_TEXT.getBytes(StandardCharsets.UTF_8));
      }
      try {
        Files.move(tmp, t, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, t, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void put(ZipOutputStream zos, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setTime(0L);
    zos.putNextEntry(e);
    zos.write(data);
    zos.closeEntry();
  }

  private static void move(Path from, Path to) throws IOException {
    if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(to + " appeared while the bundle was being written");
    }
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
