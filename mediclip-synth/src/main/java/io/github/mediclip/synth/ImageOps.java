package io.github.mediclip.synth;

/**
 * Float-array image operations used by the tasks: separable Gaussian blur (scipy {@code
 * gaussian_filter}: truncate 4 σ, mode {@code reflect}), exact Euclidean distance transform (scipy
 * {@code distance_transform_edt}), bilinear sampling, and the bounding box of a linearly mapped
 * rectangle. All arrays are row-major (h, w).
 */
final class ImageOps {
  private ImageOps() {}

  /** Normalized Gaussian kernel of radius int(4σ + 0.5), as scipy's {@code gaussian_filter1d}. */
  static float[] gaussianKernel(double sigma) {
    int radius = (int) (4.0 * sigma + 0.5);
    float[] k = new float[2 * radius + 1];
    double sum = 0;
    double[] tmp = new double[k.length];
    for (int i = -radius; i <= radius; i++) {
      tmp[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
      sum += tmp[i + radius];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] = (float) (tmp[i] / sum);
    }
    return k;
  }

  /** scipy 'reflect' (half-sample symmetric) index into [0, n). */
  static int reflect(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * n;
    int m = i % period;
    if (m < 0) {
      m += period;
    }
    return m < n ? m : period - 1 - m;
  }

  /**
   * Separable Gaussian blur with reflect borders. Both passes run the kernel taps in the outer loop
   * and the pixels in the inner loop (contiguous, so the JIT vectorizes it), using the kernel's
   * symmetry; the vertical pass is {@link #verticalPass}.
   *
   * @return a new (h, w) array
   */
  static float[] gaussianBlur(float[] src, int h, int w, float[] kernel) {
    int radius = kernel.length / 2;
    float[] tmp = new float[h * w];
    float[] padded = new float[w + 2 * radius];
    float[] acc = new float[w];
    // horizontal pass
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int i = -radius; i < w + radius; i++) {
        padded[i + radius] = src[row + reflect(i, w)];
      }
      float k0 = kernel[radius];
      for (int x = 0; x < w; x++) {
        acc[x] = k0 * padded[x + radius];
      }
      for (int k = 1; k <= radius; k++) {
        float kv = kernel[radius + k];
        int lo = radius - k;
        int hi = radius + k;
        for (int x = 0; x < w; x++) {
          acc[x] += kv * (padded[x + lo] + padded[x + hi]);
        }
      }
      System.arraycopy(acc, 0, tmp, row, w);
    }
    return verticalPass(tmp, h, w, kernel);
  }

  /**
   * The vertical pass of both blurs: whole rows at a time, kernel taps in the outer loop and the
   * pixels in the inner loop (contiguous, so the JIT vectorizes it), using the kernel's symmetry.
   *
   * @return a new (h, w) array
   */
  private static float[] verticalPass(float[] tmp, int h, int w, float[] kernel) {
    int radius = kernel.length / 2;
    float[] out = new float[h * w];
    float[] acc = new float[w];
    for (int y = 0; y < h; y++) {
      int o = y * w;
      float k0 = kernel[radius];
      for (int x = 0; x < w; x++) {
        acc[x] = k0 * tmp[o + x];
      }
      for (int k = 1; k <= radius; k++) {
        float kv = kernel[radius + k];
        int a = reflect(y - k, h) * w;
        int b = reflect(y + k, h) * w;
        for (int x = 0; x < w; x++) {
          acc[x] += kv * (tmp[a + x] + tmp[b + x]);
        }
      }
      System.arraycopy(acc, 0, out, o, w);
    }
    return out;
  }

  /** Lookup tables for blurring binary rows: table[g][v] = sum of kernel taps 8g..8g+7 set in v. */
  static float[][] binaryTables(float[] kernel) {
    int groups = (kernel.length + 7) / 8;
    float[][] t = new float[groups][256];
    for (int g = 0; g < groups; g++) {
      for (int v = 0; v < 256; v++) {
        double acc = 0;
        for (int b = 0; b < 8; b++) {
          int tap = 8 * g + b;
          if (tap < kernel.length && ((v >>> b) & 1) != 0) {
            acc += kernel[tap];
          }
        }
        t[g][v] = (float) acc;
      }
    }
    return t;
  }

  /**
   * Gaussian blur (reflect borders) of a binary image, bit i of {@code bits[i / 64]} being pixel i
   * (row-major). The horizontal pass looks up 8 taps at a time in {@code tables} ({@link
   * #binaryTables}); the vertical pass is {@link #verticalPass}, as in {@link #gaussianBlur}. Equal
   * to {@code gaussianBlur} up to float rounding.
   *
   * @return a new (h, w) array
   */
  static float[] gaussianBlurBinary(long[] bits, int h, int w, float[] kernel, float[][] tables) {
    int radius = kernel.length / 2;
    int groups = tables.length;
    int span = w + 8 * groups;
    int[] pb = new int[span + 8];
    int[] idx = new int[span];
    float[] tmp = new float[h * w];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int i = 0; i < w + 2 * radius; i++) {
        int p = row + reflect(i - radius, w);
        pb[i] = (int) ((bits[p >>> 6] >>> (p & 63)) & 1L);
      }
      for (int i = w + 2 * radius; i < pb.length; i++) {
        pb[i] = 0;
      }
      int v = 0;
      for (int t = 0; t < 8; t++) {
        v |= pb[t] << t;
      }
      int last = w + 8 * (groups - 1);
      for (int i = 0; i < last; i++) {
        idx[i] = v;
        v = (v >>> 1) | (pb[i + 8] << 7);
      }
      for (int x = 0; x < w; x++) {
        float acc = 0;
        for (int g = 0; g < groups; g++) {
          acc += tables[g][idx[x + 8 * g]];
        }
        tmp[row + x] = acc;
      }
    }
    return verticalPass(tmp, h, w, kernel);
  }

  /**
   * Exact Euclidean distance from every true pixel to the nearest false pixel inside the (h, w)
   * grid (false pixels get 0), as scipy's {@code distance_transform_edt}
   * (Felzenszwalb–Huttenlocher).
   */
  static float[] distanceTransform(boolean[] mask, int h, int w) {
    final double inf = 1e20;
    double[] f = new double[h * w];
    for (int i = 0; i < f.length; i++) {
      f[i] = mask[i] ? inf : 0;
    }
    int n = Math.max(h, w);
    double[] line = new double[n];
    double[] d = new double[n];
    int[] v = new int[n];
    double[] z = new double[n + 1];
    for (int x = 0; x < w; x++) {
      for (int y = 0; y < h; y++) {
        line[y] = f[y * w + x];
      }
      edt1d(line, h, d, v, z);
      for (int y = 0; y < h; y++) {
        f[y * w + x] = d[y];
      }
    }
    float[] out = new float[h * w];
    for (int y = 0; y < h; y++) {
      System.arraycopy(f, y * w, line, 0, w);
      edt1d(line, w, d, v, z);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (float) Math.sqrt(d[x]);
      }
    }
    return out;
  }

  private static void edt1d(double[] f, int n, double[] d, int[] v, double[] z) {
    int k = 0;
    v[0] = 0;
    z[0] = Double.NEGATIVE_INFINITY;
    z[1] = Double.POSITIVE_INFINITY;
    for (int q = 1; q < n; q++) {
      double s;
      while (true) {
        int p = v[k];
        s = ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
        if (s <= z[k] && k > 0) {
          k--;
        } else {
          break;
        }
      }
      if (s <= z[k]) {
        // k == 0 and the new parabola dominates everywhere
        v[0] = q;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        continue;
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Double.POSITIVE_INFINITY;
    }
    k = 0;
    for (int q = 0; q < n; q++) {
      while (z[k + 1] < q) {
        k++;
      }
      double dq = q - v[k];
      d[q] = dq * dq + f[v[k]];
    }
  }

  /**
   * Bounding box of the corners of the rectangle [lo0, hi0] × [lo1, hi1] (row, column) mapped by
   * the 2×2 matrix M = [[m00, m01], [m10, m11]], widened to whole pixels.
   *
   * @return {floor(min row), floor(min column), ceil(max row), ceil(max column)}
   */
  static double[] mappedBox(
      double m00,
      double m01,
      double m10,
      double m11,
      double lo0,
      double hi0,
      double lo1,
      double hi1) {
    double min0 = Double.POSITIVE_INFINITY;
    double min1 = Double.POSITIVE_INFINITY;
    double max0 = Double.NEGATIVE_INFINITY;
    double max1 = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < 2; i++) {
      double a = i == 0 ? lo0 : hi0;
      for (int j = 0; j < 2; j++) {
        double b = j == 0 ? lo1 : hi1;
        double y = m00 * a + m01 * b;
        double x = m10 * a + m11 * b;
        min0 = Math.min(min0, y);
        max0 = Math.max(max0, y);
        min1 = Math.min(min1, x);
        max1 = Math.max(max1, x);
      }
    }
    return new double[] {Math.floor(min0), Math.floor(min1), Math.ceil(max0), Math.ceil(max1)};
  }

  /**
   * Bilinear sample of the window [r0, r0 + wh) × [c0, c0 + ww) of an image at window coordinates
   * (y, x); neighbours outside the window count as 0 (scipy mode 'grid-constant', cval 0).
   */
  static float sampleWindowZero(
      float[] img, int imgW, int r0, int c0, int wh, int ww, double y, double x) {
    double fy0 = Math.floor(y);
    double fx0 = Math.floor(x);
    if (fy0 < -1 || fy0 > wh - 1 || fx0 < -1 || fx0 > ww - 1) {
      return 0f;
    }
    int y0 = (int) fy0;
    int x0 = (int) fx0;
    float fy = (float) (y - y0);
    float fx = (float) (x - x0);
    float v00 = at(img, imgW, r0, c0, wh, ww, y0, x0);
    float v01 = at(img, imgW, r0, c0, wh, ww, y0, x0 + 1);
    float v10 = at(img, imgW, r0, c0, wh, ww, y0 + 1, x0);
    float v11 = at(img, imgW, r0, c0, wh, ww, y0 + 1, x0 + 1);
    float a = v00 + (v01 - v00) * fx;
    float b = v10 + (v11 - v10) * fx;
    return a + (b - a) * fy;
  }

  private static float at(float[] img, int imgW, int r0, int c0, int wh, int ww, int y, int x) {
    if (y < 0 || y >= wh || x < 0 || x >= ww) {
      return 0f;
    }
    return img[(r0 + y) * imgW + c0 + x];
  }
}
