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
    description = "Replay the run in --from from its event log into --out (rebuild, rescore, retrain), or fork it"
        + " after --at-step into a new live run; print one JSON object (events, events_per_s, metrics_match;"
        + " retrain: checkpoints_match; fork: steps, forked_at).")
final class ReplayCommand implements Callable<Integer> {

  static final List<String> MODES = List.of("rebuild", "rescore", "retrain", "fork");

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
          + " the recorded samples, from the base checkpoint, under other optimizer.*, loss.* or run.threads;"
          + " fork: a new run from the parent's state after --at-step, trained live under any other settings"
          + " but model.* and pretrain.*")
  String mode;

  @Option(names = "--at-step", description = "fork: the parent's last step the fork keeps (0: its start)")
  Long atStep;

  @Option(names = "--journal-url", description = "fork: keep the fork's journal in this external PostgreSQL"
      + " (as train --journal-url)")
  String journalUrl;

  @Option(names = "--set", description = "key=value, a setting the mode may change (repeatable)")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!MODES.contains(mode)) {
      throw new UserError("replay --mode " + mode + " is unknown; the modes are: " + String.join(", ", MODES));
    }
    if (mode.equals("fork") != (atStep != null)) {
      throw new UserError(mode.equals("fork") ? "replay --mode fork needs --at-step N (the parent's step to fork after)"
          : "--at-step is for --mode fork only");
    }
    if (journalUrl != null && !mode.equals("fork")) {
      throw new UserError("--journal-url is for --mode fork only: other modes write no journal");
    }
    if (mode.equals("fork")) {
      return fork();
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
    // Fails early on a damaged run.conf; it also loads the settings machinery before the stream
    // is timed, so that the rate measures reading the journal rather than starting the library.
    Settings.recorded(source);
    Files.createDirectories(target.root());
    Main.logTo(target.log());

    Retraining retraining = mode.equals("retrain")
        ? new Retraining(new BlobStore(source.blobs()), new BlobStore(target.blobs()), overrides) : null;
    Replay replay = retraining != null ? new Replay(retraining)
        : mode.equals("rescore") ? Replay.rescoring(overrides) : new Replay();
    JournalReader.Read read;
    ProtobufRegistry registry = ProtobufRegistry.of(Events.class);
    registry.warmUp();
    try (JournalDatabase server = Journals.open(source)) {
      read = JournalReader.read(server.jdbcUrl(), server.user(), server.password(),
          "TrainingRun|" + source.runId(), registry, replay.sink());
    } finally {
      if (retraining != null) {
        retraining.close();
      }
    }
    long events = read.events();
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
    report.put("events_per_s", read.eventsPerSecond());
    report.put("replay_events_per_s", events / ((read.readNanos() + read.sinkNanos()) / 1e9));
    report.put("seconds", (read.connectNanos() + read.readNanos() + read.sinkNanos()) / 1e9);
    report.put("reading_seconds", read.readNanos() / 1e9);
    report.put("applying_seconds", read.sinkNanos() / 1e9);
    report.put("steps", rebuilt.metrics().size());
    report.put("completed", rebuilt.completed());
    report.put("metrics_match", sameLines(source.metrics(), target.metrics()));
    if (retraining != null) {
      report.put("steps_retrained", retraining.steps());
      report.put("checkpoints_matching", retraining.matchingCheckpoints());
      report.put("checkpoints_match", retraining.matchingCheckpoints() == retraining.steps());
    }
    report.put("overrides", sets);
    report.put("note", "events_per_s: events queried, fetched and decoded per second of reading_seconds;"
        + " replay_events_per_s: the same with applying them (rebuilding state and metrics; retraining included);"
        + " seconds: all of it, opening the connection too; none counts starting the database");
    spec.commandLine().getOut().println(MetricsFiles.json(report));
    return 0;
  }

  /**
   * A new run in --out from the parent's state after --at-step, trained live. Its first
   * --at-step lines of metrics must be the parent's: they are rebuilt from the copied events.
   */
  private Integer fork() throws Exception {
    RunDirectory parent = new RunDirectory(from);
    RunDirectory target = new RunDirectory(out);
    if (target.root().equals(parent.root())) {
      throw new UserError("--out must differ from --from: a fork is a new run");
    }
    if (!parent.holdsRun()) {
      throw new UserError(parent.root() + " holds no run (no run.conf); fork the --out of a train command");
    }
    Files.createDirectories(target.root());
    Main.logTo(target.log());
    long started = System.nanoTime();
    ConsoleProgress view = new ConsoleProgress();
    List<dev.autodidact.actors.StepMetrics> metrics = LocalRun.fork(parent, target, atStep, sets, journalUrl, view);
    view.close();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("mode", mode);
    report.put("from", parent.root().toString());
    report.put("out", target.root().toString());
    report.put("forked_at", atStep);
    report.put("steps", metrics.size());
    report.put("steps_trained", metrics.size() - atStep);
    report.put("seconds", (System.nanoTime() - started) / 1e9);
    report.put("shared_prefix_matches", samePrefix(parent.metrics(), target.metrics(), atStep));
    report.put("overrides", sets);
    spec.commandLine().getOut().println(MetricsFiles.json(report));
    return 0;
  }

  /** Whether the first {@code lines} lines of two metrics files are the same. */
  static boolean samePrefix(Path a, Path b, long lines) throws IOException {
    if (!Files.exists(a) || !Files.exists(b)) {
      return false;
    }
    List<String> first = Files.readAllLines(a);
    List<String> second = Files.readAllLines(b);
    return first.size() >= lines && second.size() >= lines
        && first.subList(0, (int) lines).equals(second.subList(0, (int) lines));
  }

  /** Whether two metrics files hold the same lines; a missing file matches nothing. */
  static boolean sameLines(Path a, Path b) throws IOException {
    return Files.exists(a) && Files.exists(b) && Files.readAllLines(a).equals(Files.readAllLines(b));
  }
}
