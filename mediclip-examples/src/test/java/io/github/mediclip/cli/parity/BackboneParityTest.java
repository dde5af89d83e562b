package io.github.mediclip.cli.parity;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.mediclip.clip.ClipTokenizer;
import io.github.mediclip.clip.testing.ClipFixtures;
import io.github.mediclip.internal.clip.SafetensorsReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Parity of the CLIP backbone and tokenizer with the reference implementation, on the fixture
 * folder given by {@code mediclip.parity.dir} (default {@code
 * <mediclip.shared.dir>/parity/tiny-clip-64}).
 */
@Tag("parity")
class BackboneParityTest {

  private static final double ATOL = 1e-4;

  @Test
  void backboneOutputsMatchReferenceWithin1e4() throws Exception {
    Path dir = ClipFixtures.parityDir();
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        SafetensorsReader expected = SafetensorsReader.open(dir.resolve("expected.safetensors"))) {
      Map<String, NDArray> got = BackboneParity.compute(dir, m);
      JsonObject meta = meta(dir);
      assertThat(got).containsKeys("image.pooled", "text.features");
      for (JsonElement l : meta.getAsJsonArray("out_layers_1_based")) {
        assertThat(got).containsKey("image.layer" + l.getAsInt());
      }
      for (Map.Entry<String, NDArray> e : got.entrySet()) {
        NDArray want = expected.read(e.getKey(), m);
        assertThat(e.getValue().getShape()).as(e.getKey()).isEqualTo(want.getShape());
        double diff = e.getValue().sub(want).abs().max().getFloat();
        assertThat(diff).as("max |java - reference| of %s", e.getKey()).isLessThanOrEqualTo(ATOL);
      }
    }
  }

  @Test
  void tokenizerReproducesEveryFixtureCase() throws Exception {
    Path dir = ClipFixtures.parityDir();
    ClipTokenizer tok = ClipTokenizer.fromBpeFile(ClipFixtures.bpeFile(dir));
    assertThat(tok.sotToken()).isEqualTo(49406);
    assertThat(tok.eotToken()).isEqualTo(49407);
    int cases = 0;
    Gson gson = new Gson();
    for (JsonElement c : meta(dir).getAsJsonArray("tokenizer_cases")) {
      JsonObject o = c.getAsJsonObject();
      String text = o.get("text").getAsString();
      int[] ids = gson.fromJson(o.get("ids"), int[].class);
      int[] bpe = gson.fromJson(o.get("bpe"), int[].class);
      assertThat(tok.encode(text)).as("BPE ids of '%s'", text).containsExactly(bpe);
      assertThat(tok.tokenize(text, ids.length)).as("ids of '%s'", text).containsExactly(ids);
      cases++;
    }
    assertThat(cases).isPositive();
  }

  static JsonObject meta(Path dir) throws java.io.IOException {
    return JsonParser.parseString(
            Files.readString(dir.resolve("meta.json"), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }
}
