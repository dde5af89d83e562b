package io.github.mediclip.internal;

/**
 * Bicubic resizing of a square positional-embedding grid, as PyTorch's {@code
 * F.interpolate(mode="bicubic", align_corners=False)} computes it, with or without {@code
 * antialias}.
 *
 * <p>With antialiasing (what open_clip's {@code resize_pos_embed} uses) PyTorch applies a separable
 * filter with Keys' a = -0.5 whose support grows with the downscaling factor; the weights of each
 * output sample are normalized and the window is clipped at the border. Without it, the classic
 * cubic convolution with a = -0.75 and replicated borders is used. Both are computed here in double
 * precision.
 */
public final class PosEmbedResize {

  private PosEmbedResize() {}

  /**
   * Resizes a (h, w, C) channels-last grid to (outH, outW, C).
   *
   * @param grid row-major values, length h·w·C
   * @param h input height
   * @param w input width
   * @param channels C
   * @param outH output height
   * @param outW output width
   * @param antialias PyTorch's {@code antialias} flag
   * @return row-major (outH, outW, C) values
   */
  public static float[] resize(
      float[] grid, int h, int w, int channels, int outH, int outW, boolean antialias) {
    if (grid.length != (long) h * w * channels) {
      throw new IllegalArgumentException(
          "grid has " + grid.length + " values, expected " + h + "*" + w + "*" + channels);
    }
    Weights wy = antialias ? aaWeights(h, outH) : cubicWeights(h, outH);
    Weights wx = antialias ? aaWeights(w, outW) : cubicWeights(w, outW);
    // Horizontal pass: (h, w, C) -> (h, outW, C)
    double[] tmp = new double[h * outW * channels];
    for (int y = 0; y < h; y++) {
      for (int ox = 0; ox < outW; ox++) {
        int base = (y * outW + ox) * channels;
        for (int k = 0; k < wx.index[ox].length; k++) {
          int src = (y * w + wx.index[ox][k]) * channels;
          double wt = wx.weight[ox][k];
          for (int c = 0; c < channels; c++) {
            tmp[base + c] += wt * grid[src + c];
          }
        }
      }
    }
    // Vertical pass: (h, outW, C) -> (outH, outW, C)
    float[] out = new float[outH * outW * channels];
    double[] acc = new double[channels];
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        java.util.Arrays.fill(acc, 0);
        for (int k = 0; k < wy.index[oy].length; k++) {
          int src = (wy.index[oy][k] * outW + ox) * channels;
          double wt = wy.weight[oy][k];
          for (int c = 0; c < channels; c++) {
            acc[c] += wt * tmp[src + c];
          }
        }
        int base = (oy * outW + ox) * channels;
        for (int c = 0; c < channels; c++) {
          out[base + c] = (float) acc[c];
        }
      }
    }
    return out;
  }

  private record Weights(int[][] index, double[][] weight) {}

  /** PyTorch's {@code _compute_indices_min_size_weights_aa} for the bicubic filter (a = -0.5). */
  private static Weights aaWeights(int in, int out) {
    double scale = (double) in / out;
    double support = scale >= 1.0 ? 2.0 * scale : 2.0;
    double invscale = scale >= 1.0 ? 1.0 / scale : 1.0;
    int[][] idx = new int[out][];
    double[][] wts = new double[out][];
    for (int i = 0; i < out; i++) {
      double center = scale * (i + 0.5);
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xsize = Math.min((int) (center + support + 0.5), in) - xmin;
      idx[i] = new int[xsize];
      wts[i] = new double[xsize];
      double total = 0;
      for (int j = 0; j < xsize; j++) {
        double wv = cubic((j + xmin - center + 0.5) * invscale, -0.5);
        idx[i][j] = xmin + j;
        wts[i][j] = wv;
        total += wv;
      }
      for (int j = 0; j < xsize; j++) {
        wts[i][j] = total != 0 ? wts[i][j] / total : 0;
      }
    }
    return new Weights(idx, wts);
  }

  /** PyTorch's classic bicubic (a = -0.75, align_corners false, replicated borders). */
  private static Weights cubicWeights(int in, int out) {
    double scale = (double) in / out;
    int[][] idx = new int[out][4];
    double[][] wts = new double[out][4];
    for (int i = 0; i < out; i++) {
      double real = scale * (i + 0.5) - 0.5;
      int fl = (int) Math.floor(real);
      double t = real - fl;
      for (int k = 0; k < 4; k++) {
        idx[i][k] = Math.min(Math.max(fl - 1 + k, 0), in - 1);
        wts[i][k] = cubic(t + 1 - k, -0.75);
      }
    }
    return new Weights(idx, wts);
  }

  private static double cubic(double x, double a) {
    x = Math.abs(x);
    if (x < 1.0) {
      return ((a + 2) * x - (a + 3)) * x * x + 1;
    }
    if (x < 2.0) {
      return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }
    return 0.0;
  }
}
