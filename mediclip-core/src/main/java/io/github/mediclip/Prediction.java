package io.github.mediclip;

import io.github.mediclip.internal.AtomicFiles;
import io.github.mediclip.internal.Colormap;
import io.github.mediclip.synth.GrayImage;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The result of one prediction. Holds only Java arrays (no native memory), so it can be kept,
 * passed between threads and serialised freely.
 *
 * @param score raw image anomaly score: the maximum of the anomaly map at model resolution, in [0,
 *     1]
 * @param normalizedScore the score normalised with the detector's {@link OperatingPoint}
 *     (anomalib's convention: 0.5 at the threshold, clamped to [0, 1])
 * @param anomalous whether {@code score >= imageThreshold}
 * @param anomalyMap the anomaly probability map (channel 1 of the softmax map) resized bilinearly
 *     to the INPUT image's width and height, values in [0, 1]
 * @param mask binary mask (0 or 1) of {@code anomalyMap >= pixelThreshold}, same size as {@code
 *     anomalyMap}
 */
public record Prediction(
    double score, double normalizedScore, boolean anomalous, GrayImage anomalyMap, GrayImage mask) {

  /**
   * Validates the fields.
   *
   * @param score raw image anomaly score: the maximum of the anomaly map at model resolution, in
   *     [0, 1]
   * @param normalizedScore the score normalised with the detector's {@link OperatingPoint}
   *     (anomalib's convention: 0.5 at the threshold, clamped to [0, 1])
   * @param anomalous whether {@code score >= imageThreshold}
   * @param anomalyMap the anomaly probability map (channel 1 of the softmax map) resized bilinearly
   *     to the INPUT image's width and height, values in [0, 1]
   * @param mask binary mask (0 or 1) of {@code anomalyMap >= pixelThreshold}, same size as {@code
   *     anomalyMap}
   * @throws IllegalArgumentException if the score is not finite or the map and mask sizes differ
   */
  public Prediction {
    Objects.requireNonNull(anomalyMap, "anomalyMap");
    Objects.requireNonNull(mask, "mask");
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("Prediction: score must be finite, got " + score);
    }
    if (anomalyMap.width() != mask.width() || anomalyMap.height() != mask.height()) {
      throw new IllegalArgumentException(
          "Prediction: anomalyMap is "
              + anomalyMap.width()
              + "x"
              + anomalyMap.height()
              + " but mask is "
              + mask.width()
              + "x"
              + mask.height());
    }
  }

  /**
   * Renders a heat-map overlay: the original image (as gray) blended 50/50 with a jet colour map of
   * {@link #anomalyMap()} (0 = blue, 1 = red), and the outline of {@link #mask()} drawn in white.
   *
   * @param original the image that was scored; resized to the map's size if it differs
   * @return a new RGB image of the anomaly map's size
   */
  public BufferedImage overlay(BufferedImage original) {
    Objects.requireNonNull(original, "original");
    int w = anomalyMap.width();
    int h = anomalyMap.height();
    GrayImage gray = GrayImage.fromBufferedImage(original);
    if (gray.width() != w || gray.height() != h) {
      gray = gray.resize(w, h);
    }
    float[] g = gray.toArray();
    float[] m = anomalyMap.toArray();
    float[] k = mask.toArray();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        float base = Math.max(0f, Math.min(255f, g[i]));
        int rgb;
        if (k[i] > 0.5f && isEdge(k, w, h, x, y)) {
          rgb = 0xFFFFFF;
        } else {
          int jet = Colormap.jet(m[i]);
          int r = Math.round(0.5f * base + 0.5f * ((jet >> 16) & 0xFF));
          int gg = Math.round(0.5f * base + 0.5f * ((jet >> 8) & 0xFF));
          int b = Math.round(0.5f * base + 0.5f * (jet & 0xFF));
          rgb = (r << 16) | (gg << 8) | b;
        }
        out.setRGB(x, y, rgb);
      }
    }
    return out;
  }

  /**
   * Writes {@link #overlay(BufferedImage)} as a PNG file (atomically: temporary file, then move).
   *
   * @param original the image that was scored
   * @param pngFile the file to write
   * @throws UncheckedIOException if the file cannot be written (the message names it)
   */
  public void writeOverlayPng(BufferedImage original, Path pngFile) {
    BufferedImage img = overlay(original);
    Path abs = pngFile.toAbsolutePath();
    try {
      AtomicFiles.writePng(abs, img);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(
          "Cannot write overlay PNG " + abs + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static boolean isEdge(float[] k, int w, int h, int x, int y) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int xx = x + dx;
        int yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h || k[yy * w + xx] <= 0.5f) {
          return true;
        }
      }
    }
    return false;
  }
}
