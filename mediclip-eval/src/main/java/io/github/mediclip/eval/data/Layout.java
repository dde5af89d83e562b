package io.github.mediclip.eval.data;

/** Folder layouts that {@link DatasetReader} understands. */
public enum Layout {
  /**
   * The MediCLIP reference layout: {@code samples/train.json} and {@code samples/test.json} hold
   * one JSON object per line with {@code filename}, {@code label} (0/1), {@code clsname} and an
   * optional {@code mask}; both paths are relative to {@code images/}.
   */
  MEDICLIP,
  /**
   * An MVTec-AD-like layout: {@code train/good}, {@code test/good}, {@code test/<defect>} and
   * {@code ground_truth/<defect>/<name>_mask.png}.
   */
  MVTEC,
  /**
   * The plain layout: {@code train/normal}, {@code test/normal}, {@code test/abnormal} and
   * optionally {@code ground_truth/abnormal} with masks under the image's base name (or {@code
   * <name>_mask}).
   */
  PLAIN,
  /**
   * Detects the layout: {@code samples/train.json} means MEDICLIP, {@code train/good} MVTEC, {@code
   * train/normal} PLAIN.
   */
  AUTO
}
