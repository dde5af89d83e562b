package io.github.mediclip.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

  @Test
  void plainLinesAtEveryTenthWithoutControlCharacters() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress p =
        new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    p.reset("Evaluating brain", 20);
    p.start(0);
    for (int i = 0; i < 20; i++) {
      p.increment(1);
    }
    p.end();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\r");
    assertThat(out.lines())
        .containsExactly(
            "Evaluating brain 0/20 (0%)",
            "Evaluating brain 2/20 (10%)",
            "Evaluating brain 4/20 (20%)",
            "Evaluating brain 6/20 (30%)",
            "Evaluating brain 8/20 (40%)",
            "Evaluating brain 10/20 (50%)",
            "Evaluating brain 12/20 (60%)",
            "Evaluating brain 14/20 (70%)",
            "Evaluating brain 16/20 (80%)",
            "Evaluating brain 18/20 (90%)",
            "Evaluating brain 20/20 (100%)");
  }

  @Test
  void interactiveRedrawsOneLineAndEndsIt() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress p =
        new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    p.reset("Evaluating", 2);
    p.start(0);
    p.increment(1);
    p.end();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .isEqualTo(
            "\r[------------------------------] Evaluating 0/2 (0%)"
                + "\r[###############---------------] Evaluating 1/2 (50%)"
                + "\r[##############################] Evaluating 2/2 (100%)"
                + System.lineSeparator());
  }
}
