package io.github.mediclip.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.clip.testing.ClipFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerTest {

  @TempDir Path tmp;

  @Test
  void byteLevelTokenizerHasSpecialTokensLastAndOneTokenPerByte() {
    ClipTokenizer t = ClipTokenizer.byteLevel();
    assertThat(t.vocabSize()).isEqualTo(514);
    assertThat(t.sotToken()).isEqualTo(512);
    assertThat(t.eotToken()).isEqualTo(513);
    assertThat(t.encode("Ab")).hasSize(2);
    assertThat(t.encode("naïve")).hasSize(6); // ï is two UTF-8 bytes
    assertThat(t.decode(t.tokenize("  Lesion,   left  ", 20)))
        .isEqualTo("<|startoftext|>lesion , left <|endoftext|>");
  }

  @Test
  void tokenizePadsAndTruncatesKeepingEotLast() {
    ClipTokenizer t = ClipTokenizer.byteLevel();
    int[] ids = t.tokenize("abc", 8);
    assertThat(ids).hasSize(8);
    assertThat(ids[0]).isEqualTo(512);
    assertThat(ids[4]).isEqualTo(513);
    assertThat(Arrays.copyOfRange(ids, 5, 8)).containsOnly(0);
    int[] longIds = t.tokenize("abcdefghijkl", 8);
    assertThat(longIds).hasSize(8);
    assertThat(longIds[7]).isEqualTo(513);
    assertThat(Arrays.copyOfRange(longIds, 1, 7))
        .containsExactly(Arrays.copyOfRange(t.encode("abcdefghijkl"), 0, 6));
    assertThatThrownBy(() -> t.tokenize("a", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("contextLength must be at least 2, got 1");
  }

  @Test
  void cleansHtmlWhitespaceAndCase() {
    ClipTokenizer t = ClipTokenizer.byteLevel();
    assertThat(t.encode("A &amp; B")).containsExactly(t.encode("a & b"));
    assertThat(t.encode("&#65;&#x42;")).containsExactly(t.encode("ab"));
    assertThat(t.encode("x\t\n\u00a0 y")).containsExactly(t.encode("x y"));
    assertThat(t.encode("\u201cquoted\u201d")).containsExactly(t.encode("\"quoted\""));
  }

  @Test
  void savedVocabAndMergesLoadBackEqualAndEncodeAlike() {
    Path dir = ClipFixtures.fixtureDataOrSkip();
    ClipTokenizer bpe = ClipTokenizer.fromBpeFile(ClipFixtures.bpeFile(dir));
    assertThat(bpe.vocabSize()).isEqualTo(49408);
    bpe.save(tmp);
    ClipTokenizer back = ClipTokenizer.load(tmp);
    assertThat(back).isEqualTo(bpe);
    for (String s :
        List.of(
            "pathological abnormality",
            "MRI T2-weighted, axial slice #12 (no contrast)",
            "naïve café résumé")) {
      assertThat(back.tokenize(s, 77)).containsExactly(bpe.tokenize(s, 77));
    }
    assertThat(bpe.decode(bpe.tokenize("no evidence of disease.", 77)))
        .isEqualTo("<|startoftext|>no evidence of disease . <|endoftext|>");
  }

  @Test
  void folderWithoutTokenizerIsClearError() {
    assertThat(ClipTokenizer.existsIn(tmp)).isFalse();
    assertThatThrownBy(() -> ClipTokenizer.load(tmp))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessageContaining("no tokenizer in " + tmp);
  }

  @Test
  void malformedMergesLineIsNamed() throws Exception {
    ClipTokenizer.byteLevel().save(tmp);
    Files.writeString(tmp.resolve("merges.txt"), "#version: 0.2\na b c\n");
    assertThatThrownBy(() -> ClipTokenizer.load(tmp))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "tokenizer merges "
                + tmp.resolve("merges.txt")
                + " line 2 is not two symbols: 'a b c'");
  }
}
