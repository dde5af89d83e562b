package io.github.mediclip.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON output of the tool: one object per line, keys in insertion order, NaN written as {@code
 * NaN}.
 */
final class Json {
  private static final Gson GSON =
      new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();
  private static final Gson PRETTY = GSON.newBuilder().setPrettyPrinting().create();

  private Json() {}

  /** Starts an ordered JSON object. */
  static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }

  /**
   * One compact line (Gson writes numbers with {@link Double#toString}, which ignores the default
   * locale).
   */
  static String line(Object value) {
    return GSON.toJson(value);
  }

  /** Pretty-printed form for files. */
  static String pretty(Object value) {
    return PRETTY.toJson(value);
  }
}
