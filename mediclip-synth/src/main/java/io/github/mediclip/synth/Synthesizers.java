package io.github.mediclip.synth;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedSet;
import io.github.mediclip.synth.internal.BuiltinProviders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Registry of named synthesizers, discovered with {@link ServiceLoader} from {@link
 * SynthesizerProvider}s (as DJL's {@code ZooProvider}). Names are the declared strings, never class
 * names, so that a configuration such as {@code CutpasteTask: 0.25} keeps working when classes
 * move.
 *
 * <p>The six reference tasks of MediCLIP are always present: {@code CutpasteTask}, {@code
 * GaussIntensityChangeTask}, {@code SmoothIntensityTask}, {@code SourceTask}, {@code SinkTask} and
 * {@code IdentityTask}. Providers are loaded once, on first use.
 */
public final class Synthesizers {

  private Synthesizers() {}

  private static final class Holder {
    static final Map<String, SynthesizerProvider> PROVIDERS = load();
  }

  private static Map<String, SynthesizerProvider> load() {
    Map<String, SynthesizerProvider> map = new LinkedHashMap<>();
    for (SynthesizerProvider p : BuiltinProviders.all()) {
      map.put(p.name(), p);
    }
    ClassLoader own = Synthesizers.class.getClassLoader();
    registerAll(map, own);
    // The context class loader may see providers that our own loader does not (e.g. in containers).
    ClassLoader tccl = Thread.currentThread().getContextClassLoader();
    if (tccl != null && tccl != own) {
      registerAll(map, tccl);
    }
    return ImmutableMap.copyOf(map);
  }

  private static void registerAll(Map<String, SynthesizerProvider> map, ClassLoader loader) {
    try {
      for (SynthesizerProvider p : ServiceLoader.load(SynthesizerProvider.class, loader)) {
        register(map, p);
      }
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("cannot load a SynthesizerProvider: " + e.getMessage(), e);
    }
  }

  private static void register(Map<String, SynthesizerProvider> map, SynthesizerProvider p) {
    String name = p.name();
    if (name == null || name.isBlank()) {
      throw new IllegalStateException(
          "SynthesizerProvider " + p.getClass().getName() + " declares a blank name");
    }
    SynthesizerProvider old = map.get(name);
    if (old == null) {
      map.put(name, p);
    } else if (!old.getClass().getName().equals(p.getClass().getName())) {
      throw new IllegalStateException(
          "two SynthesizerProviders declare the name '"
              + name
              + "': "
              + old.getClass().getName()
              + " and "
              + p.getClass().getName()
              + "; rename one of them");
    }
  }

  /**
   * Creates the synthesizer registered under a name.
   *
   * @param name the declared name, e.g. {@code "CutpasteTask"} (case-sensitive)
   * @return the synthesizer
   * @throws IllegalArgumentException if no provider declares this name; the message lists the
   *     available names
   */
  public static AnomalySynthesizer create(String name) {
    Objects.requireNonNull(name, "name");
    SynthesizerProvider p = Holder.PROVIDERS.get(name.strip());
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown synthesizer name '" + name + "'; available: " + String.join(", ", names()));
    }
    AnomalySynthesizer s = p.create();
    if (s == null) {
      throw new IllegalStateException(
          "SynthesizerProvider " + p.getClass().getName() + " returned null for '" + name + "'");
    }
    return s;
  }

  /**
   * @return the registered names, sorted
   */
  public static Set<String> names() {
    return ImmutableSortedSet.copyOf(Holder.PROVIDERS.keySet());
  }

  /**
   * Tells whether a synthesizer is registered under a name.
   *
   * @param name the name to look up (surrounding whitespace ignored); may be {@code null}
   * @return true if a provider declares this name
   */
  public static boolean contains(String name) {
    return name != null && Holder.PROVIDERS.containsKey(name.strip());
  }

  /**
   * @return the reference names of the six MediCLIP tasks, in the reference's order
   */
  public static List<String> referenceNames() {
    return List.of(
        CutPasteTask.NAME,
        GaussIntensityChangeTask.NAME,
        SmoothIntensityChangeTask.NAME,
        SourceDeformationTask.NAME,
        SinkDeformationTask.NAME,
        IdentityTask.NAME);
  }
}
