package io.github.mediclip.cli;

import picocli.CommandLine.Option;

/** The {@code --seed} option (default 1) of the commands that draw random samples. */
final class SeedOption {
  @Option(
      names = "--seed",
      paramLabel = "<seed>",
      defaultValue = "1",
      description = "Seed (default: ${DEFAULT-VALUE}).")
  long value;
}
