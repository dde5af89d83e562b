package io.github.mediclip.eval;

import io.github.mediclip.MediClipDetector;
import io.github.mediclip.MediClipException;
import io.github.mediclip.VolumePrediction;
import io.github.mediclip.VolumeScoring;
import io.github.mediclip.eval.data.VolumeDataset;
import io.github.mediclip.eval.metrics.Metrics;
import io.github.mediclip.eval.metrics.PixelMetrics;
import io.github.mediclip.formats.MedicalImages;
import io.github.mediclip.formats.MedicalVolume;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Evaluates a detector on a {@link VolumeDataset}: every slice of every volume is scored, slice
 * labels come from the masks, and slice-level, voxel-level and volume-level metrics are computed
 * exactly ({@link Metrics}, {@link PixelMetrics}).
 */
public final class VolumeEvaluator {

  private VolumeEvaluator() {}

  /**
   * Evaluates a detector with its recorded (or modality default) intensity policy.
   *
   * @param detector the detector
   * @param data the volumes and masks
   * @param scoring how slice scores make the volume score
   * @return the metrics
   * @throws MediClipException naming the files when a mask's size differs from its volume's
   */
  public static VolumeEvaluation evaluate(
      MediClipDetector detector, VolumeDataset data, VolumeScoring scoring) {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(scoring, "scoring");
    return evaluate(
        data, v -> detector.predictVolume(v, detector.defaultPolicy(v), scoring), scoring.spec());
  }

  /**
   * Evaluates any volume scorer (a detector, or a test fake).
   *
   * @param data the volumes and masks
   * @param scorer scores one volume (one prediction per slice, maps at the slice size)
   * @param scoring the scoring rule's spec, recorded in the result
   * @return the metrics
   * @throws MediClipException naming the files when a mask's size differs from its volume's or the
   *     scorer returns another number of slices
   */
  public static VolumeEvaluation evaluate(
      VolumeDataset data, Function<MedicalVolume, VolumePrediction> scorer, String scoring) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(scorer, "scorer");
    PixelMetrics pixels = new PixelMetrics();
    List<Double> sliceScores = new ArrayList<>();
    List<Integer> sliceLabels = new ArrayList<>();
    List<VolumeEvaluation.VolumeResult> results = new ArrayList<>();
    for (VolumeDataset.Entry e : data.volumes()) {
      MedicalVolume v = MedicalImages.read(e.volume());
      MedicalVolume m = MedicalImages.read(e.mask());
      if (v.slices() != m.slices() || v.rows() != m.rows() || v.columns() != m.columns()) {
        throw new MediClipException(
            e.mask()
                + ": the mask is "
                + m.columns()
                + "x"
                + m.rows()
                + "x"
                + m.slices()
                + " (columns x rows x slices) but its volume "
                + e.volume()
                + " is "
                + v.columns()
                + "x"
                + v.rows()
                + "x"
                + v.slices()
                + "; give a mask of the volume's size");
      }
      VolumePrediction vp = scorer.apply(v);
      if (vp.slices().size() != v.slices()) {
        throw new MediClipException(
            e.volume()
                + ": the scorer returned "
                + vp.slices().size()
                + " slice predictions for "
                + v.slices()
                + " slices");
      }
      double[] ss = new double[v.slices()];
      int[] sl = new int[v.slices()];
      int label = 0;
      for (int k = 0; k < v.slices(); k++) {
        float[] mk = m.slice(k);
        byte[] mask = new byte[mk.length];
        for (int i = 0; i < mk.length; i++) {
          if (mk[i] != 0f) {
            mask[i] = 1;
            sl[k] = 1;
          }
        }
        label |= sl[k];
        ss[k] = vp.slices().get(k).score();
        pixels.add(vp.slices().get(k).anomalyMap().toArray(), mask, v.columns(), v.rows());
        sliceScores.add(ss[k]);
        sliceLabels.add(sl[k]);
      }
      results.add(
          new VolumeEvaluation.VolumeResult(
              e.name(), vp.score(), label, vp.intensityPolicy(), ss, sl));
    }
    double[] s = sliceScores.stream().mapToDouble(Double::doubleValue).toArray();
    int[] l = sliceLabels.stream().mapToInt(Integer::intValue).toArray();
    double[] vs = results.stream().mapToDouble(VolumeEvaluation.VolumeResult::score).toArray();
    int[] vl = results.stream().mapToInt(VolumeEvaluation.VolumeResult::label).toArray();
    int anomalous = 0;
    for (int x : l) {
      anomalous += x;
    }
    return new VolumeEvaluation(
        results.size(),
        s.length,
        anomalous,
        auroc(s, l),
        ap(s, l),
        pixels.anomalousPixelCount() == 0 || pixels.anomalousPixelCount() == pixels.pixelCount()
            ? Double.NaN
            : pixels.auroc(),
        pixels.regionCount() == 0 ? Double.NaN : pixels.aupro(),
        auroc(vs, vl),
        scoring,
        results);
  }

  private static boolean twoClasses(int[] l) {
    boolean zero = false;
    boolean one = false;
    for (int x : l) {
      zero |= x == 0;
      one |= x == 1;
    }
    return zero && one;
  }

  private static double auroc(double[] s, int[] l) {
    return twoClasses(l) ? Metrics.auroc(s, l) : Double.NaN;
  }

  private static double ap(double[] s, int[] l) {
    return twoClasses(l) ? Metrics.averagePrecision(s, l) : Double.NaN;
  }
}
