package io.github.mediclip.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadsConfigTest {

  @Test
  void referenceDefaults() {
    HeadsConfig c = HeadsConfig.reference(List.of(12, 18, 24));
    assertThat(c.layers1Based()).containsExactly(12, 18, 24);
    assertThat(c.nCtx()).isEqualTo(8);
    assertThat(c.normalPrompts())
        .hasSize(10)
        .startsWith("normal")
        .endsWith("no evidence of disease");
    assertThat(c.abnormalPrompts())
        .hasSize(11)
        .startsWith("abnormal")
        .endsWith("pathological abnormality");
    assertThat(c.position()).isEqualTo(ClassTokenPosition.END);
    assertThat(c.classSpecificContext()).isTrue();
    assertThat(c.promptCausalMask()).isFalse();
    assertThat(c.truncatePrompts()).isFalse();
    HeadsConfig fast = c.withFastPromptEncoder();
    assertThat(fast.promptCausalMask()).isTrue();
    assertThat(fast.truncatePrompts()).isTrue();
    assertThat(fast.withPromptEncoder(false, false)).isEqualTo(c);
  }

  @Test
  void listsAreCopied() {
    List<Integer> layers = new ArrayList<>(List.of(2, 4));
    HeadsConfig c = HeadsConfig.reference(layers);
    layers.add(6);
    assertThat(c.layers1Based()).containsExactly(2, 4);
    assertThatThrownBy(() -> c.normalPrompts().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void invalidValuesNameFieldAndValue() {
    HeadsConfig c = HeadsConfig.reference(List.of(2));
    assertThatThrownBy(() -> HeadsConfig.reference(List.of()))
        .hasMessage("layers1Based must not be empty");
    assertThatThrownBy(() -> HeadsConfig.reference(List.of(0, 2)))
        .hasMessage("layers1Based entries must be >= 1 (1-based block index), got: [0, 2]");
    assertThatThrownBy(() -> HeadsConfig.reference(List.of(2, 2)))
        .hasMessage("layers1Based must not contain duplicates, got: [2, 2]");
    assertThatThrownBy(() -> c.withNCtx(0)).hasMessage("nCtx must be >= 1, got: 0");
    assertThatThrownBy(() -> c.withPrompts(List.of(), List.of("a")))
        .hasMessage("normalPrompts must not be empty");
    assertThatThrownBy(() -> c.withPrompts(List.of("a"), List.of("b", " ")))
        .hasMessage("abnormalPrompts[1] must not be null or blank, got: ' '");
  }

  @Test
  void positionsParseTheReferenceSpelling() {
    assertThat(ClassTokenPosition.parse("end")).isEqualTo(ClassTokenPosition.END);
    assertThat(ClassTokenPosition.parse("Middle")).isEqualTo(ClassTokenPosition.MIDDLE);
    assertThat(ClassTokenPosition.FRONT.referenceName()).isEqualTo("front");
    assertThatThrownBy(() -> ClassTokenPosition.parse("start"))
        .hasMessage("class token position must be one of end, middle, front, got: start");
  }
}
