package io.github.mediclip.eval;

import io.github.mediclip.MediClipDetector;
import io.github.mediclip.MediClipException;
import io.github.mediclip.VolumePrediction;
import io.github.mediclip.VolumeScoring;
import io.github.mediclip.eval.data.VolumeDataset;
import io.github.mediclip.eval.internal.VolumeLayout;
import io.github.mediclip.eval.metrics.Metrics;
import io.github.mediclip.eval.metrics.PixelMetrics;
import io.github.mediclip.formats.MedicalFormatException;
import io.github.mediclip.formats.MedicalImages;
import io.github.mediclip.formats.MedicalVolume;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
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
    return evaluate(detector, data, scoring, null);
  }

  /**
   * Evaluates a detector with its recorded (or modality default) intensity policy, skipping the
   * volumes that cannot be read.
   *
   * @param detector the detector
   * @param data the volumes and masks
   * @param scoring how slice scores make the volume score
   * @param skipped receives one line per volume that cannot be read (e.g. a DICOM transfer syntax
   *     without a decoder), naming it and the reason; the volume is then left out of every metric.
   *     {@code null} = such a volume is an error
   * @return the metrics
   * @throws MediClipException naming the files when a mask's size differs from its volume's, or a
   *     mask cannot be read
   */
  public static VolumeEvaluation evaluate(
      MediClipDetector detector,
      VolumeDataset data,
      VolumeScoring scoring,
      Consumer<String> skipped) {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(scoring, "scoring");
    return evaluate(
        data,
        v -> detector.predictVolume(v, detector.defaultPolicy(v), scoring),
        scoring.spec(),
        skipped);
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
    return evaluate(data, scorer, scoring, null);
  }

  /**
   * Evaluates any volume scorer, skipping the volumes that cannot be read.
   *
   * @param data the volumes and masks
   * @param scorer scores one volume (one prediction per slice, maps at the slice size)
   * @param scoring the scoring rule's spec, recorded in the result
   * @param skipped receives one line per volume that cannot be read ({@link MedicalFormatException}
   *     or an I/O error while reading it), naming it and the reason; {@code null} = such a volume
   *     is an error. Masks are always required to read.
   * @return the metrics of the volumes read
   * @throws MediClipException naming the files when a mask's size differs from its volume's or the
   *     scorer returns another number of slices, or when no volume can be read
   */
  public static VolumeEvaluation evaluate(
      VolumeDataset data,
      Function<MedicalVolume, VolumePrediction> scorer,
      String scoring,
      Consumer<String> skipped) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(scorer, "scorer");
    PixelMetrics pixels = new PixelMetrics();
    List<Double> sliceScores = new ArrayList<>();
    List<Integer> sliceLabels = new ArrayList<>();
    List<VolumeEvaluation.VolumeResult> results = new ArrayList<>();
    for (VolumeDataset.Entry e : data.volumes()) {
      MedicalVolume v;
      try {
        v = MedicalImages.read(e.volume());
      } catch (MedicalFormatException | UncheckedIOException ex) {
        if (skipped == null) {
          throw ex;
        }
        skipped.accept(
            "skipping volume " + e.name() + ": " + ex.getMessage() + "; left out of every metric");
        continue;
      }
      MedicalVolume m = MedicalImages.read(e.mask());
      VolumeLayout.checkSameSize(v, m);
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
    if (results.isEmpty()) {
      throw new MediClipException(
          data.folder() + ": none of the " + data.volumes().size() + " volumes can be read");
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
