package dev.autodidact.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code autodidact bench}: benchmarks that print JSON and compare with a baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints one JSON object with its baselines measured in the same run.",
    subcommands = {BenchSandboxCommand.class, BenchModelCommand.class, BenchJournalCommand.class,
        BenchClusterCommand.class})
final class BenchCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bench needs a subcommand: sandbox, model, journal or cluster");
  }
}
