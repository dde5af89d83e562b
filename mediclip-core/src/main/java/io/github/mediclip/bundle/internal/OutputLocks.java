package io.github.mediclip.bundle.internal;

import io.github.mediclip.MediClipException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One writer per output: a lock file {@code .NAME.lock} next to the target, locked with the
 * operating system's file lock (released by the OS when the process dies, so a crash leaves no
 * stale lock) and deleted when released. After locking, the holder checks (with {@code stat}, never
 * by opening the file: closing any descriptor of a file drops the process's POSIX locks on it) that
 * the path still names the file it opened, so that a holder deleting the file on release does not
 * let two writers in. The holder's pid and start time are written into the file for the other
 * writers' message. Re-entrant for the thread that holds it (the CLI reserves the output before
 * training, and the save at the end joins that reservation).
 */
public final class OutputLocks {

  private static final Map<Path, Hold> HELD = new HashMap<>();

  private OutputLocks() {}

  /** A held lock; {@link #close()} releases it (after the last re-entrant hold). */
  public static final class Hold implements AutoCloseable {
    private final Path target;
    private final Path file;
    private final Thread owner;
    private final FileChannel channel;
    private final FileLock lock;
    private int count = 1;

    private Hold(Path target, Path file, FileChannel channel, FileLock lock) {
      this.target = target;
      this.file = file;
      this.owner = Thread.currentThread();
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public void close() {
      synchronized (HELD) {
        if (--count > 0) {
          return;
        }
        HELD.remove(target);
      }
      try {
        Files.deleteIfExists(file); // while still locked: see the class comment
      } catch (IOException ignored) {
        // an empty lock file left behind is harmless: the OS lock is what counts
      }
      try {
        lock.release();
        channel.close();
      } catch (IOException ignored) {
        // closing releases the lock in any case
      }
    }
  }

  /**
   * The lock file of a target.
   *
   * @param target the bundle folder or zip (absolute, normalised)
   * @return {@code .NAME.lock} next to it
   */
  public static Path lockFile(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".lock");
  }

  /**
   * Locks a target, or joins the hold of the current thread.
   *
   * @param target the bundle folder or zip (absolute, normalised)
   * @return the hold (close it)
   * @throws MediClipException when another process or thread writes the target
   */
  public static Hold acquire(Path target) {
    synchronized (HELD) {
      Hold h = HELD.get(target);
      if (h != null) {
        if (h.owner == Thread.currentThread()) {
          h.count++;
          return h;
        }
        throw busy(target, lockFile(target), "another thread of this process");
      }
      Path file = lockFile(target);
      for (int attempt = 0; attempt < 3; attempt++) {
        FileChannel ch;
        try {
          ch =
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE);
        } catch (IOException e) {
          throw new UncheckedIOException(
              "Cannot write "
                  + target
                  + ": cannot create the lock file "
                  + file
                  + " ("
                  + e.getMessage()
                  + ")",
              e);
        }
        Object keyAtOpen = fileKey(file);
        FileLock fl = null;
        try {
          try {
            fl = ch.tryLock();
          } catch (OverlappingFileLockException e) {
            fl = null;
          }
          if (fl == null) {
            String holder = readQuietly(file);
            ch.close();
            throw busy(target, file, holder.isEmpty() ? "another process" : holder);
          }
          Object keyNow = fileKey(file);
          if (keyNow != null && keyNow.equals(keyAtOpen)) {
            String token = "pid " + ProcessHandle.current().pid() + " since " + Instant.now();
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            Hold h2 = new Hold(target, file, ch, fl);
            HELD.put(target, h2);
            return h2;
          }
          fl.release(); // the holder before us deleted the file we locked: try the new one
          ch.close();
        } catch (IOException e) {
          try {
            ch.close();
          } catch (IOException ignored) {
            // already failing
          }
          throw new UncheckedIOException(
              "Cannot lock " + file + " for writing " + target + ": " + e.getMessage(), e);
        }
      }
      throw busy(target, file, "another process");
    }
  }

  private static Object fileKey(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private static String readQuietly(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      return s.length() > 200 ? "" : s;
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static MediClipException busy(Path target, Path file, String holder) {
    return new MediClipException(
        "Cannot write "
            + target
            + ": it is being written by "
            + holder
            + " (lock file "
            + file
            + "); wait for that training or save to finish, or choose another output");
  }
}
