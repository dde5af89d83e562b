package io.github.mediclip.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip evaluate}: Evaluates a bundle on the test split of a dataset, writes a report folder and prints a JSON line with the metrics. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = {"Evaluates a bundle on the test split of a dataset, writes a report folder and prints a JSON line with the metrics."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, description = "Detector bundle folder.")
    Path model;

    @Option(names = "--data", required = true, description = "Dataset root folder.")
    Path data;

    @Option(names = "--layout", defaultValue = "auto", description = "mediclip, mvtec, plain or auto (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--out", required = true, description = "Report folder to write.")
    Path out;

    @Override
    public Integer call() {
        throw CliException.notAvailableYet("'evaluate'");
    }
}
