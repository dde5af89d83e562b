package io.github.mediclip.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipWeights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the CLIP bench mains (CPU and GPU) share: their {@code --name value} options, MediCLIP's
 * layer choice and random CLIP weights. One parser for all of them, so that an unknown or
 * misspelled option is an error everywhere instead of being ignored by some mains.
 */
public final class BenchArgs {

  private BenchArgs() {}

  /**
   * Parses {@code --name value} pairs against defaults given as name, value, name, value, ...
   *
   * @param args the command line
   * @param defaults option names and their default values, alternating; a {@code null} default
   *     means "unset" (the map holds {@code null} unless the option is given)
   * @return every option, in the order of {@code defaults}, with the given value or its default
   * @throws IllegalArgumentException naming an unknown option or a missing value
   */
  public static Map<String, String> parse(String[] args, String... defaults) {
    if (defaults.length % 2 != 0) {
      throw new IllegalArgumentException(
          "defaults must be name, value pairs, got " + defaults.length + " strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < defaults.length; i += 2) {
      out.put(defaults[i], defaults[i + 1]);
    }
    for (int i = 0; i < args.length; i++) {
      String k = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (k == null || !out.containsKey(k)) {
        throw new IllegalArgumentException(
            "unknown option '" + args[i] + "'; options: --" + String.join(" --", out.keySet()));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option --" + k + " needs a value");
      }
      out.put(k, args[++i]);
    }
    return out;
  }

  /**
   * Parses a comma-separated list of integers, e.g. {@code 1,8,64}.
   *
   * @param csv the list
   * @return the integers, in order
   * @throws NumberFormatException naming the entry that is not an integer
   */
  public static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }

  /**
   * MediCLIP's layers of a vision tower with n blocks: the n/2-th, 3n/4-th and last block.
   *
   * @param cfg the CLIP configuration
   * @return the 1-based block indices
   */
  public static int[] mediclipLayers(ClipConfig cfg) {
    int n = cfg.vision().layers();
    return new int[] {n / 2, 3 * n / 4, n};
  }

  /**
   * Random float32 weights with CLIP's names and shapes, drawn by libtorch on the manager's device
   * (N(0, 0.02), LayerNorm weights 1, biases 0, logit scale ln(1/0.07)): values do not matter for
   * speed, only that they stay finite, and drawing them in libtorch takes milliseconds where the
   * seeded Java draw of {@link ClipWeights#randomInit} takes seconds for ViT-L-14.
   *
   * @param cfg the CLIP configuration
   * @param m the manager that owns the arrays
   * @return the weights by open_clip name
   */
  public static Map<String, NDArray> randomWeights(ClipConfig cfg, NDManager m) {
    Map<String, NDArray> w = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ClipWeights.expectedShapes(cfg).entrySet()) {
      String n = e.getKey();
      Shape shape = new Shape(e.getValue());
      NDArray a;
      if (n.equals("logit_scale")) {
        a = m.full(shape, (float) Math.log(1 / 0.07));
      } else if (n.matches(".*(ln_1|ln_2|ln_pre|ln_post|ln_final)\\.weight")) {
        a = m.ones(shape);
      } else if (n.endsWith("bias")) {
        a = m.zeros(shape);
      } else {
        a = m.randomNormal(0, 0.02f, shape, DataType.FLOAT32);
      }
      a.setName(n);
      w.put(n, a);
    }
    return w;
  }
}
