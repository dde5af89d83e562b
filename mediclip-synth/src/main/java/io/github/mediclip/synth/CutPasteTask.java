package io.github.mediclip.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code CutpasteTask}: fills a Perlin blob (patch sides 10–60 % of the image) with content cut
 * from a normal image, rotated by U(−π/4, π/4) and scaled by s or 1/s (probability 1/2 each) with s
 * = 1 + Exp(mean 0.1), the scale capped so that the source window stays within 80 % of the source;
 * pasted values are clipped to the source's range and rounded to whole grey levels (the reference
 * works on 8-bit arrays). Reference: {@code CutPastePatchBlender} of MediCLIP's {@code medsyn}
 * (MediCLIP, MICCAI 2024, arXiv 2405.11315).
 *
 * <p>Source images: drawn uniformly from the normal image itself plus the support set, as the
 * reference draws from all k-shot images. An empty support set is therefore valid (the image pastes
 * from itself); support images of another size are resized (bilinear) to the normal image's size.
 *
 * <p>Label: soft, {@code 1 − exp(−d² / (2 · 0.2²))} of the absolute change d (grey levels) inside
 * the union of the blobs, then per 4-connected region a grey closing (3×3) and grey hole filling
 * (reconstruction by erosion, 8-connected) over the region's bounding box, as the reference's
 * {@code FlippedGaussianLabeller}. Pixels where the pasted value equals the original (e.g. black
 * background pasted on black background) get 0 unless enclosed.
 *
 * <p>Immutable and thread-safe.
 */
public final class CutPasteTask extends PatchTask {

  /** Registry name. */
  public static final String NAME = "CutpasteTask";

  /** Default σ of the flipped-Gaussian labeller (grey levels). */
  public static final double DEFAULT_LABEL_STD = 0.2;

  private final double labelStd;

  private CutPasteTask(double labelStd) {
    super(NAME, 0.1, 0.6);
    this.labelStd = labelStd;
  }

  /**
   * @return the task with the reference labeller σ = 0.2
   */
  public static CutPasteTask create() {
    return new CutPasteTask(DEFAULT_LABEL_STD);
  }

  /**
   * @param labelStd σ of the flipped-Gaussian labeller in grey levels, finite and &gt; 0
   * @return the task
   */
  public static CutPasteTask withLabelStd(double labelStd) {
    return new CutPasteTask(Checks.requirePositiveFinite(labelStd, "labelStd"));
  }

  /**
   * @return σ of the labeller in grey levels
   */
  public double labelStd() {
    return labelStd;
  }

  @Override
  List<GrayImage> pool(GrayImage normal, List<GrayImage> support) {
    // the normal image first, then the support set as given; a support image is checked and
    // resized only when it is drawn (see source()), so large support sets cost nothing per sample
    List<GrayImage> pool = new ArrayList<>(support.size() + 1);
    pool.add(normal);
    for (int i = 0; i < support.size(); i++) {
      pool.add(Objects.requireNonNull(support.get(i), "support[" + i + "]"));
    }
    return pool;
  }

  private static GrayImage source(Work work, int index) {
    GrayImage s = work.pool.get(index);
    if (index > 0) {
      Checks.requireFinite(s, "support[" + (index - 1) + "]");
      s = s.resize(work.w, work.h);
    }
    return s;
  }

  @Override
  void augment(Work work, Patch p, int r0, int c0) {
    SplittableRandom r = work.random;
    GrayImage source = source(work, r.nextInt(work.pool.size()));
    float[] src = source.data();
    float srcMin = Float.POSITIVE_INFINITY;
    float srcMax = Float.NEGATIVE_INFINITY;
    for (float v : src) {
      srcMin = Math.min(srcMin, v);
      srcMax = Math.max(srcMax, v);
    }
    int h = work.h;
    int w = work.w;
    double ang = Rng.uniform(r, -Math.PI / 4, Math.PI / 4);
    double c = StrictMath.cos(ang);
    double s = StrictMath.sin(ang);
    // bounding box of the rotated patch (corners 0|h, 0|w); it caps the scale
    double[] box = ImageOps.mappedBox(c, -s, s, c, 0, p.h, 0, p.w);
    double init0 = box[2] - box[0];
    double init1 = box[3] - box[1];
    double maxScale = Math.min(0.8 * h / init0, 0.8 * w / init1);
    double change = 1 + Rng.exponential(r, 0.1);
    double raw = r.nextBoolean() ? change : 1 / change;
    double scale = Math.min(raw, maxScale);
    double m00 = scale * c;
    double m01 = -scale * s;
    double m10 = scale * s;
    double m11 = scale * c;
    box = ImageOps.mappedBox(m00, m01, m10, m11, 0, p.h, 0, p.w);
    int g0 = (int) (box[2] - box[0]);
    int g1 = (int) (box[3] - box[1]);
    int sr0 = Rng.randintInclusive(r, 0, Math.max(0, h - g0));
    int sc0 = Rng.randintInclusive(r, 0, Math.max(0, w - g1));
    // the window as numpy slices it: clipped at the image end
    int wh = Math.min(g0, h - sr0);
    int ww = Math.min(g1, w - sc0);
    float[] img = work.img;
    for (int i = 0; i < p.h; i++) {
      int row = (r0 + i) * w + c0;
      for (int j = 0; j < p.w; j++) {
        if (!p.mask[i * p.w + j]) {
          continue;
        }
        // backward map: output (i, j) -> window coordinates
        double y = m00 * i + m01 * j - box[0];
        double x = m10 * i + m11 * j - box[1];
        float v = ImageOps.sampleWindowZero(src, w, sr0, sc0, wh, ww, y, x);
        v = Math.max(srcMin, Math.min(srcMax, v));
        img[row + j] = (float) Math.rint(v);
      }
    }
  }

  @Override
  float[] label(Work work, float[] union) {
    return Labeller.flippedGaussian(work.img, work.orig, union, work.h, work.w, labelStd);
  }
}
