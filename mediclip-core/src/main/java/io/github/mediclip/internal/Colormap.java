package io.github.mediclip.internal;

/**
 * The one colour map of the library (the "jet" map used for anomaly-map overlays), shared by {@code
 * Prediction.overlay} (core) and the evaluation report (eval).
 */
public final class Colormap {

  private Colormap() {}

  /**
   * Maps a value to the jet colour map: blue (0) through cyan, yellow to red (1).
   *
   * @param v the value; clamped to [0, 1]
   * @return the colour as 0xRRGGBB
   */
  public static int jet(float v) {
    float t = clamp01(v);
    float r = clamp01(1.5f - Math.abs(4f * t - 3f));
    float g = clamp01(1.5f - Math.abs(4f * t - 2f));
    float b = clamp01(1.5f - Math.abs(4f * t - 1f));
    return (Math.round(r * 255) << 16) | (Math.round(g * 255) << 8) | Math.round(b * 255);
  }

  private static float clamp01(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
