package io.github.mediclip.cli;

import io.github.mediclip.eval.EvaluationResult;
import java.util.Map;

/** JSON views of evaluation results. */
final class Results {
  private Results() {}

  /** Metrics of one evaluation, flat keys as in the report's metrics.json. */
  static Map<String, Object> metrics(EvaluationResult r) {
    Map<String, Object> o = Json.object();
    o.put("dataset", r.dataset());
    o.put("n_test", r.samples().size());
    o.put("n_abnormal", java.util.Arrays.stream(r.labels()).sum());
    o.put("image_auroc", r.image().auroc());
    o.put("image_ap", r.image().averagePrecision());
    o.put("image_f1max", r.image().f1Max());
    if (r.imageAurocCi() != null) {
      o.put("image_auroc_ci", new double[] {r.imageAurocCi().lower(), r.imageAurocCi().upper()});
    }
    if (r.hasPixelMetrics()) {
      o.put("pixel_auroc", r.pixel().auroc());
      o.put("pixel_ap", r.pixel().averagePrecision());
      o.put("pixel_f1max", r.pixel().f1Max());
      o.put("pixel_aupro", r.aupro());
    } else {
      o.put("pixel_note", r.pixelNote());
    }
    o.put("images_per_s", r.imagesPerSecond());
    o.put("seconds", r.seconds());
    if (r.reportDir() != null) {
      o.put("report", r.reportDir().toString());
    }
    return o;
  }
}
