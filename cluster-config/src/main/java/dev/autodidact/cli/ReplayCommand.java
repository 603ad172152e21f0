package dev.autodidact.cli;

import com.google.protobuf.Message;
import com.typesafe.config.Config;
import dev.autodidact.actors.Replay;
import dev.autodidact.persistence.BlobStore;
import dev.autodidact.persistence.JournalDatabase;
import dev.autodidact.persistence.JournalReader;
import dev.autodidact.persistence.ProtobufRegistry;
import dev.autodidact.persistence.proto.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autodidact replay}: a run rebuilt from its event log. {@code rebuild} recomputes
 * every step's metrics from the events alone (no model, no sandbox) and checks them against
 * the metrics the run wrote; {@code retrain} also re-runs the learner over the recorded
 * samples (learner settings may be replaced) and compares the checkpoint hashes.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Rebuild (or retrain) the run in --from from its event log into --out, and print one JSON"
        + " object (events, events_per_s, metrics_match; retrain: checkpoints_match).")
final class ReplayCommand implements Callable<Integer> {

  /** Modes the issue plans; only these are built. */
  static final List<String> BUILT_MODES = List.of("rebuild", "rescore", "retrain");

  /** Settings each mode may change: retrain re-runs the learner, rescore the rewards and the filter. */
  static final Map<String, List<String>> CHANGEABLE = Map.of(
      "rebuild", List.of(),
      "rescore", List.of("rewards", "limit_breaking"),
      "retrain", List.of("optimizer", "loss", "run.threads"));

  @Spec
  CommandSpec spec;

  @Option(names = "--from", required = true, description = "the run directory to replay")
  Path from;

  @Option(names = "--out", required = true, description = "a new directory for the replay's metrics")
  Path out;

  @Option(names = "--mode", defaultValue = "rebuild",
      description = "rebuild: state and metrics from the events alone (default); rescore: the recorded"
          + " rollouts under other rewards.* or limit_breaking.* settings; retrain: the learner run again over"
          + " the recorded samples, from the base checkpoint, under other optimizer.*, loss.* or run.threads")
  String mode;

  @Option(names = "--set", description = "key=value, a setting the mode may change (repeatable)")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!BUILT_MODES.contains(mode)) {
      throw new UserError("replay --mode " + mode + " is not built yet; the built modes are: "
          + String.join(", ", BUILT_MODES));
    }
    Config overrides = Settings.overrides(sets);
    List<String> changeable = CHANGEABLE.get(mode);
    for (String key : overrides.entrySet().stream().map(Map.Entry::getKey).sorted().toList()) {
      if (changeable.stream().noneMatch(prefix -> key.equals(prefix) || key.startsWith(prefix + "."))) {
        throw new UserError("replay --mode " + mode + " cannot change " + key + (changeable.isEmpty()
            ? ": it rebuilds what was recorded"
            : "; it changes only " + String.join(".*, ", changeable) + ".*"));
      }
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

    Retraining retraining = mode.equals("retrain")
        ? new Retraining(new BlobStore(source.blobs()), new BlobStore(target.blobs()), overrides) : null;
    Replay replay = retraining != null ? new Replay(retraining)
        : mode.equals("rescore") ? Replay.rescoring(overrides) : new Replay();
    long events;
    double seconds;
    double streaming;
    // The stream's rate is timed from the first event's arrival: opening the connection and
    // planning the query cost the same for ten events as for ten million.
    long[] firstArrival = {0};
    Consumer<Message> sink = replay.sink();
    try (JournalDatabase server = Journals.open(source)) {
      long started = System.nanoTime();
      events = JournalReader.forEachEvent(server.jdbcUrl(), server.user(), server.password(),
          "TrainingRun|" + source.runId(), ProtobufRegistry.of(Events.class), event -> {
            if (firstArrival[0] == 0) {
              firstArrival[0] = System.nanoTime();
            }
            sink.accept(event);
          });
      long ended = System.nanoTime();
      seconds = (ended - started) / 1e9;
      streaming = (ended - firstArrival[0]) / 1e9;
    } finally {
      if (retraining != null) {
        retraining.close();
      }
    }
    if (events == 0) {
      throw new UserError(source.root() + "'s journal holds no event of run '" + source.runId()
          + "': nothing to replay");
    }
    Replay.Rebuilt rebuilt = replay.result();
    MetricsFiles.writeMetrics(target.metrics(), rebuilt.metrics());
    MetricsFiles.writeSummary(target.summary(), rebuilt.settings(), rebuilt.metrics());

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("mode", mode);
    report.put("from", source.root().toString());
    report.put("out", target.root().toString());
    report.put("events", events);
    report.put("events_per_s", events / streaming);
    report.put("seconds", seconds);
    report.put("streaming_seconds", streaming);
    report.put("steps", rebuilt.metrics().size());
    report.put("completed", rebuilt.completed());
    report.put("metrics_match", sameLines(source.metrics(), target.metrics()));
    if (retraining != null) {
      report.put("steps_retrained", retraining.steps());
      report.put("checkpoints_matching", retraining.matchingCheckpoints());
      report.put("checkpoints_match", retraining.matchingCheckpoints() == retraining.steps());
    }
    report.put("overrides", sets);
    report.put("note", "events_per_s: events read, decoded and applied (retraining included) per second,"
        + " from the first event's arrival; seconds: the same from opening the connection; neither counts"
        + " starting the database");
    spec.commandLine().getOut().println(MetricsFiles.json(report));
    return 0;
  }

  /** Whether two metrics files hold the same lines; a missing file matches nothing. */
  static boolean sameLines(Path a, Path b) throws IOException {
    return Files.exists(a) && Files.exists(b) && Files.readAllLines(a).equals(Files.readAllLines(b));
  }
}
