package io.github.mediclip.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip sweep}: Trains and evaluates over several k and seeds; prints one JSON line per run and a summary. */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = {"Trains and evaluates over several k and seeds; prints one JSON line per run and a summary."})
final class SweepCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data", required = true, description = "Dataset root folder.")
    Path data;

    @Option(names = "--backbone", required = true, description = "CLIP model folder.")
    Path backbone;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
        throw CliException.notAvailableYet("'sweep'");
    }
}
