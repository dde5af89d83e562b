package io.github.mediclip.synth.internal;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Run in a JVM with a small heap by {@link ImageIoTest}: decodes the files given as arguments in
 * order and prints one line per file, "ok WxH" or "error <message>", so the test sees that an
 * OutOfMemoryError while decoding one image is contained and the next image is still read.
 */
public final class ImageIoOomProbe {
  private ImageIoOomProbe() {}

  /**
   * Decodes each file.
   *
   * @param args image files
   */
  public static void main(String[] args) {
    for (String a : args) {
      try {
        var img = ImageIo.read(Path.of(a));
        System.out.println("ok " + img.getWidth() + "x" + img.getHeight());
      } catch (UncheckedIOException e) {
        System.out.println("error " + e.getCause().getMessage());
      }
    }
  }
}
