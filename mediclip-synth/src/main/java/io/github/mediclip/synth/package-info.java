/**
 * Anomaly synthesis for few-shot medical anomaly detection (MediCLIP, MICCAI 2024, arXiv
 * 2405.11315).
 *
 * <p>{@link io.github.mediclip.synth.AnomalySynthesizer} is the extension point: from a normal
 * {@link io.github.mediclip.synth.GrayImage} (H, W) on the 0..255 scale, a per-sample {@link
 * java.util.SplittableRandom} and the other k-shot images, it returns a {@link
 * io.github.mediclip.synth.SynthesizedSample} (augmented image, soft mask in [0, 1]). {@link
 * io.github.mediclip.synth.Synthesizers} finds tasks by declared name (ServiceLoader), {@link
 * io.github.mediclip.synth.SynthesisMixture} draws one task per sample by weight, and {@link
 * io.github.mediclip.synth.ValidatingSynthesizer} checks user code. The six reference tasks are
 * {@link io.github.mediclip.synth.CutPasteTask}, {@link
 * io.github.mediclip.synth.GaussIntensityChangeTask}, {@link
 * io.github.mediclip.synth.SmoothIntensityChangeTask}, {@link
 * io.github.mediclip.synth.SourceDeformationTask}, {@link
 * io.github.mediclip.synth.SinkDeformationTask} and {@link io.github.mediclip.synth.IdentityTask}.
 * See {@code docs/synthesis.md}.
 */
package io.github.mediclip.synth;
