package io.github.mediclip.eval.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Straightforward re-implementations of scikit-learn's algorithms and of the MVTec AD AUPRO script,
 * written independently of the production code (brute force over distinct thresholds, no sorting
 * tricks, no integer area accumulation), used as the oracle of the exactness tests because
 * scikit-learn is not installed here.
 */
final class ReferenceMetrics {

  private ReferenceMetrics() {}

  /** Distinct thresholds in decreasing order. */
  static double[] thresholds(double[] scores) {
    TreeSet<Double> set = new TreeSet<>();
    for (double s : scores) {
      set.add(s + 0.0);
    }
    double[] t = new double[set.size()];
    int i = 0;
    for (Double d : set.descendingSet()) {
      t[i++] = d;
    }
    return t;
  }

  static long count(double[] scores, int[] labels, int label, double threshold) {
    long c = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] == label && scores[i] >= threshold) {
        c++;
      }
    }
    return c;
  }

  /** roc_curve (all distinct thresholds) + auc (trapezoid), in doubles. */
  static double auroc(double[] scores, int[] labels) {
    long p = Arrays.stream(labels).filter(l -> l == 1).count();
    long n = labels.length - p;
    double prevX = 0;
    double prevY = 0;
    double area = 0;
    for (double t : thresholds(scores)) {
      double x = (double) count(scores, labels, 0, t) / n;
      double y = (double) count(scores, labels, 1, t) / p;
      area += (x - prevX) * (y + prevY) / 2;
      prevX = x;
      prevY = y;
    }
    return area;
  }

  /** Mann-Whitney U over all pairs: P(s_pos > s_neg) + 0.5 P(s_pos == s_neg). */
  static double aurocPairs(double[] scores, int[] labels) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] != 1) {
        continue;
      }
      for (int j = 0; j < scores.length; j++) {
        if (labels[j] != 0) {
          continue;
        }
        pairs++;
        if (scores[i] > scores[j]) {
          wins += 1;
        } else if (scores[i] == scores[j]) {
          wins += 0.5;
        }
      }
    }
    return wins / pairs;
  }

  /** average_precision_score: sum (R_n - R_{n-1}) P_n over distinct thresholds. */
  static double averagePrecision(double[] scores, int[] labels) {
    long p = Arrays.stream(labels).filter(l -> l == 1).count();
    double prevR = 0;
    double ap = 0;
    for (double t : thresholds(scores)) {
      long tp = count(scores, labels, 1, t);
      long fp = count(scores, labels, 0, t);
      double r = (double) tp / p;
      double prec = (double) tp / (tp + fp);
      ap += (r - prevR) * prec;
      prevR = r;
    }
    return ap;
  }

  static double f1Max(double[] scores, int[] labels) {
    long p = Arrays.stream(labels).filter(l -> l == 1).count();
    double best = 0;
    for (double t : thresholds(scores)) {
      long tp = count(scores, labels, 1, t);
      long fp = count(scores, labels, 0, t);
      double prec = (double) tp / (tp + fp);
      double rec = (double) tp / p;
      double f1 = prec + rec == 0 ? 0 : 2 * prec * rec / (prec + rec);
      best = Math.max(best, f1);
    }
    return best;
  }

  /**
   * 8- or 4-connected labelling by union-find (a different algorithm from the production flood
   * fill).
   */
  static int[] components(boolean[] mask, int w, int h, int connectivity) {
    int[] parent = new int[w * h];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (!mask[y * w + x]) {
          continue;
        }
        int[][] nb =
            connectivity == 8
                ? new int[][] {{-1, 0}, {0, -1}, {-1, -1}, {1, -1}}
                : new int[][] {{-1, 0}, {0, -1}};
        for (int[] d : nb) {
          int xx = x + d[0];
          int yy = y + d[1];
          if (xx >= 0 && xx < w && yy >= 0 && mask[yy * w + xx]) {
            union(parent, y * w + x, yy * w + xx);
          }
        }
      }
    }
    int[] label = new int[w * h];
    int[] rootLabel = new int[w * h];
    int next = 0;
    for (int i = 0; i < label.length; i++) {
      if (mask[i]) {
        int r = find(parent, i);
        if (rootLabel[r] == 0) {
          rootLabel[r] = ++next;
        }
        label[i] = rootLabel[r];
      }
    }
    return label;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    parent[find(parent, a)] = find(parent, b);
  }

  /** MVTec AD compute_pro + trapezoid(x_max) / x_max, brute force per distinct threshold. */
  static double aupro(
      List<float[]> maps, List<boolean[]> masks, int w, int h, double limit, int connectivity) {
    List<int[]> regionPixels = new ArrayList<>(); // per region: {image, label}
    List<int[]> labels = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    List<Integer> regionImage = new ArrayList<>();
    List<Integer> regionLabel = new ArrayList<>();
    long bg = 0;
    List<Double> all = new ArrayList<>();
    for (int m = 0; m < maps.size(); m++) {
      int[] lab = components(masks.get(m), w, h, connectivity);
      labels.add(lab);
      int max = Arrays.stream(lab).max().orElse(0);
      for (int r = 1; r <= max; r++) {
        final int rr = r;
        sizes.add((int) Arrays.stream(lab).filter(v -> v == rr).count());
        regionImage.add(m);
        regionLabel.add(r);
      }
      for (int i = 0; i < lab.length; i++) {
        if (!masks.get(m)[i]) {
          bg++;
        }
        all.add((double) maps.get(m)[i]);
      }
    }
    double[] allScores = all.stream().mapToDouble(Double::doubleValue).toArray();
    List<double[]> curve = new ArrayList<>();
    curve.add(new double[] {0, 0});
    for (double t : thresholds(allScores)) {
      long fp = 0;
      for (int m = 0; m < maps.size(); m++) {
        for (int i = 0; i < w * h; i++) {
          if (!masks.get(m)[i] && maps.get(m)[i] >= t) {
            fp++;
          }
        }
      }
      double pro = 0;
      for (int r = 0; r < sizes.size(); r++) {
        int m = regionImage.get(r);
        int lab = regionLabel.get(r);
        long hit = 0;
        for (int i = 0; i < w * h; i++) {
          if (labels.get(m)[i] == lab && maps.get(m)[i] >= t) {
            hit++;
          }
        }
        pro += (double) hit / sizes.get(r);
      }
      curve.add(new double[] {(double) fp / bg, Math.min(1, pro / sizes.size())});
    }
    double area = 0;
    for (int i = 1; i < curve.size(); i++) {
      double[] a = curve.get(i - 1);
      double[] b = curve.get(i);
      if (b[0] <= limit) {
        area += (b[0] - a[0]) * (a[1] + b[1]) / 2;
      } else {
        double y = a[1] + (b[1] - a[1]) * (limit - a[0]) / (b[0] - a[0]);
        area += (limit - a[0]) * (a[1] + y) / 2;
        break;
      }
    }
    return area / limit;
  }
}
