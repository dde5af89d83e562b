package io.github.mediclip.synth;

/**
 * The reference's {@code IntensityDiffLabeller} with the flipped-Gaussian label function: soft
 * label from the absolute intensity change inside the anomaly mask, then per 4-connected region of
 * the mask a grey closing (3×3 footprint, reflect borders) and a grey hole filling (morphological
 * reconstruction by erosion seeded with the region maximum inside and the closed label on the
 * bounding-box border, 8-connected), written back over the region's bounding box.
 */
final class Labeller {
  private Labeller() {}

  static float[] flippedGaussian(
      float[] aug, float[] orig, float[] union, int h, int w, double std) {
    int n = h * w;
    boolean[] mask = new boolean[n];
    for (int i = 0; i < n; i++) {
      mask[i] = union[i] > 0f;
    }
    float[] label = union;
    java.util.Arrays.fill(label, 0f);
    double k = 1.0 / (2 * std * std);
    // whole grey-level differences (the usual case) come from a table with the same values
    float[] table = new float[256];
    for (int d = 0; d < 256; d++) {
      table[d] = (float) (1 - Math.exp(-(double) d * d * k));
    }
    for (int i = 0; i < n; i++) {
      if (mask[i]) {
        float d = Math.abs(aug[i] - orig[i]);
        int di = (int) d;
        label[i] = di == d && di < 256 ? table[di] : (float) (1 - Math.exp(-(double) d * d * k));
      }
    }
    // connected regions (4-connectivity, scipy.ndimage.label default), in raster order of first
    // pixel
    int[] regionOf = new int[n];
    int[] stack = new int[n];
    int regions = 0;
    for (int start = 0; start < n; start++) {
      if (!mask[start] || regionOf[start] != 0) {
        continue;
      }
      regions++;
      int top = 0;
      stack[top++] = start;
      regionOf[start] = regions;
      int minY = start / w;
      int maxY = minY;
      int minX = start % w;
      int maxX = minX;
      while (top > 0) {
        int p = stack[--top];
        int y = p / w;
        int x = p % w;
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        if (x > 0 && mask[p - 1] && regionOf[p - 1] == 0) {
          regionOf[p - 1] = regions;
          stack[top++] = p - 1;
        }
        if (x < w - 1 && mask[p + 1] && regionOf[p + 1] == 0) {
          regionOf[p + 1] = regions;
          stack[top++] = p + 1;
        }
        if (y > 0 && mask[p - w] && regionOf[p - w] == 0) {
          regionOf[p - w] = regions;
          stack[top++] = p - w;
        }
        if (y < h - 1 && mask[p + w] && regionOf[p + w] == 0) {
          regionOf[p + w] = regions;
          stack[top++] = p + w;
        }
      }
      closeAndFill(label, w, minY, minX, maxY - minY + 1, maxX - minX + 1);
    }
    for (int i = 0; i < n; i++) {
      label[i] = Math.max(0f, Math.min(1f, label[i]));
    }
    return label;
  }

  /** Closing then hole filling of the window [y0, y0 + bh) × [x0, x0 + bw), in place. */
  static void closeAndFill(float[] img, int w, int y0, int x0, int bh, int bw) {
    int m = bh * bw;
    float[] win = new float[m];
    for (int y = 0; y < bh; y++) {
      System.arraycopy(img, (y0 + y) * w + x0, win, y * bw, bw);
    }
    float[] dil = filter3x3(win, bh, bw, true);
    float[] closed = filter3x3(dil, bh, bw, false);
    float[] filled = fillHoles(closed, bh, bw);
    for (int y = 0; y < bh; y++) {
      System.arraycopy(filled, y * bw, img, (y0 + y) * w + x0, bw);
    }
  }

  /**
   * 3×3 max (dilation) or min (erosion) with border pixels repeated (reflect for a 3×3 window),
   * computed separably (rows, then columns), which gives the same values as the 3×3 window.
   */
  static float[] filter3x3(float[] src, int h, int w, boolean max) {
    float[] tmp = new float[h * w];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        float a = src[row + Math.max(x - 1, 0)];
        float b = src[row + x];
        float c = src[row + Math.min(x + 1, w - 1)];
        tmp[row + x] = max ? Math.max(a, Math.max(b, c)) : Math.min(a, Math.min(b, c));
      }
    }
    float[] out = new float[h * w];
    for (int y = 0; y < h; y++) {
      int up = Math.max(y - 1, 0) * w;
      int row = y * w;
      int down = Math.min(y + 1, h - 1) * w;
      for (int x = 0; x < w; x++) {
        float a = tmp[up + x];
        float b = tmp[row + x];
        float c = tmp[down + x];
        out[row + x] = max ? Math.max(a, Math.max(b, c)) : Math.min(a, Math.min(b, c));
      }
    }
    return out;
  }

  /**
   * Grey hole filling: r(p) = the smallest, over 8-connected paths from p to the window border, of
   * the largest value on the path (priority flood from the border).
   */
  static float[] fillHoles(float[] f, int h, int w) {
    int n = h * w;
    float[] r = new float[n];
    boolean[] done = new boolean[n];
    IndexHeap heap = new IndexHeap(n, r);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (y == 0 || x == 0 || y == h - 1 || x == w - 1) {
          int p = y * w + x;
          r[p] = f[p];
          done[p] = true;
          heap.push(p);
        }
      }
    }
    while (!heap.isEmpty()) {
      int p = heap.pop();
      int y = p / w;
      int x = p % w;
      float rp = r[p];
      for (int dy = -1; dy <= 1; dy++) {
        int yy = y + dy;
        if (yy < 0 || yy >= h) {
          continue;
        }
        for (int dx = -1; dx <= 1; dx++) {
          int xx = x + dx;
          if (xx < 0 || xx >= w) {
            continue;
          }
          int q = yy * w + xx;
          if (!done[q]) {
            done[q] = true;
            r[q] = Math.max(f[q], rp);
            heap.push(q);
          }
        }
      }
    }
    return r;
  }

  /** Binary min-heap of indices keyed by {@code key[index]}. */
  private static final class IndexHeap {
    private final int[] heap;
    private final float[] key;
    private int size;

    IndexHeap(int capacity, float[] key) {
      this.heap = new int[capacity];
      this.key = key;
    }

    boolean isEmpty() {
      return size == 0;
    }

    void push(int idx) {
      int i = size++;
      float k = key[idx];
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (key[heap[parent]] <= k) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = idx;
    }

    int pop() {
      int top = heap[0];
      int last = heap[--size];
      float k = key[last];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && key[heap[child + 1]] < key[heap[child]]) {
          child++;
        }
        if (key[heap[child]] >= k) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
      return top;
    }
  }
}
