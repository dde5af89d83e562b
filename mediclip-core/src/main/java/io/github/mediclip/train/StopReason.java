package io.github.mediclip.train;

import com.google.gson.annotations.SerializedName;

/**
 * Why a training run ended. The bundle manifest stores {@link #label()} ({@code ""}, {@code
 * early-stop}, {@code listener} or {@code interrupted}).
 */
// The Gson annotations only name the JSON form; callers of the enum do not need Gson ("exports"
// lint).
@SuppressWarnings("exports")
public enum StopReason {
  /** Every epoch ran. */
  @SerializedName("")
  COMPLETED(""),
  /** No improvement of the selection metric for {@code patience} epochs. */
  @SerializedName("early-stop")
  EARLY_STOP("early-stop"),
  /** A {@link FitListener} returned {@code false}. */
  @SerializedName("listener")
  LISTENER("listener"),
  /** The training thread was interrupted. */
  @SerializedName("interrupted")
  INTERRUPTED("interrupted");

  private final String label;

  StopReason(String label) {
    this.label = label;
  }

  /**
   * The name written into the manifest.
   *
   * @return {@code ""} for {@link #COMPLETED}, else e.g. {@code early-stop}
   */
  public String label() {
    return label;
  }
}
