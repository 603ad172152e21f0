package dev.autodidact.cli;

import com.typesafe.config.ConfigException;
import dev.autodidact.actors.RunSettings;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code autodidact} command line. */
@Command(
    name = "autodidact",
    mixinStandardHelpOptions = true,
    version = "autodidact 0.1.0",
    description = "Self-aware reinforcement learning: a language model that teaches itself, on Akka.",
    subcommands = {TrainCommand.class, PretrainCommand.class, EventsCommand.class, ReplayCommand.class,
        CompareCommand.class, EvalCommand.class, ExperimentCommand.class, SandboxCommand.class, BenchCommand.class, NodeCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs a command and returns its exit code: 0 done, 1 failed, 2 the user must fix something,
   * 3 the cluster downed this JVM (start it again: a supervisor's cue).
   */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof LocalRun.DownedException) {
        cmd.getErr().println("autodidact: " + e.getMessage());
        return 3;
      }
      if (e instanceof UserError || e instanceof RunSettings.InvalidSettings || e instanceof ConfigException) {
        cmd.getErr().println("autodidact: " + e.getMessage());
        return 2;
      }
      LoggerFactory.getLogger(Main.class).error("command failed", e);
      cmd.getErr().println("autodidact: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          + " (details in " + logFile() + ")");
      return 1;
    });
    return commandLine.execute(args);
  }

  /** Sends the log to a file (set before the first logger is made; the console gets warnings). */
  static void logTo(Path file) {
    System.setProperty("autodidact.log.file", file.toAbsolutePath().toString());
  }

  static String logFile() {
    return System.getProperty("autodidact.log.file", "the log");
  }
}
