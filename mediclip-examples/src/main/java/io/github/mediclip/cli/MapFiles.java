package io.github.mediclip.cli;

import io.github.mediclip.synth.GrayImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Finds and reads anomaly maps and masks stored as PNG (or any ImageIO format) or {@code .npy}
 * float32.
 */
final class MapFiles {
  private static final List<String> EXTENSIONS =
      List.of(".npy", ".png", ".tif", ".tiff", ".jpg", ".bmp");

  private MapFiles() {}

  /**
   * Base name of an id or file name: the part before the last dot, if that dot starts a known
   * extension.
   */
  static String stem(String name) {
    String n = name.replace('\\', '/');
    n = n.substring(n.lastIndexOf('/') + 1);
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  /** The file in {@code dir} whose stem equals the id's stem, or null. */
  static Path find(Path dir, String id) {
    String stem = stem(id);
    for (String ext : EXTENSIONS) {
      Path p = dir.resolve(stem + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
      Path upper = dir.resolve(stem + ext.toUpperCase(Locale.ROOT));
      if (Files.isRegularFile(upper)) {
        return upper;
      }
    }
    // the mask of "x" is often named "x_mask"
    for (String ext : EXTENSIONS) {
      Path p = dir.resolve(stem + "_mask" + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /** Reads a map: {@code .npy} values as stored; images scaled from 0..255 to 0..1. */
  static GrayImage readMap(Path file) {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
      Npy.Grid g = Npy.read(file);
      return GrayImage.of(g.width(), g.height(), g.values());
    }
    GrayImage img = GrayImage.read(file);
    float[] v = img.toArray();
    for (int i = 0; i < v.length; i++) {
      v[i] /= 255f;
    }
    return GrayImage.of(img.width(), img.height(), v);
  }

  /**
   * Reads a mask and binarizes it: a pixel is anomalous when its value (0..1 scale) exceeds 0.5.
   */
  static byte[] readMask(Path file, int[] sizeOut) {
    GrayImage m = readMap(file);
    sizeOut[0] = m.width();
    sizeOut[1] = m.height();
    float[] v = m.toArray();
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i] > 0.5f ? (byte) 1 : (byte) 0;
    }
    return b;
  }
}
