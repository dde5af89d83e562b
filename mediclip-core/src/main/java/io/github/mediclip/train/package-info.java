/**
 * What a user passes to and gets back from training: the training configuration, the progress
 * listener, the training result and summary, and {@link io.github.mediclip.train.LabeledImage} (an
 * in-memory image with its label and optional mask). The trainer itself is not exported; train with
 * {@code MediClip.fit}.
 */
package io.github.mediclip.train;
