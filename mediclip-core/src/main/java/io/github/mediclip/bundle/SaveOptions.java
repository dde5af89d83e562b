package io.github.mediclip.bundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a detector bundle is saved ({@code MediClipDetector.save(Path, SaveOptions)}, {@link
 * DetectorBundle#write(Path, BundleManifest, java.util.Map, SaveOptions)}, {@link
 * BundleOutput#reserve(Path, SaveOptions)}). Built DJL-{@code Criteria}-style:
 *
 * <pre>{@code
 * SaveOptions options = SaveOptions.builder()
 *     .optOverwrite(true)                    // replace an existing bundle at the target
 *     .addProtectedPath(Path.of("data"))     // never write into, over or around the training data
 *     .build();
 * detector.save(Path.of("brain-detector"), options);
 * }</pre>
 *
 * <p>The output-folder rules (docs/reliability.md): a missing target or an empty folder is written;
 * a folder that holds a MediCLIP bundle and nothing else (its {@code manifest.json} says {@code
 * "format": "mediclip-detector"}) is replaced only with {@link Builder#optOverwrite(boolean)
 * optOverwrite(true)}; anything else (a file, a folder with other files, a symbolic link, the
 * current working folder or one of its parents) is refused without touching it. A target equal to,
 * inside, or containing a protected path is refused too: the detector's backbone folder and the
 * bundle it was loaded from are always protected; add the training data with {@link
 * Builder#addProtectedPath}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SaveOptions {

  private static final SaveOptions DEFAULTS = builder().build();

  private final boolean overwrite;
  private final List<Path> protectedPaths;

  private SaveOptions(Builder b) {
    this.overwrite = b.overwrite;
    this.protectedPaths = List.copyOf(b.protectedPaths);
  }

  /**
   * Creates a builder.
   *
   * @return a builder with every default as documented on its methods
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The defaults: no overwriting, no extra protected paths.
   *
   * @return the default options
   */
  public static SaveOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Whether an existing bundle at the target may be replaced.
   *
   * @return {@code true} when {@link Builder#optOverwrite(boolean)} allowed it
   */
  public boolean overwrite() {
    return overwrite;
  }

  /**
   * The paths a target must not equal, lie inside or contain (besides the detector's own backbone
   * and source bundle).
   *
   * @return the protected paths, in the order added
   */
  public List<Path> protectedPaths() {
    return protectedPaths;
  }

  /**
   * Returns these options with more protected paths.
   *
   * @param paths paths to add
   * @return new options
   */
  public SaveOptions withProtectedPaths(List<Path> paths) {
    Builder b = builder().optOverwrite(overwrite);
    protectedPaths.forEach(b::addProtectedPath);
    paths.forEach(b::addProtectedPath);
    return b.build();
  }

  @Override
  public String toString() {
    return "SaveOptions[overwrite=" + overwrite + ", protectedPaths=" + protectedPaths + "]";
  }

  /** Fluent configuration of {@link SaveOptions}; {@link #build()} can be called again. */
  public static final class Builder {
    private boolean overwrite;
    private final List<Path> protectedPaths = new ArrayList<>();

    private Builder() {}

    /**
     * Allows replacing an existing detector bundle (a folder holding only a bundle, or a bundle
     * zip) at the target. Default {@code false}: an existing bundle is refused with an error that
     * names this option (the CLI's {@code --overwrite}). Never allows replacing anything that is
     * not a bundle.
     *
     * @param allow whether to replace an existing bundle
     * @return this builder
     */
    public Builder optOverwrite(boolean allow) {
      overwrite = allow;
      return this;
    }

    /**
     * Adds a path that the target must not equal, lie inside, or contain (for example the training
     * data). Default: none besides the detector's backbone folder and source bundle.
     *
     * @param path a file or folder (need not exist)
     * @return this builder
     */
    public Builder addProtectedPath(Path path) {
      protectedPaths.add(Objects.requireNonNull(path, "protectedPath"));
      return this;
    }

    /**
     * Builds the immutable options.
     *
     * @return the options
     */
    public SaveOptions build() {
      return new SaveOptions(this);
    }
  }
}
