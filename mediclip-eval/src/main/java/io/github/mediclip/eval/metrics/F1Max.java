package io.github.mediclip.eval.metrics;

/**
 * The best F1 score over all distinct thresholds (a sample is predicted anomalous when its score is
 * {@code >= threshold}), with the precision and recall at that threshold.
 *
 * @param f1 the maximal F1 = 2 TP / (2 TP + FP + FN), in [0, 1]
 * @param threshold the score threshold that reaches it (the highest such threshold when several
 *     tie)
 * @param precision precision at that threshold
 * @param recall recall at that threshold
 */
public record F1Max(double f1, double threshold, double precision, double recall) {}
