/**
 * Datasets on disk: {@link io.github.mediclip.eval.data.DatasetReader} reads the MediCLIP,
 * MVTec-like and plain layouts ({@link io.github.mediclip.eval.data.Layout}) into a {@link
 * io.github.mediclip.eval.data.Dataset} of image files with their labels (the library's one
 * labelled-sample type, {@link io.github.mediclip.train.LabeledImage}), and reports every
 * unreadable file at once ({@link io.github.mediclip.eval.data.DatasetException}).
 */
package io.github.mediclip.eval.data;
