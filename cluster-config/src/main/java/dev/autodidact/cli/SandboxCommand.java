package dev.autodidact.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code autodidact sandbox}: use the Python sandbox directly. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = "Run Python jobs in the sandbox, or check its verdicts against CRUXEval's.",
    subcommands = {SandboxRunCommand.class, SandboxCheckCommand.class, SandboxCheckHostCommand.class})
final class SandboxCommand implements Runnable {

  @Spec
  CommandSpec spec;

  /** Alone, the command only says which subcommands there are (exit 2). */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "sandbox needs a subcommand: run, check or check-host");
  }
}
