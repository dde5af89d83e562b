package io.github.mediclip.train;

import com.google.gson.annotations.SerializedName;

/**
 * Where the validation data that selected the best epoch and calibrated the thresholds came from.
 * The bundle manifest stores {@link #label()}.
 */
// The Gson annotations only name the JSON form; callers of the enum do not need Gson ("exports"
// lint).
@SuppressWarnings("exports")
public enum ValidationSource {
  /** The user's validation data ({@code optValidation}). */
  @SerializedName("user")
  USER("user"),
  /** The test set, as the reference implementation does ({@code optLegacyTestSetSelection}). */
  @SerializedName("legacy-test-set")
  LEGACY_TEST_SET("legacy-test-set"),
  /**
   * Anomalies synthesized on normal images of the pool other than the shots, plus those images:
   * only with hold-out validation ({@code optHoldoutValidation(true)}); the run then sees more than
   * k normal images.
   */
  @SerializedName("synthesized-holdout")
  SYNTHESIZED_HOLDOUT("synthesized-holdout"),
  /**
   * Anomalies synthesized on the k shots under other seeds, plus the shots: the k-shot protocol.
   */
  @SerializedName("synthesized-shots")
  SYNTHESIZED_SHOTS("synthesized-shots");

  private final String label;

  ValidationSource(String label) {
    this.label = label;
  }

  /**
   * The name written into the manifest and reports.
   *
   * @return e.g. {@code synthesized-shots}
   */
  public String label() {
    return label;
  }
}
