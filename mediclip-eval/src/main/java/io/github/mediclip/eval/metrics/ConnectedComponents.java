package io.github.mediclip.eval.metrics;

/**
 * Labels the connected regions of a binary mask, as {@code scipy.ndimage.label}.
 *
 * <p>8-connectivity (a 3x3 structuring element of ones) is what the MVTec AD evaluation script uses
 * for the per-region overlap (PRO) and is the default of {@link PixelMetrics}; 4-connectivity is
 * scipy's own default.
 */
public final class ConnectedComponents {

  private ConnectedComponents() {}

  /**
   * Labels the foreground (non-zero) pixels of a row-major mask.
   *
   * @param mask (H * W) mask, non-zero = foreground
   * @param width W
   * @param height H
   * @param connectivity 4 or 8
   * @param labels output (H * W): 0 for background, 1..n for the regions in raster order of their
   *     first pixel
   * @return n, the number of regions
   */
  public static int label(byte[] mask, int width, int height, int connectivity, int[] labels) {
    if (connectivity != 4 && connectivity != 8) {
      throw new IllegalArgumentException("connectivity is " + connectivity + "; it must be 4 or 8");
    }
    int n = width * height;
    if (mask.length != n || labels.length != n) {
      throw new IllegalArgumentException(
          "mask has "
              + mask.length
              + " and labels "
              + labels.length
              + " entries; both must be width * height = "
              + width
              + " * "
              + height
              + " = "
              + n);
    }
    java.util.Arrays.fill(labels, 0);
    int[] stack = null;
    int regions = 0;
    for (int start = 0; start < n; start++) {
      if (mask[start] == 0 || labels[start] != 0) {
        continue;
      }
      if (stack == null) {
        stack = new int[n];
      }
      regions++;
      int top = 0;
      stack[top++] = start;
      labels[start] = regions;
      while (top > 0) {
        int p = stack[--top];
        int x = p % width;
        int y = p / width;
        for (int dy = -1; dy <= 1; dy++) {
          int yy = y + dy;
          if (yy < 0 || yy >= height) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            if ((dx == 0 && dy == 0) || (connectivity == 4 && dx != 0 && dy != 0)) {
              continue;
            }
            int xx = x + dx;
            if (xx < 0 || xx >= width) {
              continue;
            }
            int q = yy * width + xx;
            if (mask[q] != 0 && labels[q] == 0) {
              labels[q] = regions;
              stack[top++] = q;
            }
          }
        }
      }
    }
    return regions;
  }
}
