package io.github.mediclip.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip synth-stats}: Measures a synthesizer: images/s on one thread, mask-area fraction p10/p50/p90, empty-mask share (JSON). */
@Command(name = "synth-stats", mixinStandardHelpOptions = true, description = {"Measures a synthesizer: images/s on one thread, mask-area fraction p10/p50/p90, empty-mask share (JSON)."})
final class SynthStatsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--task", required = true, description = "Synthesizer name, or mixture.")
    String task;

    @Override
    public Integer call() {
        throw CliException.notAvailableYet("'synth-stats'");
    }
}
