package io.github.mediclip.model;

import io.github.mediclip.internal.model.HeadsRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the trainable MediCLIP heads (MediCLIP, MICCAI 2024, arXiv 2405.11315): which
 * residual-stream layers of the frozen CLIP vision tower feed the adapters, and how the CoOp prompt
 * learner builds its prompts.
 *
 * <p>Defaults of {@link #reference(List)}: {@code nCtx} 8, the reference prompt lists ({@link
 * #REFERENCE_NORMAL_PROMPTS}, {@link #REFERENCE_ABNORMAL_PROMPTS}), {@link ClassTokenPosition#END},
 * class-specific context (one set of {@code nCtx} vectors per prompt phrase), no causal mask in the
 * prompt encoder and no truncation: exactly what the reference code computes.
 *
 * <p><b>Prompt encoder modes.</b> The reference prompt encoder runs the text transformer on all 77
 * positions WITHOUT a causal mask, so the padding positions after the end token take part in
 * attention and change the result. {@code promptCausalMask = true} applies CLIP's causal mask (as
 * CLIP was trained); {@code truncatePrompts = true} cuts every prompt sequence after the longest
 * prompt's end token, which saves most of the prompt-encoder time (21 prompts of at most ~16 tokens
 * instead of 77). With the causal mask, truncation does not change the result (positions after the
 * end token cannot influence it); without it, truncation changes the model (fewer padding positions
 * are attended to). Both modes deviate from the reference numbers and are therefore off by default.
 *
 * @param layers1Based vision-tower blocks (1-based) whose residual stream feeds an adapter, e.g.
 *     [12, 18, 24] for ViT-L-14; not empty, each &gt;= 1, no duplicates
 * @param nCtx number of learnable context vectors per prompt, &gt;= 1
 * @param normalPrompts prompt phrases of the "normal" class, not empty, no blank entries
 * @param abnormalPrompts prompt phrases of the "abnormal" class, not empty, no blank entries
 * @param position where the phrase sits relative to the context vectors
 * @param classSpecificContext {@code true}: each phrase has its own {@code nCtx} context vectors,
 *     parameter shape (P, nCtx, W) (the reference's CSC); {@code false}: one context shared by all
 *     phrases of a class, shape (nCtx, W)
 * @param promptCausalMask apply CLIP's causal attention mask in the prompt encoder (reference:
 *     false)
 * @param truncatePrompts cut prompt sequences after the longest prompt (reference: false)
 */
public record HeadsConfig(
    List<Integer> layers1Based,
    int nCtx,
    List<String> normalPrompts,
    List<String> abnormalPrompts,
    ClassTokenPosition position,
    boolean classSpecificContext,
    boolean promptCausalMask,
    boolean truncatePrompts) {

  /** The reference configuration's "normal" prompt phrases (10). */
  public static final List<String> REFERENCE_NORMAL_PROMPTS =
      List.of(
          "normal",
          "healthy",
          "negative",
          "unremarkable",
          "clear",
          "asymptomatic",
          "normal findings",
          "no findings",
          "in good health",
          "no evidence of disease");

  /** The reference configuration's "abnormal" prompt phrases (11). */
  public static final List<String> REFERENCE_ABNORMAL_PROMPTS =
      List.of(
          "abnormal",
          "positive",
          "symptomatic",
          "disease",
          "lesion",
          "pathological",
          "impaired",
          "evidence of disease",
          "abnormal finding",
          "pathological condition",
          "pathological abnormality");

  /** Default number of learnable context vectors (reference: 8). */
  public static final int DEFAULT_N_CTX = 8;

  /**
   * Validates every field; lists are copied and immutable.
   *
   * @param layers1Based vision-tower blocks (1-based) whose residual stream feeds an adapter, e.g.
   *     [12, 18, 24] for ViT-L-14; not empty, each &gt;= 1, no duplicates
   * @param nCtx number of learnable context vectors per prompt, &gt;= 1
   * @param normalPrompts prompt phrases of the "normal" class, not empty, no blank entries
   * @param abnormalPrompts prompt phrases of the "abnormal" class, not empty, no blank entries
   * @param position where the phrase sits relative to the context vectors
   * @param classSpecificContext {@code true}: each phrase has its own {@code nCtx} context vectors,
   *     parameter shape (P, nCtx, W) (the reference's CSC); {@code false}: one context shared by
   *     all phrases of a class, shape (nCtx, W)
   * @param promptCausalMask apply CLIP's causal attention mask in the prompt encoder (reference:
   *     false)
   * @param truncatePrompts cut prompt sequences after the longest prompt (reference: false)
   */
  public HeadsConfig {
    Objects.requireNonNull(layers1Based, "layers1Based");
    Objects.requireNonNull(normalPrompts, "normalPrompts");
    Objects.requireNonNull(abnormalPrompts, "abnormalPrompts");
    Objects.requireNonNull(position, "position");
    if (layers1Based.isEmpty()) {
      throw new IllegalArgumentException("layers1Based must not be empty");
    }
    List<Integer> seen = new ArrayList<>();
    for (Integer layer : layers1Based) {
      if (layer == null || layer < 1) {
        throw new IllegalArgumentException(
            "layers1Based entries must be >= 1 (1-based block index), got: " + layers1Based);
      }
      if (seen.contains(layer)) {
        throw new IllegalArgumentException(
            "layers1Based must not contain duplicates, got: " + layers1Based);
      }
      seen.add(layer);
    }
    if (nCtx < 1) {
      throw new IllegalArgumentException("nCtx must be >= 1, got: " + nCtx);
    }
    HeadsRules.checkPrompts("normalPrompts", normalPrompts);
    HeadsRules.checkPrompts("abnormalPrompts", abnormalPrompts);
    layers1Based = List.copyOf(layers1Based);
    normalPrompts = List.copyOf(normalPrompts);
    abnormalPrompts = List.copyOf(abnormalPrompts);
  }

  /**
   * Like the canonical constructor, with {@code truncatePrompts = promptCausalMask} (truncation is
   * exact under the causal mask, so it is switched on with it).
   *
   * @param layers1Based see {@link HeadsConfig}
   * @param nCtx see {@link HeadsConfig}
   * @param normalPrompts see {@link HeadsConfig}
   * @param abnormalPrompts see {@link HeadsConfig}
   * @param position see {@link HeadsConfig}
   * @param classSpecificContext see {@link HeadsConfig}
   * @param promptCausalMask see {@link HeadsConfig}
   */
  public HeadsConfig(
      List<Integer> layers1Based,
      int nCtx,
      List<String> normalPrompts,
      List<String> abnormalPrompts,
      ClassTokenPosition position,
      boolean classSpecificContext,
      boolean promptCausalMask) {
    this(
        layers1Based,
        nCtx,
        normalPrompts,
        abnormalPrompts,
        position,
        classSpecificContext,
        promptCausalMask,
        promptCausalMask);
  }

  /**
   * The reference configuration for the given layers: {@code nCtx} 8, reference prompt lists,
   * {@link ClassTokenPosition#END}, class-specific context, no causal mask, no truncation.
   *
   * @param layers1Based vision blocks (1-based), e.g. {@code List.of(12, 18, 24)} for ViT-L-14
   * @return the configuration
   */
  public static HeadsConfig reference(List<Integer> layers1Based) {
    return new HeadsConfig(
        layers1Based,
        DEFAULT_N_CTX,
        REFERENCE_NORMAL_PROMPTS,
        REFERENCE_ABNORMAL_PROMPTS,
        ClassTokenPosition.END,
        true,
        false,
        false);
  }

  /**
   * The faster prompt-encoder mode: causal mask on and sequences cut after the longest prompt. Not
   * the reference numbers (see the class documentation).
   *
   * @return a copy with {@code promptCausalMask} and {@code truncatePrompts} set
   */
  public HeadsConfig withFastPromptEncoder() {
    return withPromptEncoder(true, true);
  }

  /**
   * @param causalMask causal mask in the prompt encoder
   * @param truncate cut sequences after the longest prompt
   * @return a copy with the two prompt-encoder options replaced
   */
  public HeadsConfig withPromptEncoder(boolean causalMask, boolean truncate) {
    return new HeadsConfig(
        layers1Based,
        nCtx,
        normalPrompts,
        abnormalPrompts,
        position,
        classSpecificContext,
        causalMask,
        truncate);
  }

  /**
   * @param normal normal prompt phrases
   * @param abnormal abnormal prompt phrases
   * @return a copy with the prompt lists replaced
   */
  public HeadsConfig withPrompts(List<String> normal, List<String> abnormal) {
    return new HeadsConfig(
        layers1Based,
        nCtx,
        normal,
        abnormal,
        position,
        classSpecificContext,
        promptCausalMask,
        truncatePrompts);
  }

  /**
   * @param n number of context vectors
   * @return a copy with {@code nCtx} replaced
   */
  public HeadsConfig withNCtx(int n) {
    return new HeadsConfig(
        layers1Based,
        n,
        normalPrompts,
        abnormalPrompts,
        position,
        classSpecificContext,
        promptCausalMask,
        truncatePrompts);
  }

  /**
   * @param p class token position
   * @return a copy with {@code position} replaced
   */
  public HeadsConfig withPosition(ClassTokenPosition p) {
    return new HeadsConfig(
        layers1Based,
        nCtx,
        normalPrompts,
        abnormalPrompts,
        p,
        classSpecificContext,
        promptCausalMask,
        truncatePrompts);
  }

  /**
   * @param csc class-specific context
   * @return a copy with {@code classSpecificContext} replaced
   */
  public HeadsConfig withClassSpecificContext(boolean csc) {
    return new HeadsConfig(
        layers1Based,
        nCtx,
        normalPrompts,
        abnormalPrompts,
        position,
        csc,
        promptCausalMask,
        truncatePrompts);
  }

  /**
   * @param layers vision blocks (1-based)
   * @return a copy with {@code layers1Based} replaced
   */
  public HeadsConfig withLayers(List<Integer> layers) {
    return new HeadsConfig(
        layers,
        nCtx,
        normalPrompts,
        abnormalPrompts,
        position,
        classSpecificContext,
        promptCausalMask,
        truncatePrompts);
  }
}
