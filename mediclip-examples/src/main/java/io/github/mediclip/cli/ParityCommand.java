package io.github.mediclip.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.cli.parity.BackboneParity;
import io.github.mediclip.cli.parity.HeadsParity;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.internal.clip.SafetensorsReader;
import io.github.mediclip.internal.clip.SafetensorsWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mediclip parity}: recompute a parity fixture's expected tensors with the library. */
@Command(
    name = "parity",
    mixinStandardHelpOptions = true,
    description = {
      "Loads a parity fixture folder (meta.json, clip.safetensors, heads.safetensors, "
          + "inputs.safetensors, expected.safetensors; see design.md section 3), computes every tensor of "
          + "the backbone (image.*, text.*) and of the heads (heads.*, loss.*, grad.*, adam1.*, prompt.*) "
          + "with the library on the CPU, and writes them under the same names to --out. When "
          + "expected.safetensors is present, prints one JSON line per expected tensor with the largest "
          + "absolute difference, then a summary line; the exit code is 1 when an expected tensor was not "
          + "computed, has another shape, or (with --tolerance) differs by more than the tolerance."
    })
final class ParityCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--fixture", required = true, description = "Parity fixture folder.")
  Path fixture;

  @Option(names = "--out", required = true, description = "safetensors file to write.")
  Path out;

  @Option(names = "--tolerance", description = "Fail when a difference exceeds this (e.g. 1e-4).")
  Double tolerance;

  /** Tensors of expected.safetensors that are inputs, not outputs. */
  private static final java.util.Set<String> INPUTS = java.util.Set.of("text.ids");

  @Override
  public Integer call() throws Exception {
    Check.directory("--fixture", fixture);
    PrintWriter stdout = spec.commandLine().getOut();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Map<String, NDArray> computed = new LinkedHashMap<>();
      computed.putAll(BackboneParity.compute(fixture, manager));
      for (Map.Entry<String, NDArray> e : HeadsParity.compute(fixture, manager).entrySet()) {
        computed.putIfAbsent(e.getKey(), e.getValue());
      }
      Cli.createParentDirectories(out);
      SafetensorsWriter.write(out, computed);
      Path expectedFile = fixture.resolve("expected.safetensors");
      Map<String, Object> summary = Json.object();
      summary.put("out", out.toString());
      summary.put("computed", computed.size());
      if (!Files.isRegularFile(expectedFile)) {
        summary.put("expected", "absent");
        stdout.println(Json.line(summary));
        return MediClipCli.EXIT_OK;
      }
      List<String> missing = new ArrayList<>();
      List<String> shapeMismatch = new ArrayList<>();
      List<String> overTolerance = new ArrayList<>();
      double worst = 0;
      String worstName = null;
      try (SafetensorsReader expected = SafetensorsReader.open(expectedFile)) {
        for (String name : new TreeSet<>(expected.names())) {
          Map<String, Object> o = Json.object();
          o.put("tensor", name);
          NDArray mine = computed.get(name);
          if (mine == null && INPUTS.contains(name)) {
            o.put("input", true);
            o.put(
                "note",
                "an input of the text tower, read from the fixture (the tokenizer is "
                    + "checked against meta.json's tokenizer_cases instead)");
            stdout.println(Json.line(o));
            continue;
          }
          if (mine == null) {
            missing.add(name);
            o.put("error", "not computed");
            stdout.println(Json.line(o));
            continue;
          }
          try (NDManager sub = manager.newSubManager()) {
            NDArray ref = expected.read(name, sub);
            o.put("shape", ref.getShape().getShape());
            if (!ref.getShape().equals(mine.getShape())) {
              shapeMismatch.add(name);
              o.put(
                  "error",
                  "shape "
                      + Arrays.toString(mine.getShape().getShape())
                      + " != expected "
                      + Arrays.toString(ref.getShape().getShape()));
              stdout.println(Json.line(o));
              continue;
            }
            double diff =
                ref.size() == 0
                    ? 0
                    : ref.toType(DataType.FLOAT64, false)
                        .sub(mine.toType(DataType.FLOAT64, false))
                        .abs()
                        .max()
                        .getDouble();
            o.put("max_abs_diff", diff);
            if (!(diff <= worst)) {
              worst = diff;
              worstName = name;
            }
            if (tolerance != null && !(diff <= tolerance)) {
              overTolerance.add(name);
            }
          }
          stdout.println(Json.line(o));
        }
      }
      tokenizerCases(summary);
      summary.put(
          "expected",
          missing.size() + shapeMismatch.size() + overTolerance.size() == 0
              ? "matched"
              : "differs");
      summary.put("max_abs_diff", worst);
      summary.put("worst_tensor", worstName);
      summary.put("missing", missing);
      summary.put("shape_mismatch", shapeMismatch);
      if (tolerance != null) {
        summary.put("tolerance", tolerance);
        summary.put("over_tolerance", overTolerance);
      }
      stdout.println(Json.line(summary));
      int badCases = summary.get("tokenizer_mismatches") instanceof List<?> l ? l.size() : 0;
      if (!missing.isEmpty()
          || !shapeMismatch.isEmpty()
          || !overTolerance.isEmpty()
          || badCases > 0) {
        throw new CliException(
            String.format(
                java.util.Locale.ROOT,
                "parity: %d missing, %d shape "
                    + "mismatches, %d over tolerance, %d tokenizer cases differ",
                missing.size(),
                shapeMismatch.size(),
                overTolerance.size(),
                badCases));
      }
    }
    return MediClipCli.EXIT_OK;
  }

  /**
   * Tokenizes every case of meta.json's tokenizer_cases with the fixture's BPE vocabulary and
   * compares.
   */
  private void tokenizerCases(Map<String, Object> summary) throws java.io.IOException {
    Path meta = fixture.resolve("meta.json");
    Path bpe = fixture.resolve(ClipTokenizer.BPE_FILE);
    if (!Files.isRegularFile(bpe) && fixture.toAbsolutePath().getParent() != null) {
      bpe = fixture.toAbsolutePath().getParent().resolve(ClipTokenizer.BPE_FILE);
    }
    if (!Files.isRegularFile(meta) || !Files.isRegularFile(bpe)) {
      summary.put(
          "tokenizer_cases", "skipped: meta.json or " + ClipTokenizer.BPE_FILE + " not found");
      return;
    }
    JsonObject root = JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
    if (!root.has("tokenizer_cases")) {
      summary.put("tokenizer_cases", "skipped: meta.json has no tokenizer_cases");
      return;
    }
    ClipTokenizer tok = ClipTokenizer.fromBpeFile(bpe);
    JsonArray cases = root.getAsJsonArray("tokenizer_cases");
    List<String> bad = new ArrayList<>();
    for (JsonElement c : cases) {
      JsonObject o = c.getAsJsonObject();
      String text = o.get("text").getAsString();
      JsonArray ids = o.getAsJsonArray("ids");
      int[] mine = tok.tokenize(text, ids.size());
      boolean ok = ids.size() == mine.length;
      for (int i = 0; ok && i < mine.length; i++) {
        ok = ids.get(i).getAsInt() == mine[i];
      }
      if (ok && o.has("bpe")) {
        JsonArray bpeIds = o.getAsJsonArray("bpe");
        int[] raw = tok.encode(text);
        ok = bpeIds.size() == raw.length;
        for (int i = 0; ok && i < raw.length; i++) {
          ok = bpeIds.get(i).getAsInt() == raw[i];
        }
      }
      if (!ok) {
        bad.add(text);
      }
    }
    summary.put("tokenizer_cases", cases.size());
    summary.put("tokenizer_mismatches", bad);
  }
}
