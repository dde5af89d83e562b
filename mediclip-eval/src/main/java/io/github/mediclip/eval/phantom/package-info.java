/**
 * A synthetic phantom dataset ({@link io.github.mediclip.eval.phantom.PhantomDataset}): seeded
 * grayscale "scans" with and without lesions, with masks, for examples, the demo and smoke tests.
 */
package io.github.mediclip.eval.phantom;
