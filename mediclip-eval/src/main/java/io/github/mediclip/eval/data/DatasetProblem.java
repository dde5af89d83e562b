package io.github.mediclip.eval.data;

import java.nio.file.Path;

/**
 * A file that could not be used while reading a dataset.
 *
 * @param path the file (or folder) concerned
 * @param reason what is wrong with it
 */
public record DatasetProblem(Path path, String reason) {
  @Override
  public String toString() {
    return path + ": " + reason;
  }
}
