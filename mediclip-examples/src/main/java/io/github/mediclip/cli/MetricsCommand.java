package io.github.mediclip.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mediclip metrics}: Computes image (and with maps, pixel) metrics from a scores CSV (id,label,score); prints JSON. */
@Command(name = "metrics", mixinStandardHelpOptions = true, description = {"Computes image (and with maps, pixel) metrics from a scores CSV (id,label,score); prints JSON."})
final class MetricsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--scores", required = true, description = "CSV with columns id,label,score.")
    Path scores;

    @Override
    public Integer call() {
        throw CliException.notAvailableYet("'metrics'");
    }
}
