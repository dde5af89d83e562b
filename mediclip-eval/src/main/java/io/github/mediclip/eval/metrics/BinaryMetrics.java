package io.github.mediclip.eval.metrics;

/**
 * Threshold-free metrics of one binary scoring problem, computed from a single sort.
 *
 * @param auroc area under the ROC curve (scikit-learn {@code roc_auc_score} semantics, ties as one
 *     diagonal step)
 * @param averagePrecision average precision (scikit-learn {@code average_precision_score}: sum (R_n
 *     - R_{n-1}) P_n)
 * @param f1Max the best F1 over all distinct thresholds
 * @param f1Threshold the threshold of {@code f1Max}
 * @param positives number of positive (anomalous) samples or pixels
 * @param negatives number of negative (normal) samples or pixels
 */
public record BinaryMetrics(
    double auroc,
    double averagePrecision,
    double f1Max,
    double f1Threshold,
    long positives,
    long negatives) {}
