package io.github.mediclip.synth.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of docs/synthesis.md that show the example synthesizer come from compiled code:
 * each tagged region of the example sources must appear in the document verbatim (modulo the
 * indentation of the enclosing method).
 */
class DocsSnippetsTest {

  private static final Path DOC = Path.of("..", "docs", "synthesis.md");
  private static final Path SRC =
      Path.of("src", "test", "java", "io", "github", "mediclip", "synth", "examples");

  @Test
  void snippetsMatchTheCompiledExamples() throws IOException {
    Assumptions.assumeTrue(
        Files.isRegularFile(DOC) && Files.isDirectory(SRC),
        "docs/synthesis.md or the example sources not found from "
            + Path.of("").toAbsolutePath()
            + "; skipping the snippet check");
    String doc = normalize(Files.readString(DOC));
    List<String> snippets = new ArrayList<>();
    snippets.addAll(tagged(Files.readString(SRC.resolve("DarkSpotSynthesizer.java")), "example"));
    snippets.addAll(
        tagged(Files.readString(SRC.resolve("DarkSpotSynthesizerTest.java")), "mixture"));
    assertThat(snippets).hasSize(2);
    for (String snippet : snippets) {
      assertThat(doc).as("docs/synthesis.md contains the snippet").contains(normalize(snippet));
    }
  }

  private static List<String> tagged(String source, String tag) {
    List<String> out = new ArrayList<>();
    String begin = "// tag::" + tag + "[]";
    String end = "// end::" + tag + "[]";
    int from = 0;
    while (true) {
      int b = source.indexOf(begin, from);
      if (b < 0) {
        return out;
      }
      int e = source.indexOf(end, b);
      out.add(source.substring(source.indexOf('\n', b) + 1, source.lastIndexOf('\n', e)));
      from = e;
    }
  }

  /** Strips common indentation per line so that snippets inside methods compare with the doc. */
  private static String normalize(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      sb.append(line.strip()).append('\n');
    }
    return sb.toString();
  }
}
