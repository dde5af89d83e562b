/**
 * Datasets on disk: {@link io.github.mediclip.eval.data.DatasetReader} reads the MediCLIP,
 * MVTec-like and plain layouts ({@link io.github.mediclip.eval.data.Layout}) into a {@link
 * io.github.mediclip.eval.data.Dataset} of {@link io.github.mediclip.eval.data.Sample}s, and
 * reports every unreadable file at once ({@link io.github.mediclip.eval.data.DatasetException}).
 */
package io.github.mediclip.eval.data;
