package io.github.mediclip.synth;

import java.util.Locale;

/** Argument checks shared by the tasks. */
final class Checks {
  private Checks() {}

  static void requireFinite(GrayImage image, String field) {
    float[] p = image.data();
    for (int i = 0; i < p.length; i++) {
      if (!Float.isFinite(p[i])) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s has a non-finite pixel %s at (x=%d, y=%d); synthesis needs finite values "
                + "(0..255 scale)", field, p[i], i % image.width(), i / image.width()));
      }
    }
  }
}
