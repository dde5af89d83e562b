package io.github.mediclip.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip parity}: Computes every tensor of a parity fixture with the library and writes them to a safetensors file; prints the largest absolute difference per tensor. */
@Command(name = "parity", mixinStandardHelpOptions = true, description = {"Computes every tensor of a parity fixture with the library and writes them to a safetensors file; prints the largest absolute difference per tensor."})
final class ParityCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--fixture", required = true, description = "Parity fixture folder.")
    Path fixture;

    @Option(names = "--out", required = true, description = "safetensors file to write.")
    Path out;

    @Override
    public Integer call() {
        throw CliException.notAvailableYet("'parity'");
    }
}
