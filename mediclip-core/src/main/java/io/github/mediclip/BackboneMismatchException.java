package io.github.mediclip;

/**
 * Thrown when a detector bundle is loaded with backbone weights other than the ones it was trained
 * on: the SHA-256 of the weights recorded in the bundle's manifest differs from the SHA-256 of the
 * backbone folder supplied at load time. Heads trained on one CLIP are meaningless on another.
 */
public final class BackboneMismatchException extends MediClipException {

  private static final long serialVersionUID = 1L;

  /** Hex SHA-256 of the backbone weights recorded in the bundle's manifest. */
  private final String expectedSha256;

  /** Hex SHA-256 of the backbone weights supplied at load time. */
  private final String actualSha256;

  /**
   * Creates the exception.
   *
   * @param message the full message (names the bundle, the folder and both hashes)
   * @param expectedSha256 hex SHA-256 recorded in the bundle
   * @param actualSha256 hex SHA-256 of the supplied backbone weights
   */
  public BackboneMismatchException(String message, String expectedSha256, String actualSha256) {
    super(message);
    this.expectedSha256 = expectedSha256;
    this.actualSha256 = actualSha256;
  }

  /**
   * Returns the hash recorded in the bundle.
   *
   * @return hex SHA-256 recorded in the bundle's manifest
   */
  public String expectedSha256() {
    return expectedSha256;
  }

  /**
   * Returns the hash of the supplied backbone.
   *
   * @return hex SHA-256 of the backbone weights supplied at load time
   */
  public String actualSha256() {
    return actualSha256;
  }
}
