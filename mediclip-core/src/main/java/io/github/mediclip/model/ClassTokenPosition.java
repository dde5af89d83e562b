package io.github.mediclip.model;

import java.util.Locale;

/**
 * Where the prompt phrase ("class token" in CoOp's words) sits relative to the learnable context
 * vectors of the prompt learner (CoOp, Zhou et al., IJCV 2022; used by MediCLIP, MICCAI 2024).
 *
 * <p>With {@code n} context vectors {@code [V]1..[V]n}, a phrase {@code P} (its BPE tokens and the
 * final full stop are part of the fixed suffix) and the start / end tokens {@code [SOS]}, {@code
 * [EOT]}:
 *
 * <ul>
 *   <li>{@link #END}: {@code [SOS] [V]1..[V]n P . [EOT] pad...} (the reference default);
 *   <li>{@link #MIDDLE}: {@code [SOS] [V]1..[V]n/2 P [V]n/2+1..[V]n . [EOT] pad...};
 *   <li>{@link #FRONT}: {@code [SOS] P [V]1..[V]n . [EOT] pad...}.
 * </ul>
 *
 * <p>{@code P} covers exactly the BPE tokens of the phrase (its length is measured without the full
 * stop), as in CoOp's {@code name_lens}.
 */
public enum ClassTokenPosition {
  /** Phrase after all context vectors (reference default). */
  END,
  /** Phrase between the two halves of the context vectors. */
  MIDDLE,
  /** Phrase before all context vectors. */
  FRONT;

  /**
   * The reference's spelling of this position ("end", "middle", "front"); it is also the suffix of
   * the context parameter names, e.g. {@code prompt.ctx.normal_end}.
   *
   * @return the lower-case name
   */
  public String referenceName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the reference's spelling, case-insensitively.
   *
   * @param name "end", "middle" or "front"
   * @return the position
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static ClassTokenPosition parse(String name) {
    if (name != null) {
      for (ClassTokenPosition p : values()) {
        if (p.referenceName().equalsIgnoreCase(name.trim())) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "class token position must be one of end, middle, front, got: " + name);
  }
}
