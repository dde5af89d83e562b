/**
 * Evaluation entry points: {@link io.github.mediclip.eval.DetectorEvaluator} (metrics and an
 * optional report folder for one dataset), {@link io.github.mediclip.eval.KShotSweep} (k-shot
 * tables over seeds), their results ({@link io.github.mediclip.eval.EvaluationResult}) and the
 * {@link io.github.mediclip.eval.ImageScorer} interface for scoring with a model of one's own.
 */
package io.github.mediclip.eval;
