package io.github.mediclip.internal;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The one atomic single-file write of the project: the content goes to a temporary file with a
 * unique name in the target's folder ({@code .NAME<random>.tmp}), which is then moved over the
 * target in one atomic rename. Readers see the old file or the new one, never half a file; on any
 * failure the temporary file is deleted and the target is left as it was.
 *
 * <p>The temporary file is created with {@link Files#createFile} rather than {@link
 * Files#createTempFile}, so the result gets the process umask's permissions (as users expect of
 * reports and shared models) instead of createTempFile's owner-only 0600.
 *
 * <p>There is no non-atomic fallback: the temporary file is in the target's own folder, and a
 * rename within one folder is atomic on every local file system. Where a file system cannot do it,
 * the write fails with an error naming the target instead of silently writing in place.
 *
 * <p>Every method throws {@link UncheckedIOException} with the message {@code cannot write FILE:
 * REASON} and the underlying {@link IOException} as its cause; callers with their own wording use
 * {@code e.getCause()}. Runtime exceptions thrown by a content writer propagate unchanged (after
 * the temporary file is deleted). Folders above the target are created when missing.
 */
public final class AtomicFiles {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int BUFFER = 1 << 16;
  private static final int NAME_TRIES = 100;

  private AtomicFiles() {}

  /**
   * Content written to a stream or channel; may throw {@link IOException}.
   *
   * @param <T> the stream or channel type
   */
  @FunctionalInterface
  public interface IoConsumer<T> {
    /**
     * Writes the content.
     *
     * @param target where to write (do not close it)
     * @throws IOException when writing fails
     */
    void accept(T target) throws IOException;
  }

  /**
   * Writes bytes atomically.
   *
   * @param file the target (replaced if it exists)
   * @param bytes the content
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void write(Path file, byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    writeChannel(
        file,
        ch -> {
          OutputStream out = Channels.newOutputStream(ch);
          out.write(bytes);
          out.flush();
        });
  }

  /**
   * Writes UTF-8 text atomically.
   *
   * @param file the target (replaced if it exists)
   * @param text the content
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void writeString(Path file, CharSequence text) {
    write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes a PNG atomically. The image is encoded in memory first (no cache file in {@code
   * java.io.tmpdir}), so an image that cannot be encoded never touches the folder.
   *
   * @param file the target (replaced if it exists)
   * @param image the image
   * @throws UncheckedIOException naming the file when the image cannot be encoded or the file
   *     cannot be written
   */
  public static void writePng(Path file, BufferedImage image) {
    Objects.requireNonNull(file, "file");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // A memory cache: ImageIO's default for a plain stream is a cache file in java.io.tmpdir.
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      if (!ImageIO.write(image, "png", ios)) {
        throw new IOException("no PNG writer for image type " + image.getType());
      }
    } catch (IOException e) {
      throw failure(file, e);
    }
    write(file, out.toByteArray());
  }

  /**
   * Streams content into the file atomically, through a 64 KiB buffer that is flushed before the
   * move.
   *
   * @param file the target (replaced if it exists)
   * @param content writes the content to the stream it is given (and does not close it)
   * @throws UncheckedIOException naming the file when the content or the file cannot be written
   */
  public static void write(Path file, IoConsumer<? super OutputStream> content) {
    Objects.requireNonNull(content, "content");
    writeChannel(
        file,
        ch -> {
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
          content.accept(out);
          out.flush();
        });
  }

  /**
   * Writes content into the file atomically through a channel (for content that is already in
   * {@link java.nio.ByteBuffer}s, such as tensor data, which then needs no copy).
   *
   * @param file the target (replaced if it exists)
   * @param content writes the content to the channel it is given (and does not close it)
   * @throws UncheckedIOException naming the file when the content or the file cannot be written
   */
  public static void writeChannel(Path file, IoConsumer<? super WritableByteChannel> content) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(content, "content");
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      Path parent = target.getParent();
      Files.createDirectories(parent);
      tmp = createTemp(parent, target.getFileName().toString());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        content.accept(ch);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (IOException e) {
      throw failure(file, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write failure is the error to report
        }
      }
    }
  }

  /** A new empty file {@code .NAME<random>.tmp} in {@code parent}, with umask permissions. */
  private static Path createTemp(Path parent, String name) throws IOException {
    for (int i = 1; ; i++) {
      Path tmp = parent.resolve("." + name + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (i >= NAME_TRIES) {
          throw e;
        }
      }
    }
  }

  private static UncheckedIOException failure(Path file, IOException e) {
    return new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
  }
}
