package io.github.mediclip.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Releases a memory mapping at once instead of when the garbage collector gets to it, through
 * {@code sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported}). Without it, every mapped
 * tensor region of a weight file stays resident until a GC, which doubles the resident memory while
 * a model loads. Falls back to doing nothing when the method is not available.
 */
public final class Unmapper {

  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object unsafe = null;
    Method cleaner = null;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafe = f.get(null);
      cleaner = c.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      unsafe = null;
      cleaner = null;
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = cleaner;
  }

  private Unmapper() {}

  /**
   * Unmaps a direct (mapped) buffer. The caller guarantees that nothing reads it afterwards.
   *
   * @param buffer a direct buffer returned by {@code FileChannel.map}
   */
  public static void unmap(ByteBuffer buffer) {
    if (INVOKE_CLEANER == null || buffer == null || !buffer.isDirect()) {
      return;
    }
    try {
      INVOKE_CLEANER.invoke(UNSAFE, buffer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // best effort: the GC unmaps it later
    }
  }
}
