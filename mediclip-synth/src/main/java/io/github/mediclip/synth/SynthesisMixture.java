package io.github.mediclip.synth;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A weighted mixture of synthesizers that draws one task per sample (MediCLIP's {@code
 * anomaly_tasks} configuration). Weights need not sum to one; a task is drawn with probability
 * weight / sum of weights, from the sample's own random stream, and the same stream is then handed
 * to the drawn task.
 *
 * <p>Immutable and thread-safe. The reference mixture of MediCLIP is {@link #reference()}.
 */
public final class SynthesisMixture implements AnomalySynthesizer {

  private final List<String> names;
  private final List<AnomalySynthesizer> synthesizers;
  private final double[] cumulative;
  private final Map<String, Double> weights;

  /**
   * @param total the sum of the builder's weights, checked &gt; 0 by {@link Builder#build()}
   */
  private SynthesisMixture(Builder b, double total) {
    this.names = ImmutableList.copyOf(b.names);
    this.synthesizers = ImmutableList.copyOf(b.synths);
    this.cumulative = new double[b.weights.size()];
    double acc = 0;
    // insertion order is the builder's order; duplicate names were rejected by Builder.add
    ImmutableMap.Builder<String, Double> map = ImmutableMap.builderWithExpectedSize(names.size());
    for (int i = 0; i < b.weights.size(); i++) {
      acc += b.weights.get(i);
      cumulative[i] = acc / total;
      map.put(b.names.get(i), b.weights.get(i));
    }
    cumulative[cumulative.length - 1] = 1.0;
    this.weights = map.buildOrThrow();
  }

  /**
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The reference mixture of MediCLIP: {@code CutpasteTask}, {@code GaussIntensityChangeTask},
   * {@code SourceTask} and {@code IdentityTask}, 0.25 each.
   *
   * @return the mixture
   */
  public static SynthesisMixture reference() {
    return builder()
        .add(CutPasteTask.NAME, 0.25)
        .add(GaussIntensityChangeTask.NAME, 0.25)
        .add(SourceDeformationTask.NAME, 0.25)
        .add(IdentityTask.NAME, 0.25)
        .build();
  }

  /**
   * Parses a specification such as {@code "CutpasteTask:0.25, IdentityTask:0.75"} (entries
   * separated by commas, semicolons or new lines; {@code name:weight} or {@code name=weight};
   * blanks ignored). Names are resolved with {@link Synthesizers#create(String)}.
   *
   * @param spec the specification
   * @return the mixture
   * @throws IllegalArgumentException for a malformed entry, an unknown name, a negative or
   *     non-finite weight, a repeated name, or weights summing to zero
   */
  public static SynthesisMixture parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    Builder b = builder();
    String body = spec.strip();
    if (body.startsWith("{") && body.endsWith("}")) {
      body = body.substring(1, body.length() - 1);
    }
    for (String entry : body.split("[,;\\n]")) {
      String e = entry.strip();
      if (e.isEmpty()) {
        continue;
      }
      int sep = Math.max(e.lastIndexOf(':'), e.lastIndexOf('='));
      if (sep <= 0 || sep == e.length() - 1) {
        throw new IllegalArgumentException(
            "malformed mixture entry '"
                + e
                + "' in '"
                + spec
                + "'; expected name:weight, e.g. CutpasteTask:0.25");
      }
      String name = e.substring(0, sep).strip();
      if (name.length() >= 2 && (name.startsWith("\"") || name.startsWith("'"))) {
        name = name.substring(1, name.length() - 1);
      }
      double w;
      try {
        w = Double.parseDouble(e.substring(sep + 1).strip());
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            "weight of '"
                + name
                + "' is not a number: '"
                + e.substring(sep + 1).strip()
                + "' in '"
                + spec
                + "'",
            ex);
      }
      try {
        b.add(name, w);
      } catch (IllegalStateException ex) {
        throw new IllegalArgumentException(ex.getMessage(), ex);
      }
    }
    return b.build();
  }

  /**
   * @return the weights as given, by name, in insertion order
   */
  public Map<String, Double> weights() {
    return weights;
  }

  /**
   * @return the names in insertion order
   */
  public List<String> names() {
    return names;
  }

  /**
   * Draws the index of the task for one sample (consumes one {@code nextDouble()} of the stream).
   *
   * @param random the sample's stream
   * @return index into {@link #names()}
   */
  public int draw(SplittableRandom random) {
    double u = random.nextDouble();
    for (int i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]) {
        return i;
      }
    }
    return cumulative.length - 1;
  }

  /**
   * Draws a task with {@link #draw(SplittableRandom)} and lets it synthesize the sample.
   *
   * <p>{@inheritDoc}
   */
  @Override
  public SynthesizedSample synthesize(
      GrayImage normal, SplittableRandom random, List<GrayImage> support) {
    Objects.requireNonNull(random, "random");
    return synthesizers.get(draw(random)).synthesize(normal, random, support);
  }

  /**
   * @param name a name of this mixture
   * @return its synthesizer
   */
  public AnomalySynthesizer synthesizer(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("mixture has no task '" + name + "'; it has " + names);
    }
    return synthesizers.get(i);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append(':').append(formatWeight(e.getValue()));
    }
    return sb.toString();
  }

  private static String formatWeight(double w) {
    String s = String.format(Locale.ROOT, "%.6f", w);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** Builder of {@link SynthesisMixture}; not thread-safe. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<AnomalySynthesizer> synths = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a registered task by name (see {@link Synthesizers}).
     *
     * @param name the declared name, e.g. {@code "CutpasteTask"}
     * @param weight relative weight, finite and at least 0
     * @return this builder
     * @throws IllegalArgumentException for an unknown name or a bad weight
     * @throws IllegalStateException if the name was already added
     */
    public Builder add(String name, double weight) {
      Objects.requireNonNull(name, "name");
      checkWeight(name, weight);
      return add(name, Synthesizers.create(name), weight);
    }

    /**
     * Adds a synthesizer under a name of the caller's choice; user code is wrapped in a {@link
     * ValidatingSynthesizer} unless it is a built-in task.
     *
     * @param name the name (used in {@link #weights()} and provenance)
     * @param synthesizer the synthesizer
     * @param weight relative weight, finite and at least 0
     * @return this builder
     * @throws IllegalArgumentException for a blank name or a bad weight
     * @throws IllegalStateException if the name was already added
     */
    public Builder add(String name, AnomalySynthesizer synthesizer, double weight) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(synthesizer, "synthesizer");
      checkArgument(!name.isBlank(), "name must not be blank");
      checkWeight(name, weight);
      checkState(!names.contains(name), "task '%s' was already added to the mixture", name);
      names.add(name);
      synths.add(
          synthesizer instanceof PatchTask
                  || synthesizer instanceof IdentityTask
                  || synthesizer instanceof ValidatingSynthesizer
                  || synthesizer instanceof SynthesisMixture
              ? synthesizer
              : ValidatingSynthesizer.wrap(synthesizer));
      weights.add(weight);
      return this;
    }

    private static void checkWeight(String name, double weight) {
      checkArgument(
          weight >= 0 && !Double.isInfinite(weight),
          "weight of '%s' must be finite and >= 0, but was %s",
          name,
          weight);
    }

    /**
     * Builds the mixture; may be called again.
     *
     * @return the mixture
     * @throws IllegalStateException if no task was added
     * @throws IllegalArgumentException if the weights sum to zero
     */
    public SynthesisMixture build() {
      checkState(!names.isEmpty(), "a mixture needs at least one task; call add(name, weight)");
      double total = 0;
      for (double w : weights) {
        total += w;
      }
      checkArgument(
          total > 0, "weights must sum to more than 0, but sum to %s for %s", total, names);
      return new SynthesisMixture(this, total);
    }
  }
}
