package io.github.mediclip.eval;

/**
 * A scorer backed by a trained detector that knows how many normal images its training saw; the
 * evaluation report's {@code metrics.json} records that number as {@code normals_seen}.
 * Package-private: {@link ImageScorer#of} and {@link KShotSweep}'s scorers implement it.
 */
interface TrainedScorer extends ImageScorer {
  /** Normal images the training saw: the shots plus any validation normals. */
  int normalsSeen();
}
