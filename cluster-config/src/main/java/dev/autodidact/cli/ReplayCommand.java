package dev.autodidact.cli;

import dev.autodidact.actors.Replay;
import dev.autodidact.persistence.EmbeddedPostgresServer;
import dev.autodidact.persistence.JournalReader;
import dev.autodidact.persistence.ProtobufRegistry;
import dev.autodidact.persistence.proto.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autodidact replay}: a run rebuilt from its event log. {@code rebuild} recomputes
 * every step's metrics from the events alone (no model, no sandbox) and checks them against
 * the metrics the run wrote.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Rebuild the run in --from from its event log into --out, and print one JSON object"
        + " (events, events_per_s, metrics_match).")
final class ReplayCommand implements Callable<Integer> {

  /** Modes the issue plans; only these are built. */
  static final List<String> BUILT_MODES = List.of("rebuild");

  @Spec
  CommandSpec spec;

  @Option(names = "--from", required = true, description = "the run directory to replay")
  Path from;

  @Option(names = "--out", required = true, description = "a new directory for the replay's metrics")
  Path out;

  @Option(names = "--mode", defaultValue = "rebuild",
      description = "rebuild: state and metrics from the events alone (default)")
  String mode;

  @Override
  public Integer call() throws Exception {
    if (!BUILT_MODES.contains(mode)) {
      throw new UserError("replay --mode " + mode + " is not built yet; the built mode is: "
          + String.join(", ", BUILT_MODES));
    }
    RunDirectory source = new RunDirectory(from);
    if (!source.holdsRun()) {
      throw new UserError(source.root() + " holds no run (no run.conf); pass the --out of a train command");
    }
    RunDirectory target = new RunDirectory(out);
    if (target.root().toAbsolutePath().normalize().equals(source.root().toAbsolutePath().normalize())) {
      throw new UserError("--out must differ from --from: a replay never writes into the run it reads");
    }
    Files.createDirectories(target.root());
    Main.logTo(target.log());

    Replay replay = new Replay();
    long events;
    double seconds;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(source.journal())) {
      long started = System.nanoTime();
      events = JournalReader.forEachEvent(server.jdbcUrl(), server.user(), server.password(),
          "TrainingRun|" + source.runId(), ProtobufRegistry.of(Events.class), replay.sink());
      seconds = (System.nanoTime() - started) / 1e9;
    }
    Replay.Rebuilt rebuilt = replay.result();
    MetricsFiles.writeMetrics(target.metrics(), rebuilt.metrics());
    MetricsFiles.writeSummary(target.summary(), rebuilt.settings(), rebuilt.metrics());

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("mode", mode);
    report.put("from", source.root().toString());
    report.put("out", target.root().toString());
    report.put("events", events);
    report.put("events_per_s", events / seconds);
    report.put("seconds", seconds);
    report.put("steps", rebuilt.metrics().size());
    report.put("completed", rebuilt.completed());
    report.put("metrics_match", sameLines(source.metrics(), target.metrics()));
    report.put("note", "seconds: reading, decoding and applying every event, without starting the database");
    spec.commandLine().getOut().println(MetricsFiles.json(report));
    return 0;
  }

  /** Whether two metrics files hold the same lines; a missing file matches nothing. */
  static boolean sameLines(Path a, Path b) throws java.io.IOException {
    return Files.exists(a) && Files.exists(b) && Files.readAllLines(a).equals(Files.readAllLines(b));
  }
}
