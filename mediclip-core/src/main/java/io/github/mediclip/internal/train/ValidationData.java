package io.github.mediclip.internal.train;

import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesizedSample;
import io.github.mediclip.train.LabeledImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Validation images prepared once at model resolution: normalised (N, 3, S, S) inputs, image labels
 * and binary pixel masks (mask &gt; 0.5) at S×S.
 */
final class ValidationData {

  /** Redraws of the mixture when it produced an empty mask (e.g. the identity task). */
  private static final int MAX_REDRAWS = 20;

  final int imageSize;
  final float[] chw;
  final boolean[] labels;

  /** Binary masks at S×S, or null when no sample has a mask. */
  final boolean[] masks;

  private ValidationData(int imageSize, float[] chw, boolean[] labels, boolean[] masks) {
    this.imageSize = imageSize;
    this.chw = chw;
    this.labels = labels;
    this.masks = masks;
  }

  int size() {
    return labels.length;
  }

  boolean hasMasks() {
    return masks != null;
  }

  static ValidationData fromUser(List<LabeledImage> data, int size) {
    int n = data.size();
    int px = size * size;
    float[] chw = new float[n * 3 * px];
    boolean[] labels = new boolean[n];
    boolean anyMask = data.stream().anyMatch(LabeledImage::hasMask);
    boolean[] masks = anyMask ? new boolean[n * px] : null;
    for (int i = 0; i < n; i++) {
      LabeledImage d = data.get(i);
      GrayTensors.writeChw(GrayTensors.toSize(d.image(), size), chw, i * 3 * px);
      labels[i] = d.anomalous();
      if (anyMask && d.hasMask()) {
        float[] m = GrayTensors.maskToSize(d.mask(), size).toArray();
        for (int j = 0; j < px; j++) {
          masks[i * px + j] = m[j] > 0.5f;
        }
      }
    }
    return new ValidationData(size, chw, labels, masks);
  }

  /**
   * Builds the fixed synthesized validation set: every base image once as a normal sample, plus at
   * least {@code minAnomalies} synthesized anomalies (cycling over the base images, each with its
   * own split random stream).
   */
  static ValidationData synthesize(
      List<GrayImage> base,
      List<GrayImage> support,
      AnomalySynthesizer synth,
      int minAnomalies,
      long seed) {
    int size = base.get(0).width();
    List<GrayImage> images = new ArrayList<>(base);
    List<GrayImage> maskList = new ArrayList<>();
    List<Boolean> labelList = new ArrayList<>();
    GrayImage empty = GrayImage.filled(size, size, 0f);
    for (int i = 0; i < base.size(); i++) {
      maskList.add(empty);
      labelList.add(false);
    }
    SplittableRandom root = new SplittableRandom(seed);
    int anomalies = Math.max(minAnomalies, base.size());
    for (int a = 0; a < anomalies; a++) {
      int idx = a % base.size();
      GrayImage normal = base.get(idx);
      List<GrayImage> sup = new ArrayList<>(support);
      sup.remove(normal);
      if (sup.isEmpty()) {
        sup.add(normal);
      }
      SplittableRandom r = root.split();
      SynthesizedSample s = null;
      for (int t = 0; t < MAX_REDRAWS; t++) {
        s = synth.synthesize(normal, r.split(), sup);
        if (s.mask().max() > 0f) {
          break;
        }
      }
      boolean anomalous = s.mask().max() > 0f;
      images.add(GrayTensors.toSize(s.image(), size));
      maskList.add(GrayTensors.maskToSize(s.mask(), size));
      labelList.add(anomalous);
    }
    int n = images.size();
    int px = size * size;
    float[] chw = new float[n * 3 * px];
    boolean[] labels = new boolean[n];
    boolean[] masks = new boolean[n * px];
    for (int i = 0; i < n; i++) {
      GrayTensors.writeChw(images.get(i), chw, i * 3 * px);
      labels[i] = labelList.get(i);
      float[] m = maskList.get(i).toArray();
      for (int j = 0; j < px; j++) {
        masks[i * px + j] = m[j] > 0.5f;
      }
    }
    return new ValidationData(size, chw, labels, masks);
  }
}
