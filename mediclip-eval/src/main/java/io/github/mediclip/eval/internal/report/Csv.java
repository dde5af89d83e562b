package io.github.mediclip.eval.internal.report;

/** Minimal RFC 4180 CSV helpers. */
public final class Csv {

  private Csv() {}

  /**
   * Quotes a field when it contains a comma, quote, or line break.
   *
   * @param field the raw text
   * @return the CSV field
   */
  public static String field(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  /**
   * Joins fields into one CSV line (without line break).
   *
   * @param fields raw fields
   * @return the line
   */
  public static String line(String... fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(field(fields[i]));
    }
    return sb.toString();
  }
}
