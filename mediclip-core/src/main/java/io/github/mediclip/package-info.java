/**
 * The MediCLIP entry point: configure with {@link io.github.mediclip.MediClip#builder()}, train a
 * {@link io.github.mediclip.MediClipDetector} from a few normal images, predict ({@link
 * io.github.mediclip.Prediction}: image score, anomaly map and mask), save and load detector
 * bundles. Thresholds are chosen by a {@link io.github.mediclip.ThresholdPolicy} and stored as an
 * {@link io.github.mediclip.OperatingPoint}. Library failures are {@link
 * io.github.mediclip.MediClipException}s.
 *
 * <p>Reference: Zhang et al., "MediCLIP: Adapting CLIP for Few-shot Medical Image Anomaly
 * Detection", MICCAI 2024 (arXiv 2405.11315).
 */
package io.github.mediclip;
