package io.github.mediclip.spark.internal;

/** One-line error messages for the job's stderr and the scorer's error column. */
public final class Messages {

  private Messages() {}

  /**
   * The innermost non-blank message of a throwable and its causes, on one line; the simple class
   * name when no message is given.
   *
   * @param e the throwable
   * @return the message without line breaks
   */
  public static String oneLine(Throwable e) {
    Throwable t = e;
    String msg = t.getMessage();
    while ((msg == null || msg.isBlank()) && t.getCause() != null) {
      t = t.getCause();
      msg = t.getMessage();
    }
    if (msg == null || msg.isBlank()) {
      msg = t.getClass().getSimpleName();
    }
    return msg.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
