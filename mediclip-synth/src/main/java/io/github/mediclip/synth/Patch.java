package io.github.mediclip.synth;

/**
 * A binary anomaly shape on its own (h, w) grid, row-major; optionally with the geometry of a
 * deformed hypershape (for the radial deformation tasks).
 */
final class Patch {
  final int h;
  final int w;
  final boolean[] mask;
  final Hypershape.Geometry geometry;

  /**
   * Row runs, when every row's true cells are contiguous: row i is true exactly on columns
   * [rowStart[i], rowEnd[i]) (an empty row has rowStart == rowEnd); both null otherwise.
   */
  final int[] rowStart;

  final int[] rowEnd;

  /** number of true cells when the maker counted them, -1 otherwise */
  private final int knownCount;

  Patch(int h, int w, boolean[] mask, Hypershape.Geometry geometry) {
    this(h, w, mask, geometry, -1, null, null);
  }

  /**
   * @param count the number of true cells of {@code mask}, or -1 to count them on demand
   * @param rowStart first true column per row, or null (see {@link #rowStart})
   * @param rowEnd one past the last true column per row, or null
   */
  Patch(
      int h,
      int w,
      boolean[] mask,
      Hypershape.Geometry geometry,
      int count,
      int[] rowStart,
      int[] rowEnd) {
    this.h = h;
    this.w = w;
    this.mask = mask;
    this.geometry = geometry;
    this.knownCount = count;
    this.rowStart = rowStart;
    this.rowEnd = rowEnd;
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
