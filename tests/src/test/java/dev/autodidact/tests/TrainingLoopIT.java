package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.Replay;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.StepMetrics;
import dev.autodidact.cli.BaseModels;
import dev.autodidact.cli.LocalRun;
import dev.autodidact.cli.Main;
import dev.autodidact.cli.RunDirectory;
import dev.autodidact.persistence.BlobStore;
import dev.autodidact.persistence.EmbeddedPostgresServer;
import dev.autodidact.persistence.JournalReader;
import dev.autodidact.persistence.JournalStats;
import dev.autodidact.persistence.ProtobufRegistry;
import dev.autodidact.persistence.proto.Events;
import dev.autodidact.persistence.proto.RunForked;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop, end to end, with real parts: a tiny transformer pretrained here, the real
 * sandbox, real actors and a real PostgreSQL journal. Runs on CPU.
 */
class TrainingLoopIT {
  static final int STEPS = 3;
  static final List<String> PHASE_EVENTS = List.of("TasksProposed", "TasksValidated", "RolloutsSampled",
      "RolloutsVerified", "LimitBreakDecided", "ExternalSolutionsUsed", "RewardsAssigned", "PolicyUpdated");

  @TempDir
  static Path temp;
  static RunSettings settings;
  static BaseModels baseModels;
  static List<StepMetrics> first;

  @BeforeAll
  static void trainOnce() throws Exception {
    settings = tinySettings();
    baseModels = new BaseModels(temp.resolve("home"));
    first = LocalRun.train(new RunDirectory(temp.resolve("a")), settings, baseModels, false, Observers.SILENT);
  }

  static RunSettings tinySettings() {
    return tinySettings("");
  }

  /** The tiny run's settings, with {@code overrides} (HOCON inside the autodidact block). */
  static RunSettings tinySettings(String overrides) {
    return RunSettings.from(ConfigFactory.parseString("""
        autodidact {
          run { seed = 5, steps = %d }
          model.preset = tiny
          tasks { batch_per_type = 2, rollouts = 4, seed_tasks_per_type = 2 }
          pretrain { corpus_programs = 40, steps = 12, batch = 8, warmup_steps = 2 }
          %s
        }""".formatted(STEPS, overrides)).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void everyStepWritesItsMetricsInRange() throws Exception {
    List<String> lines = Files.readAllLines(temp.resolve("a").resolve("metrics.jsonl"));
    assertThat(lines).hasSize(STEPS);
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < STEPS; i++) {
      JsonNode step = json.readTree(lines.get(i));
      assertThat(step.get("step").asInt()).isEqualTo(i + 1);
      for (String field : List.of("reward_generator", "reward_solver", "dp_accuracy", "rollout_accuracy",
          "valid_tasks", "invalid_tasks", "unsolved_tasks", "selected_for_external", "external_used",
          "extra_data_ratio", "policy_version", "checkpoint", "wall_s")) {
        assertThat(step.has(field)).as(field).isTrue();
      }
      assertThat(step.get("reward_generator").asDouble()).isBetween(-1.0, 1.0);
      assertThat(step.get("valid_tasks").asInt() + step.get("invalid_tasks").asInt()).isEqualTo(6);
      assertThat(step.get("extra_data_ratio").asDouble()).isBetween(0.0, settings.limitBreaking().budgetFraction());
      if (!step.get("rollout_accuracy").isNull()) {
        assertThat(step.get("rollout_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(step.get("dp_accuracy").asDouble()).isBetween(0.0, 1.0);
      }
    }
    assertThat(temp.resolve("a").resolve("summary.json")).exists();
  }

  @Test
  void everyPhaseOfEveryStepIsJournaledInPostgres() throws Exception {
    RunDirectory dir = new RunDirectory(temp.resolve("a"));
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.journal())) {
      Map<String, Long> counts = JournalStats.countEventsByType(
          server.jdbcUrl(), server.user(), server.password(), "TrainingRun|" + dir.runId());
      assertThat(counts).containsEntry("RunStarted", 1L).containsEntry("RunCompleted", 1L);
      for (String phase : PHASE_EVENTS) {
        assertThat(counts).containsEntry(phase, (long) STEPS);
      }
    }
  }

  @Test
  void theEventLogAloneRebuildsEveryStepsMetricsExactly() throws Exception {
    RunDirectory dir = new RunDirectory(temp.resolve("a"));
    Replay replay = new Replay();
    long events;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.journal())) {
      events = JournalReader.forEachEvent(server.jdbcUrl(), server.user(), server.password(),
          "TrainingRun|" + dir.runId(), ProtobufRegistry.of(Events.class), replay.sink());
    }
    Replay.Rebuilt rebuilt = replay.result();
    assertThat(events).isEqualTo(2 + (long) STEPS * PHASE_EVENTS.size());
    assertThat(rebuilt.completed()).isTrue();
    // wall_s included: it is recorded in the events, so even the timings are rebuilt.
    assertThat(rebuilt.metrics()).isEqualTo(first);
  }

  @Test
  void replayRebuildsTheMetricsAndRetrainingReproducesEveryCheckpointHash() throws Exception {
    String from = temp.resolve("a").toString();
    JsonNode rebuild = replay("replay", "--from", from, "--out", temp.resolve("rebuild").toString());
    assertThat(rebuild.get("metrics_match").asBoolean()).isTrue();
    assertThat(rebuild.get("events").asLong()).isEqualTo(2 + (long) STEPS * PHASE_EVENTS.size());
    assertThat(rebuild.get("events_per_s").asDouble()).isPositive();

    JsonNode retrain = replay("replay", "--from", from, "--out", temp.resolve("retrain").toString(),
        "--mode", "retrain");
    assertThat(retrain.get("steps_retrained").asInt()).isEqualTo(STEPS);
    assertThat(retrain.get("checkpoints_match").asBoolean()).isTrue();
    assertThat(retrain.get("metrics_match").asBoolean()).isTrue();

    JsonNode changed = replay("replay", "--from", from, "--out", temp.resolve("retrain-lr").toString(),
        "--mode", "retrain", "--set", "optimizer.learning_rate=0.01");
    assertThat(changed.get("checkpoints_matching").asInt()).isLessThan(STEPS);

    // Rescoring with nothing changed recomputes the filter's decisions and the rewards exactly.
    JsonNode rescore = replay("replay", "--from", from, "--out", temp.resolve("rescore").toString(),
        "--mode", "rescore");
    assertThat(rescore.get("metrics_match").asBoolean()).isTrue();
    JsonNode milder = replay("replay", "--from", from, "--out", temp.resolve("rescore-milder").toString(),
        "--mode", "rescore", "--set", "rewards.invalid_proposal=-0.25");
    assertThat(milder.get("metrics_match").asBoolean()).isFalse();
    JsonNode noFilter = replay("replay", "--from", from, "--out", temp.resolve("rescore-nolb").toString(),
        "--mode", "rescore", "--set", "limit_breaking.enabled=false");
    assertThat(noFilter.get("steps").asInt()).isEqualTo(STEPS);
    assertThat(Files.readAllLines(temp.resolve("rescore-nolb").resolve("metrics.jsonl")))
        .allSatisfy(line -> assertThat(new ObjectMapper().readTree(line).get("selected_for_external").asInt())
            .isZero());
    assertThat(Main.run("compare", from, temp.resolve("rescore-milder").toString())).isZero();
  }

  /**
   * A fork after step 1 with nothing changed continues exactly as its parent did (same seed
   * streams, same state), so it ends with the parent's checkpoints; its log names its parent
   * and stands alone for replay; a fork with w_dp = 0 runs and compare shows both.
   */
  @Test
  void aForkContinuesFromItsParentsStateAndItsLogNamesItsParent() throws Exception {
    String from = temp.resolve("a").toString();
    JsonNode same = replay("replay", "--from", from, "--out", temp.resolve("fork-same").toString(),
        "--mode", "fork", "--at-step", "1");
    assertThat(same.get("steps").asInt()).isEqualTo(STEPS);
    assertThat(same.get("steps_trained").asInt()).isEqualTo(STEPS - 1);
    assertThat(same.get("shared_prefix_matches").asBoolean()).isTrue();
    // Compared as text: a parsed file and a tree of the same metrics type their numbers differently.
    assertThat(linesWithoutWallTime(temp.resolve("fork-same").resolve("metrics.jsonl")))
        .isEqualTo(withoutWallTime(first).stream().map(JsonNode::toString).toList());

    RunDirectory fork = new RunDirectory(temp.resolve("fork-same"));
    List<Message> log = new ArrayList<>();
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(fork.journal())) {
      JournalReader.forEachEvent(server.jdbcUrl(), server.user(), server.password(), "TrainingRun|fork-same",
          ProtobufRegistry.of(Events.class), log::add);
    }
    RunForked forkedEvent = log.stream().filter(RunForked.class::isInstance).map(RunForked.class::cast)
        .findFirst().orElseThrow();
    assertThat(forkedEvent.getParentRun()).isEqualTo("a");
    assertThat(forkedEvent.getParentStep()).isEqualTo(1);
    assertThat(forkedEvent.getRunId()).isEqualTo("fork-same");
    assertThat(log.indexOf(forkedEvent)).isEqualTo(1 + PHASE_EVENTS.size());
    JsonNode rebuilt = replay("replay", "--from", fork.root().toString(), "--out",
        temp.resolve("fork-same-rebuild").toString());
    assertThat(rebuilt.get("metrics_match").asBoolean()).isTrue();
    JsonNode retrained = replay("replay", "--from", fork.root().toString(), "--out",
        temp.resolve("fork-same-retrain").toString(), "--mode", "retrain");
    assertThat(retrained.get("checkpoints_match").asBoolean()).isTrue();

    JsonNode noDp = replay("replay", "--from", from, "--out", temp.resolve("fork-nodp").toString(),
        "--mode", "fork", "--at-step", "1", "--set", "rewards.w_dp=0");
    assertThat(noDp.get("steps").asInt()).isEqualTo(STEPS);
    assertThat(noDp.get("shared_prefix_matches").asBoolean()).isTrue();
    RunSettings noDpSettings = RunSettings.fromRendered(Files.readString(temp.resolve("fork-nodp").resolve("run.conf")));
    assertThat(noDpSettings.rewards().wDp()).isZero();
    assertThat(Main.run("compare", from, temp.resolve("fork-nodp").toString())).isZero();
    // A fork of the fork at step 0, before its own fork point, runs under the settings the
    // original ran step 1 with (w_dp = 0.5), not the fork's: so it is the original again.
    JsonNode grandchild = replay("replay", "--from", temp.resolve("fork-nodp").toString(), "--out",
        temp.resolve("fork-grand").toString(), "--mode", "fork", "--at-step", "0");
    assertThat(grandchild.get("steps_trained").asInt()).isEqualTo(STEPS);
    assertThat(RunSettings.fromRendered(Files.readString(temp.resolve("fork-grand").resolve("run.conf")))
        .rewards().wDp()).isEqualTo(settings.rewards().wDp());
    assertThat(linesWithoutWallTime(temp.resolve("fork-grand").resolve("metrics.jsonl")))
        .isEqualTo(withoutWallTime(first).stream().map(JsonNode::toString).toList());
    // A fork killed before its first journal write (here: its journal is gone) starts again on
    // --resume from fork.conf, and ends the same.
    RunDirectory refork = new RunDirectory(temp.resolve("fork-grand"));
    deleteTree(refork.journal());
    Files.delete(refork.metrics());
    List<StepMetrics> reforked = LocalRun.train(refork,
        RunSettings.fromRendered(Files.readString(refork.settings())), baseModels, true, Observers.SILENT);
    assertThat(withoutWallTime(reforked)).isEqualTo(withoutWallTime(first));
    // A finished fork resumes as any run does: nothing left to do, the same metrics.
    List<StepMetrics> resumed = LocalRun.train(new RunDirectory(temp.resolve("fork-nodp")), noDpSettings,
        baseModels, true, Observers.SILENT);
    assertThat(resumed).hasSize(STEPS);
  }

  @Test
  void aForkRefusesAStepItsParentNeverFinishedAndAModelChange() {
    String from = temp.resolve("a").toString();
    assertThat(Main.run("replay", "--from", from, "--out", temp.resolve("fork-late").toString(),
        "--mode", "fork", "--at-step", "9")).isEqualTo(2);
    assertThat(temp.resolve("fork-late").resolve("run.conf")).doesNotExist();
    assertThat(Main.run("replay", "--from", from, "--out", temp.resolve("fork-model").toString(),
        "--mode", "fork", "--at-step", "1", "--set", "model.preset=small")).isEqualTo(2);
    assertThat(Main.run("replay", "--from", from, "--out", temp.resolve("fork-nostep").toString(),
        "--mode", "fork")).isEqualTo(2);
    assertThat(Main.run("replay", "--from", from, "--out", temp.resolve("fork-nothing").toString(),
        "--mode", "fork", "--at-step", Integer.toString(STEPS))).isEqualTo(2);
    assertThat(temp.resolve("fork-nothing").resolve("run.conf")).doesNotExist();
  }

  /**
   * `eval` scores the run's last checkpoint per task type on a held-out suite, greedy and
   * sampled, and gives the same numbers when run again (its samples draw from seeded streams).
   */
  @Test
  void evalScoresTheLastCheckpointPerTaskTypeAndRepeatsItself() throws Exception {
    String run = temp.resolve("a").toString();
    JsonNode scored = replay("eval", "--run", run, "--suite", "heldout", "--programs", "6", "--samples", "2");
    assertThat(scored.get("checkpoint").asText()).isEqualTo(first.get(first.size() - 1).checkpoint());
    assertThat(scored.get("programs").asInt()).isPositive();
    assertThat(scored.get("tasks").asInt()).isEqualTo(3 * scored.get("programs").asInt());
    assertThat(scored.get("samples").asInt()).isEqualTo(2);
    for (String type : List.of("deduction", "abduction", "induction")) {
      assertThat(scored.get(type + "_tasks").asInt()).isEqualTo(scored.get("programs").asInt());
      JsonNode pass1 = scored.get(type + "_pass1");
      if (scored.get(type + "_fit").asInt() == 0) {
        assertThat(pass1.isNull()).as(type).isTrue();
      } else {
        assertThat(pass1.asDouble()).as(type).isBetween(0.0, 1.0);
        assertThat(scored.get(type + "_mean_accuracy").asDouble()).as(type).isBetween(0.0, 1.0);
      }
    }
    JsonNode again = replay("eval", "--run", run, "--suite", "heldout", "--programs", "6", "--samples", "2");
    ((ObjectNode) scored).remove("seconds");
    ((ObjectNode) again).remove("seconds");
    assertThat(again).isEqualTo(scored);
  }

  /**
   * `eval --tasks` takes any file in CRUXEval's format: each program a deduction and an
   * abduction task, those too long for the model's context counted and not scored, and no
   * induction (null); the base model is named by its hash in the run's blob store.
   */
  @Test
  void evalTakesCruxEvalFormatTasksAndCountsThoseThatDoNotFit() throws Exception {
    String longBody = "    y = x\n".repeat(40);
    Path tasks = temp.resolve("crux-format.jsonl");
    Files.writeString(tasks, String.join("\n",
        "{\"code\": \"def f(x):\\n    return x + 1\", \"input\": \"1\", \"output\": \"2\", \"id\": \"t0\"}",
        "{\"code\": \"def f(s):\\n    return s[::-1]\", \"input\": \"'ab'\", \"output\": \"'ba'\", \"id\": \"t1\"}",
        "{\"code\": \"def f(x):\\n" + longBody.replace("\n", "\\n") + "    return y\", \"input\": \"3\","
            + " \"output\": \"3\", \"id\": \"long\"}",
        "{\"code\": \"def f(x):\\n\\treturn x\", \"input\": \"1\", \"output\": \"1\", \"id\": \"tab\"}",
        ""));
    String baseCheckpoint = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(baseModels.cached(settings)));
    assertThat(new BlobStore(new RunDirectory(temp.resolve("a")).blobs()).contains(baseCheckpoint)).isTrue();
    JsonNode scored = replay("eval", "--run", temp.resolve("a").toString(), "--checkpoint", baseCheckpoint,
        "--tasks", tasks.toString(), "--samples", "1");
    assertThat(scored.get("checkpoint").asText()).isEqualTo(baseCheckpoint);
    // The long program does not fit the context; the tokenizer cannot write the tab.
    assertThat(scored.get("programs").asInt()).isEqualTo(4);
    assertThat(scored.get("tasks").asInt()).isEqualTo(8);
    assertThat(scored.get("fit").asInt()).isEqualTo(4);
    assertThat(scored.get("deduction_fit").asInt()).isEqualTo(2);
    assertThat(scored.get("abduction_fit").asInt()).isEqualTo(2);
    assertThat(scored.get("induction_tasks").asInt()).isZero();
    assertThat(scored.get("induction_pass1").isNull()).isTrue();
    assertThat(scored.get("deduction_pass1").asDouble()).isBetween(0.0, 1.0);
  }

  /** A broken tasks file, an unknown suite and an unknown checkpoint are refused in one line (exit 2). */
  @Test
  void evalRefusesBadInputInOneLine() throws Exception {
    Path broken = temp.resolve("broken.jsonl");
    Files.writeString(broken, "{\"code\": \"def f(x):\\n    return x\", \"input\": \"1\", \"output\": \"1\","
        + " \"id\": \"ok\"}\n{\"code\": 1\n");
    String run = temp.resolve("a").toString();
    assertThat(cliError("eval", "--run", run, "--tasks", broken.toString())).contains(broken.toString())
        .contains("2").doesNotContain("Exception");
    assertThat(cliError("eval", "--run", run, "--suite", "nope")).contains("--suite nope");
    assertThat(cliError("eval", "--run", run, "--suite", "heldout", "--checkpoint", "ab".repeat(32)))
        .contains("is in no blob store");
  }

  /** Runs the CLI in this JVM, expects exit code 2 (a user error) and returns what it printed to stderr. */
  private static String cliError(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = Main.run(args);
    } finally {
      System.setErr(original);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isEqualTo(2);
    assertThat(text.strip().lines().count()).as(text).isEqualTo(1);
    return text;
  }

  /** Runs the CLI in this JVM and reads the one JSON object it prints. */
  private static JsonNode replay(String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      exit = Main.run(args);
    } finally {
      System.setOut(original);
    }
    assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
  }

  /**
   * The same run with its journal in an external PostgreSQL (a server this test starts and
   * owns, as a cluster would run its own): the same metrics, replay finds the journal through
   * the URL recorded in the run directory, and a second run of the same name is refused.
   */
  @Test
  void aJournalInAnExternalPostgresGivesTheSameRun() throws Exception {
    try (EmbeddedPostgresServer external = EmbeddedPostgresServer.start(temp.resolve("external-db"))) {
      String url = external.jdbcUrl() + "?user=" + external.user();
      RunDirectory dir = new RunDirectory(temp.resolve("ext").resolve("a"));
      List<StepMetrics> metrics = LocalRun.train(dir, settings, baseModels, false, url, Observers.SILENT);
      assertThat(withoutWallTime(metrics)).isEqualTo(withoutWallTime(first));
      assertThat(dir.journal()).doesNotExist();
      assertThat(JournalStats.countEventsByType(external.jdbcUrl(), external.user(), external.password(),
          "TrainingRun|a")).containsEntry("PolicyUpdated", (long) STEPS);

      JsonNode rebuild = replay("replay", "--from", dir.root().toString(), "--out",
          temp.resolve("ext-rebuild").toString());
      assertThat(rebuild.get("metrics_match").asBoolean()).isTrue();

      JsonNode fork = replay("replay", "--from", dir.root().toString(), "--out",
          temp.resolve("ext").resolve("a-fork").toString(), "--mode", "fork", "--at-step", "2", "--journal-url", url);
      assertThat(fork.get("steps").asInt()).isEqualTo(STEPS);
      assertThat(fork.get("shared_prefix_matches").asBoolean()).isTrue();
      assertThat(JournalStats.countEventsByType(external.jdbcUrl(), external.user(), external.password(),
          "TrainingRun|a-fork")).containsEntry("RunForked", 1L).containsEntry("PolicyUpdated", (long) STEPS);
      JsonNode forkRebuild = replay("replay", "--from", temp.resolve("ext").resolve("a-fork").toString(), "--out",
          temp.resolve("ext-fork-rebuild").toString());
      assertThat(forkRebuild.get("metrics_match").asBoolean()).isTrue();

      RunDirectory sameName = new RunDirectory(temp.resolve("other").resolve("a"));
      assertThatThrownBy(
              () -> LocalRun.train(sameName, settings, baseModels, false, url, Observers.SILENT))
          .hasMessageContaining("already holds a run named 'a'");
    }
  }

  @Test
  void checkpointsAreStoredByContentHash() throws Exception {
    BlobStore blobs = new BlobStore(temp.resolve("a").resolve("blobs"));
    for (StepMetrics step : first) {
      assertThat(blobs.contains(step.checkpoint())).isTrue();
      assertThat(blobs.get(step.checkpoint())).isNotEmpty();
    }
  }

  @Test
  void theSameSeedGivesTheSameMetrics() throws Exception {
    List<StepMetrics> second =
        LocalRun.train(new RunDirectory(temp.resolve("b")), settings, baseModels, false, Observers.SILENT);
    assertThat(withoutWallTime(second)).isEqualTo(withoutWallTime(first));
  }

  /**
   * ONNX Runtime as the rollout engine, fed by the exporter: the first step samples from the
   * same base checkpoint with the same noise, so it proposes exactly what DJL proposed (same
   * tokens), and the run goes on through every phase.
   */
  @Test
  void theOnnxRolloutEngineRunsTheLoopAndProposesWhatDjlProposes() throws Exception {
    RunSettings onnx = tinySettings("inference.engine = onnx");
    List<StepMetrics> steps =
        LocalRun.train(new RunDirectory(temp.resolve("onnx")), onnx, baseModels, false, Observers.SILENT);
    assertThat(steps).hasSize(STEPS);
    StepMetrics djl = first.get(0);
    StepMetrics ort = steps.get(0);
    assertThat(ort.validTasks()).isEqualTo(djl.validTasks());
    assertThat(ort.invalidTasks()).isEqualTo(djl.invalidTasks());
    assertThat(ort.malformedProposals()).isEqualTo(djl.malformedProposals());
    assertThat(ort.rewardGenerator()).isEqualTo(djl.rewardGenerator());
    assertThat(ort.rewardSolver()).isEqualTo(djl.rewardSolver());
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static List<String> linesWithoutWallTime(Path metricsFile) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(metricsFile)) {
      ObjectNode node = (ObjectNode) json.readTree(line);
      node.remove("wall_s");
      nodes.add(node.toString());
    }
    return nodes;
  }

  static List<JsonNode> withoutWallTime(List<StepMetrics> metrics) {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> nodes = new ArrayList<>();
    for (StepMetrics step : metrics) {
      ObjectNode node = json.valueToTree(step.asJson());
      node.remove("wall_s");
      nodes.add(node);
    }
    return nodes;
  }
}
