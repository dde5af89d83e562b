package io.github.mediclip.eval.data;

import io.github.mediclip.MediClipException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a dataset has unreadable or missing files; lists every problem, each with its path.
 */
public final class DatasetException extends MediClipException {

  private static final long serialVersionUID = 1L;
  private static final int SHOWN = 20;

  private final transient List<DatasetProblem> problems;

  /**
   * Creates the exception.
   *
   * @param root the dataset folder
   * @param layout the layout that was read
   * @param problems every problem found
   */
  public DatasetException(Path root, Layout layout, List<DatasetProblem> problems) {
    super(message(root, layout, problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(Path root, Layout layout, List<DatasetProblem> problems) {
    String list =
        problems.stream().limit(SHOWN).map(p -> "  - " + p).collect(Collectors.joining("\n"));
    String more =
        problems.size() > SHOWN ? "\n  ... and " + (problems.size() - SHOWN) + " more" : "";
    return problems.size()
        + (problems.size() == 1 ? " problem" : " problems")
        + " reading dataset "
        + root
        + " (layout "
        + layout
        + "); fix or remove the files, or read with"
        + " DatasetReader.Options.skipUnreadable() to skip them with a warning:\n"
        + list
        + more;
  }

  /**
   * Every problem, each with its path.
   *
   * @return every problem, each with its path
   */
  public List<DatasetProblem> problems() {
    return problems;
  }
}
