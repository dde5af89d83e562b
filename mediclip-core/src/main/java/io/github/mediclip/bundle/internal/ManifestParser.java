package io.github.mediclip.bundle.internal;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import io.github.mediclip.MediClipException;
import io.github.mediclip.bundle.BundleManifest;
import io.github.mediclip.model.ClassTokenPosition;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of {@code manifest.json}: every field that decides what is loaded or how much is
 * allocated is checked for its JSON type and range before anything else happens, and every failure
 * is one line naming the file and the field (e.g. {@code heads.position}). Fields that only
 * describe the training (provenance, summary) are read as Gson reads them.
 */
public final class ManifestParser {

  private static final Gson GSON = new Gson();
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private ManifestParser() {}

  /**
   * Parses and validates a manifest.
   *
   * @param json the text
   * @param source the file, named in every error (for a zip: {@code bundle.zip!/manifest.json})
   * @return the manifest
   * @throws MediClipException naming the file and field on any problem
   */
  public static BundleManifest parse(String json, String source) {
    JsonObject obj;
    try {
      JsonReader reader = new JsonReader(new StringReader(json));
      JsonElement el = JsonParser.parseReader(reader);
      if (!el.isJsonObject()) {
        throw fail(source, "is not a JSON object");
      }
      obj = el.getAsJsonObject();
    } catch (MediClipException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MediClipException(
          "Malformed bundle manifest " + source + ": not valid JSON (" + firstLine(e) + ")", e);
    }
    JsonElement format = obj.get("format");
    String f =
        format != null && format.isJsonPrimitive() && format.getAsJsonPrimitive().isString()
            ? format.getAsString()
            : null;
    if (!BundleManifest.FORMAT.equals(f)) {
      throw new MediClipException(
          "Not a MediCLIP detector manifest: "
              + source
              + " (field 'format' is "
              + (format == null ? "missing" : format.toString())
              + ", expected \""
              + BundleManifest.FORMAT
              + "\")");
    }
    long version = integer(obj, "formatVersion", source, 1, Long.MAX_VALUE);
    if (version > BundleManifest.FORMAT_VERSION) {
      throw new MediClipException(
          "Bundle manifest "
              + source
              + ": field 'formatVersion' is "
              + version
              + " but this library reads versions 1 to "
              + BundleManifest.FORMAT_VERSION
              + "; upgrade MediCLIP for Java");
    }
    integer(obj, "imageSize", source, 16, BundleLimits.MAX_IMAGE_SIZE);

    JsonObject bb = object(obj, "backbone", source);
    String kind = string(bb, "backbone.kind", "kind", source, false);
    if (!"folder".equals(kind) && !"random".equals(kind)) {
      throw fail(
          source, "field 'backbone.kind' is \"" + kind + "\"; expected \"folder\" or \"random\"");
    }
    String sha = string(bb, "backbone.sha256", "sha256", source, false);
    if (!SHA256.matcher(sha).matches()) {
      throw fail(source, "field 'backbone.sha256' is not 64 hexadecimal digits");
    }
    string(bb, "backbone.openClipConfig", "openClipConfig", source, false);
    string(bb, "backbone.path", "path", source, true);
    string(bb, "backbone.absolutePath", "absolutePath", source, true);
    if ("random".equals(kind)) {
      string(bb, "backbone.preset", "preset", source, false);
      integer(bb, "backbone.randomSeed", "randomSeed", source, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    JsonObject heads = object(obj, "heads", source);
    JsonArray layers = array(heads, "heads.layers", "layers", source, 1, BundleLimits.MAX_LAYERS);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < layers.size(); i++) {
      long l = integerValue(layers.get(i), "heads.layers[" + i + "]", source, 1, 100_000);
      if (!seen.add(l)) {
        throw fail(source, "field 'heads.layers' lists block " + l + " twice");
      }
    }
    integer(heads, "heads.nCtx", "nCtx", source, 1, BundleLimits.MAX_N_CTX);
    prompts(heads, "normalPrompts", source);
    prompts(heads, "abnormalPrompts", source);
    String position = string(heads, "heads.position", "position", source, false);
    if (Arrays.stream(ClassTokenPosition.values()).noneMatch(p -> p.name().equals(position))) {
      throw fail(
          source,
          "field 'heads.position' is \""
              + position
              + "\"; expected one of "
              + Arrays.toString(ClassTokenPosition.values()));
    }
    bool(heads, "heads.classSpecificContext", "classSpecificContext", source);
    bool(heads, "heads.promptCausalMask", "promptCausalMask", source);
    bool(heads, "heads.truncatePrompts", "truncatePrompts", source);

    object(obj, "operatingPoint", source);
    JsonObject prov = object(obj, "provenance", source);
    integer(prov, "provenance.seed", "seed", source, Long.MIN_VALUE, Long.MAX_VALUE);
    JsonElement training = obj.get("training");
    if (training != null && !training.isJsonNull()) {
      if (!training.isJsonObject()) {
        throw fail(source, "field 'training' is " + describe(training) + "; expected an object");
      }
      String policy =
          string(
              training.getAsJsonObject(),
              "training.intensityPolicy",
              "intensityPolicy",
              source,
              true);
      if (policy != null) {
        try {
          io.github.mediclip.formats.IntensityPolicy.parse(policy);
        } catch (IllegalArgumentException e) {
          throw fail(source, "field 'training.intensityPolicy': " + e.getMessage());
        }
      }
    }
    if (version >= 2) {
      JsonObject integrity = object(obj, "integrity", source);
      for (String k : new String[] {"headsSha256", "configSha256"}) {
        String v = string(integrity, "integrity." + k, k, source, false);
        if (!SHA256.matcher(v).matches()) {
          throw fail(source, "field 'integrity." + k + "' is not 64 hexadecimal digits");
        }
      }
    }
    try {
      return GSON.fromJson(obj, BundleManifest.class);
    } catch (RuntimeException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new MediClipException("Malformed bundle manifest " + source + ": " + firstLine(c), e);
    }
  }

  private static void prompts(JsonObject heads, String key, String source) {
    String field = "heads." + key;
    JsonArray a = array(heads, field, key, source, 1, BundleLimits.MAX_PROMPTS);
    for (int i = 0; i < a.size(); i++) {
      JsonElement e = a.get(i);
      if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw fail(
            source, "field '" + field + "[" + i + "]' is " + describe(e) + "; expected a string");
      }
      String s = e.getAsString();
      if (s.isBlank() || s.length() > BundleLimits.MAX_PROMPT_CHARS) {
        throw fail(
            source,
            "field '"
                + field
                + "["
                + i
                + "]' must be a non-blank phrase of at most "
                + BundleLimits.MAX_PROMPT_CHARS
                + " characters");
      }
    }
  }

  private static JsonObject object(JsonObject parent, String key, String source) {
    JsonElement e = parent.get(key);
    if (e == null || !e.isJsonObject()) {
      throw fail(source, "field '" + key + "' is " + describe(e) + "; expected an object");
    }
    return e.getAsJsonObject();
  }

  private static JsonArray array(
      JsonObject parent, String field, String key, String source, int min, int max) {
    JsonElement e = parent.get(key);
    if (e == null || !e.isJsonArray()) {
      throw fail(source, "field '" + field + "' is " + describe(e) + "; expected a list");
    }
    JsonArray a = e.getAsJsonArray();
    if (a.size() < min || a.size() > max) {
      throw fail(
          source,
          "field '" + field + "' has " + a.size() + " entries; expected " + min + " to " + max);
    }
    return a;
  }

  private static String string(
      JsonObject parent, String field, String key, String source, boolean nullable) {
    JsonElement e = parent.get(key);
    if ((e == null || e.isJsonNull()) && nullable) {
      return null;
    }
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw fail(source, "field '" + field + "' is " + describe(e) + "; expected a string");
    }
    return e.getAsString();
  }

  private static void bool(JsonObject parent, String field, String key, String source) {
    JsonElement e = parent.get(key);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw fail(source, "field '" + field + "' is " + describe(e) + "; expected true or false");
    }
  }

  private static long integer(JsonObject obj, String key, String source, long min, long max) {
    return integer(obj, key, key, source, min, max);
  }

  private static long integer(
      JsonObject parent, String field, String key, String source, long min, long max) {
    return integerValue(parent.get(key), field, source, min, max);
  }

  /** An integer JSON number (no string, no fraction, no exponent tricks) within [min, max]. */
  static long integerValue(JsonElement e, String field, String source, long min, long max) {
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw fail(source, "field '" + field + "' is " + describe(e) + "; expected an integer");
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    BigDecimal d;
    try {
      d = new BigDecimal(p.getAsString());
    } catch (NumberFormatException ex) {
      throw fail(source, "field '" + field + "' is " + p + "; expected an integer");
    }
    BigDecimal lo = BigDecimal.valueOf(min);
    BigDecimal hi = BigDecimal.valueOf(max);
    if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
      throw fail(source, "field '" + field + "' is " + p + "; expected an integer");
    }
    if (d.compareTo(lo) < 0 || d.compareTo(hi) > 0) {
      String range =
          max == Long.MAX_VALUE
              ? (min == 1 ? "a positive integer" : "an integer >= " + min)
              : "an integer in [" + min + ", " + max + "]";
      throw fail(source, "field '" + field + "' is " + p + "; expected " + range);
    }
    return d.longValueExact();
  }

  private static String describe(JsonElement e) {
    if (e == null) {
      return "missing";
    }
    if (e.isJsonNull()) {
      return "null";
    }
    if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      String s = p.toString();
      if (s.length() > 40) {
        s = s.substring(0, 40) + "...";
      }
      return (p.isString() ? "the string " : p.isBoolean() ? "the boolean " : "the number ") + s;
    }
    return e.isJsonArray() ? "a list" : "an object";
  }

  private static MediClipException fail(String source, String what) {
    return new MediClipException("Bundle manifest " + source + ": " + what);
  }

  static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).trim();
  }
}
