package io.github.mediclip.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip synth-preview}: Writes a PNG grid of synthesized anomalies (image and mask) for one task. */
@Command(name = "synth-preview", mixinStandardHelpOptions = true, description = {"Writes a PNG grid of synthesized anomalies (image and mask) for one task."})
final class SynthPreviewCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--image", required = true, description = "A normal image.")
    Path image;

    @Option(names = "--task", required = true, description = "Synthesizer name, or mixture.")
    String task;

    @Option(names = "--n", defaultValue = "8", description = "Number of samples (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--out", required = true, description = "PNG file to write.")
    Path out;

    @Override
    public Integer call() {
        throw CliException.notAvailableYet("'synth-preview'");
    }
}
