package io.github.mediclip.cli;

import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.SynthesisMixture;
import io.github.mediclip.synth.Synthesizers;
import java.util.ArrayList;
import java.util.List;

/** Access to the synthesizer registry of mediclip-synth. */
final class Synth {
  private Synth() {}

  /** Registered synthesizer names, sorted. */
  static List<String> names() {
    List<String> list = new ArrayList<>(Synthesizers.names());
    list.sort(null);
    return list;
  }

  /**
   * A synthesizer by registered name, {@code mixture} (the reference mixture), or a mixture spec
   * such as {@code CutpasteTask:0.5,IdentityTask:0.5}; an unknown name is a usage error listing the
   * names.
   */
  static AnomalySynthesizer create(String task) {
    return create("--task", task);
  }

  /** As {@link #create(String)}, with errors labelled with the option that gave the value. */
  static AnomalySynthesizer create(String option, String task) {
    try {
      if ("mixture".equalsIgnoreCase(task) || "reference".equalsIgnoreCase(task)) {
        return SynthesisMixture.reference();
      }
      if (task.contains(":")) {
        return SynthesisMixture.parse(task);
      }
      return Synthesizers.create(task);
    } catch (IllegalArgumentException e) {
      throw new CliException(option + ": " + e.getMessage(), MediClipCli.EXIT_USAGE);
    }
  }
}
