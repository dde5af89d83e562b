package io.github.mediclip;

import io.github.mediclip.synth.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small brain-slice-like images for fast tests: a bright ellipse with texture on black. */
final class TinyData {

  private TinyData() {}

  static List<GrayImage> normals(int n, int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<GrayImage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(slice(size, r.split(), false));
    }
    return out;
  }

  /**
   * A slice with a dark round lesion when {@code lesion}; returns the image, mask via lesionMask.
   */
  static GrayImage slice(int size, SplittableRandom r, boolean lesion) {
    float[] px = new float[size * size];
    double cx = size / 2.0 + r.nextDouble(-2, 2);
    double cy = size / 2.0 + r.nextDouble(-2, 2);
    double ax = size * r.nextDouble(0.36, 0.42);
    double ay = size * r.nextDouble(0.40, 0.46);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double dx = (x - cx) / ax;
        double dy = (y - cy) / ay;
        double d = dx * dx + dy * dy;
        float v = 0f;
        if (d < 1) {
          v = (float) (120 + 40 * Math.sin(x * 0.7) * Math.cos(y * 0.5) + r.nextDouble(-10, 10));
          if (d > 0.8) {
            v = 220f;
          }
        }
        px[y * size + x] = v;
      }
    }
    return GrayImage.of(size, size, px);
  }
}
