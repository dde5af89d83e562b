package io.github.mediclip.eval.internal.report;

import java.util.List;
import java.util.Objects;

/** A self-contained HTML page: title, a summary table, and images and links given by the caller. */
public final class HtmlReport {

  private HtmlReport() {}

  /**
   * One row of the summary table.
   *
   * @param metric metric name
   * @param value the formatted value (use {@link java.util.Locale#ROOT})
   */
  public record Entry(String metric, String value) {}

  /**
   * Renders the page.
   *
   * @param title page title
   * @param subtitle a line under the title (dataset, counts)
   * @param entries summary table rows
   * @param images relative file names of PNGs to show, in order
   * @param links relative file names to link (e.g. scores.csv, metrics.json)
   * @return the HTML text
   */
  public static String render(
      String title, String subtitle, List<Entry> entries, List<String> images, List<String> links) {
    Objects.requireNonNull(title, "title");
    StringBuilder sb = new StringBuilder(4096);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;color:#222}\n")
        .append("table{border-collapse:collapse;margin:1em 0}\n")
        .append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}\n")
        .append("th{background:#f3f3f3}\ntd.v{text-align:right;font-family:monospace}\n")
        .append("img{margin:0.5em 1em 0.5em 0;border:1px solid #ddd;vertical-align:top}\n")
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(escape(title))
        .append("</h1>\n<p>")
        .append(escape(subtitle))
        .append("</p>\n<table>\n<tr><th>metric</th><th>value</th></tr>\n");
    for (Entry e : entries) {
      sb.append("<tr><td>")
          .append(escape(e.metric()))
          .append("</td><td class=\"v\">")
          .append(escape(e.value()))
          .append("</td></tr>\n");
    }
    sb.append("</table>\n<div>\n");
    for (String img : images) {
      sb.append("<img src=\"")
          .append(escape(img))
          .append("\" alt=\"")
          .append(escape(img))
          .append("\">\n");
    }
    sb.append("</div>\n<p>");
    for (int i = 0; i < links.size(); i++) {
      if (i > 0) {
        sb.append(" | ");
      }
      sb.append("<a href=\"")
          .append(escape(links.get(i)))
          .append("\">")
          .append(escape(links.get(i)))
          .append("</a>");
    }
    sb.append("</p>\n</body>\n</html>\n");
    return sb.toString();
  }

  /** Escapes HTML special characters. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
