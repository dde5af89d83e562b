package io.github.mediclip.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip train}: Trains MediCLIP heads on k normal images of a dataset and saves a detector bundle. */
@Command(name = "train", mixinStandardHelpOptions = true, description = {"Trains MediCLIP heads on k normal images of a dataset and saves a detector bundle."})
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data", required = true, description = "Dataset root folder.")
    Path data;

    @Option(names = "--layout", defaultValue = "auto", description = "mediclip, mvtec, plain or auto (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--backbone", required = true, description = "CLIP model folder.")
    Path backbone;

    @Option(names = "--k", defaultValue = "16", description = "Number of normal shots (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", description = "Training epochs (default: the library default).")
    Integer epochs;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--out", required = true, description = "Bundle folder to write.")
    Path out;

    @Override
    public Integer call() {
        throw CliException.notAvailableYet("'train'");
    }
}
