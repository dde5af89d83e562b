package io.github.mediclip.synth;

/**
 * A binary anomaly shape on its own (h, w) grid, row-major; optionally with the geometry of a deformed
 * hypershape (for the radial deformation tasks).
 */
final class Patch {
  final int h;
  final int w;
  final boolean[] mask;
  final Hypershape.Geometry geometry;

  Patch(int h, int w, boolean[] mask, Hypershape.Geometry geometry) {
    this.h = h;
    this.w = w;
    this.mask = mask;
    this.geometry = geometry;
  }

  int count() {
    int c = 0;
    for (boolean b : mask) {
      if (b) {
        c++;
      }
    }
    return c;
  }
}
