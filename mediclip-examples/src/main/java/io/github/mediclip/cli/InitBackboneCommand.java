package io.github.mediclip.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip init-backbone}: Writes a randomly initialized CLIP in the model-folder format (weights, config, tokenizer), marked as random in its metadata. */
@Command(name = "init-backbone", mixinStandardHelpOptions = true, description = {"Writes a randomly initialized CLIP in the model-folder format (weights, config, tokenizer), marked as random in its metadata."})
final class InitBackboneCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--preset", required = true, description = "tiny, vit-b-16 or vit-l-14.")
    String preset;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Model folder to write.")
    Path out;

    @Override
    public Integer call() {
        throw CliException.notAvailableYet("'init-backbone'");
    }
}
