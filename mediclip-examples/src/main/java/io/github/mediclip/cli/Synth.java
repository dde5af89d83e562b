package io.github.mediclip.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Access to the synthesizer registry of mediclip-synth. */
final class Synth {
    private Synth() {}

    /** Registered synthesizer names, sorted; empty when the registry is not on the class path. */
    static List<String> names() {
        try {
            Object names = Class.forName("io.github.mediclip.synth.Synthesizers").getMethod("names").invoke(null);
            List<String> list = new ArrayList<>();
            for (Object n : (Collection<?>) names) {
                list.add(String.valueOf(n));
            }
            list.sort(null);
            return list;
        } catch (ReflectiveOperationException e) {
            return List.of();
        }
    }
}
