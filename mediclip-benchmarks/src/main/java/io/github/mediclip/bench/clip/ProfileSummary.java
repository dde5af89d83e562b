package io.github.mediclip.bench.clip;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sums a libtorch chrome-trace profile by operator name (top-level CPU ops only, self time not
 * separated).
 */
final class ProfileSummary {

  private ProfileSummary() {}

  static void print(Path file) {
    JsonElement root;
    try {
      root = JsonParser.parseString(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonArray events =
        root.isJsonArray()
            ? root.getAsJsonArray()
            : root.getAsJsonObject().getAsJsonArray("traceEvents");
    Map<String, double[]> byName = new HashMap<>();
    double total = 0;
    for (JsonElement e : events) {
      JsonObject o = e.getAsJsonObject();
      if (!o.has("dur") || !o.has("name")) {
        continue;
      }
      String name = o.get("name").getAsString();
      double dur = o.get("dur").getAsDouble();
      double[] acc = byName.computeIfAbsent(name, k -> new double[2]);
      acc[0] += dur;
      acc[1]++;
    }
    for (double[] v : byName.values()) {
      total = Math.max(total, v[0]);
    }
    System.out.println(
        "profile " + file + " (inclusive microseconds per operator; nested ops overlap):");
    byName.entrySet().stream()
        .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
        .limit(25)
        .forEach(
            en ->
                System.out.printf(
                    Locale.ROOT,
                    "  %-40s %10.0f us  %6.0f calls%n",
                    en.getKey(),
                    en.getValue()[0],
                    en.getValue()[1]));
  }
}
