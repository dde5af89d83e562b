package io.github.mediclip.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip detect}: Scores images with a trained bundle: one JSON line per image (path, score); heat-map PNGs with --out. */
@Command(name = "detect", mixinStandardHelpOptions = true, description = {"Scores images with a trained bundle: one JSON line per image (path, score); heat-map PNGs with --out."})
final class DetectCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, description = "Detector bundle folder.")
    Path model;

    @Option(names = "--out", description = "Folder for heat-map PNGs.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images to score.")
    List<Path> images;

    @Override
    public Integer call() {
        throw CliException.notAvailableYet("'detect'");
    }
}
