package io.github.mediclip.bench.synth;

import io.github.mediclip.synth.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Brain-MRI-like test images: an elliptical head on a black background, a bright skull ring,
 * textured grey matter, darker ventricles. Deterministic per seed; 8-bit grey levels (whole numbers
 * 0..255).
 */
public final class BrainSlices {
  private BrainSlices() {}

  /**
   * @param count number of images
   * @param size side in pixels
   * @param seed seed
   * @return the images
   */
  public static List<GrayImage> generate(int count, int size, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    List<GrayImage> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(one(size, root.split()));
    }
    return out;
  }

  static GrayImage one(int size, SplittableRandom r) {
    float[] p = new float[size * size];
    double cx = size / 2.0 + (r.nextDouble() - 0.5) * size * 0.04;
    double cy = size / 2.0 + (r.nextDouble() - 0.5) * size * 0.04;
    double ax = size * (0.34 + 0.03 * r.nextDouble());
    double ay = size * (0.42 + 0.03 * r.nextDouble());
    double skull = size * 0.035;
    // low-frequency texture: a few random sinusoids
    int waves = 6;
    double[] fx = new double[waves];
    double[] fy = new double[waves];
    double[] ph = new double[waves];
    for (int k = 0; k < waves; k++) {
      fx[k] = (r.nextDouble() * 2 - 1) * 0.25;
      fy[k] = (r.nextDouble() * 2 - 1) * 0.25;
      ph[k] = r.nextDouble() * 2 * Math.PI;
    }
    double vx = size * 0.07;
    double vy = size * 0.13;
    double vOff = size * 0.06;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double dx = (x - cx) / ax;
        double dy = (y - cy) / ay;
        double rr = Math.sqrt(dx * dx + dy * dy);
        double v;
        if (rr > 1) {
          v = 0;
        } else if (rr > 1 - skull / Math.min(ax, ay)) {
          v = 190 + 30 * r.nextDouble();
        } else {
          double t = 0;
          for (int k = 0; k < waves; k++) {
            t += Math.sin(fx[k] * x + fy[k] * y + ph[k]);
          }
          v = 105 + 12 * t + 6 * r.nextGaussian();
          // white matter: brighter core
          if (rr < 0.6) {
            v += 25 * (0.6 - rr) / 0.6;
          }
          // two ventricles
          double l = Math.pow((x - (cx - vOff)) / vx, 2) + Math.pow((y - cy) / vy, 2);
          double rt = Math.pow((x - (cx + vOff)) / vx, 2) + Math.pow((y - cy) / vy, 2);
          if (l < 1 || rt < 1) {
            v = 35 + 8 * r.nextGaussian();
          }
        }
        p[y * size + x] = (float) Math.rint(Math.max(0, Math.min(255, v)));
      }
    }
    return GrayImage.of(size, size, p);
  }
}
