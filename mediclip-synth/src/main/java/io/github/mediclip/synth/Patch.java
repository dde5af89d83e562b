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

  /** number of true cells when the maker counted them, -1 otherwise */
  private final int knownCount;

  Patch(int h, int w, boolean[] mask, Hypershape.Geometry geometry) {
    this(h, w, mask, geometry, -1);
  }

  /** @param count the number of true cells of {@code mask}, or -1 to count them on demand */
  Patch(int h, int w, boolean[] mask, Hypershape.Geometry geometry, int count) {
    this.h = h;
    this.w = w;
    this.mask = mask;
    this.geometry = geometry;
    this.knownCount = count;
  }

  int count() {
    if (knownCount >= 0) {
      return knownCount;
    }
    int c = 0;
    for (boolean b : mask) {
      c += b ? 1 : 0;
    }
    return c;
  }
}
