/**
 * Detector bundles: {@link io.github.mediclip.bundle.BundleManifest}, the configuration and
 * provenance that every trained detector carries ({@code MediClipDetector.manifest()}) and that its
 * saved bundle stores as {@code manifest.json}. The format is described in {@code docs/api.md}.
 */
package io.github.mediclip.bundle;
