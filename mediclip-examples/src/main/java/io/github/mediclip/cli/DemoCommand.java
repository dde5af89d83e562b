package io.github.mediclip.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip demo}: Generates a phantom dataset and a small RANDOMLY INITIALIZED backbone, trains, evaluates and writes a report; prints a final JSON line with image and pixel AUROC before and after training. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {"Generates a phantom dataset and a small RANDOMLY INITIALIZED backbone, trains, evaluates and writes a report; prints a final JSON line with image and pixel AUROC before and after training."})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", defaultValue = "mediclip-demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--k", defaultValue = "16", description = "Number of normal training shots (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of everything random (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", defaultValue = "8", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Override
    public Integer call() {
        throw CliException.notAvailableYet("'demo'");
    }
}
