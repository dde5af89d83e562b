package io.github.mediclip.formats.internal;

import io.github.mediclip.formats.VolumeMetadata;

/**
 * What a built-in reader hands to the public package: slices it gives up, and the metadata.
 *
 * @param slices slices, each rows·columns modality values, row-major
 * @param metadata header information
 */
public record Decoded(float[][] slices, VolumeMetadata metadata) {}
