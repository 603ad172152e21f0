package dev.autodidact.cli;

import dev.autodidact.persistence.JournalDatabase;
import dev.autodidact.persistence.JournalStats;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code autodidact events}: how many events of each type a run journaled. */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = "Print, as one JSON object, the number of journal events per event type of the run in --out.")
final class EventsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--out", required = true, description = "the run directory")
  Path out;

  @Override
  public Integer call() throws Exception {
    RunDirectory dir = new RunDirectory(out);
    if (!dir.holdsRun()) {
      throw new UserError(dir.root() + " holds no run (no run.conf); pass the --out of a train command");
    }
    Main.logTo(dir.log());
    try (JournalDatabase server = Journals.open(dir)) {
      Map<String, Long> counts = JournalStats.countEventsByType(
          server.jdbcUrl(), server.user(), server.password(), "TrainingRun|" + dir.runId());
      spec.commandLine().getOut().println(MetricsFiles.json(new TreeMap<>(counts)));
    }
    return 0;
  }
}
