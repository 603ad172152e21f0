package dev.autodidact.cli;

import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.StepMetrics;
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
 * {@code autodidact bench journal}: what event sourcing costs a training step. The same steps
 * (same seed, so the same work) run with the PostgreSQL journal and with Akka's in-memory
 * journal, alternating, and the step times are compared. Since the machine's speed drifts by
 * more than the journal costs, the time each step waited on its journal writes is also
 * measured directly, which is the sharper number.
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = {"Run the same training steps with the embedded PostgreSQL journal and with an in-memory"
        + " journal, and print one JSON object: median step time of each, their ratio, and the share of each"
        + " step spent waiting on journal writes (budget: 5%).",
        "Progress goes to standard error."})
final class BenchJournalCommand implements Callable<Integer> {
  static final double BUDGET = 0.05;

  @Spec
  CommandSpec spec;

  @Option(names = "--steps", defaultValue = "6", description = "steps per run (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--repeats", defaultValue = "2",
      description = "runs per journal, alternating PostgreSQL and in-memory (default: ${DEFAULT-VALUE})")
  int repeats;

  @Option(names = "--set", description = "override one setting, as in train (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--quick", description = "the tiny model and small batches: a fast, rough variant")
  boolean quick;

  @Option(names = "--work-dir", description = "where the runs go (default: a temporary directory, deleted after)")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    if (steps < 2 || repeats < 1) {
      throw new UserError("bench journal needs --steps of at least 2 (the first step also starts the actors)"
          + " and --repeats of at least 1");
    }
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("run.steps", steps);
    if (quick) {
      flags.put("model.preset", "tiny");
      flags.put("tasks.batch_per_type", 2);
      flags.put("tasks.rollouts", 4);
      flags.put("tasks.seed_tasks_per_type", 2);
      flags.put("pretrain.corpus_programs", 40);
      flags.put("pretrain.steps", 12);
      flags.put("pretrain.batch", 8);
      flags.put("pretrain.warmup_steps", 2);
    }
    RunSettings settings = Settings.load(null, sets, ConfigFactory.parseMap(flags));
    SandboxPreflight.require(settings.sandboxConfig());
    BaseModels baseModels = new BaseModels(BaseModels.defaultHome());
    boolean temporary = workDir == null;
    Path root = temporary ? Files.createTempDirectory("autodidact-bench-journal") : workDir;
    Files.createDirectories(root);
    Main.logTo(root.resolve("bench.log"));

    List<Double> postgresSteps = new ArrayList<>();
    List<Double> memorySteps = new ArrayList<>();
    List<Double> journalWaits = new ArrayList<>();
    List<Double> memoryWaits = new ArrayList<>();
    List<String> checkpoints = new ArrayList<>();
    try {
      for (int repeat = 0; repeat < repeats; repeat++) {
        // Alternate the order so that a drift in the machine's speed favours neither side.
        boolean postgresFirst = repeat % 2 == 0;
        for (boolean postgres : postgresFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
          String name = (postgres ? "postgres-" : "memory-") + repeat;
          System.err.printf("bench journal: %s, %d steps%n", name, steps);
          StepTimer timer = new StepTimer();
          RunDirectory dir = new RunDirectory(root.resolve(name));
          List<StepMetrics> metrics = postgres
              ? LocalRun.train(dir, settings, baseModels, false, timer)
              : LocalRun.trainInMemory(dir, settings, baseModels, timer);
          checkpoints.add(metrics.get(metrics.size() - 1).checkpoint());
          (postgres ? postgresSteps : memorySteps).addAll(timer.stepSeconds);
          (postgres ? journalWaits : memoryWaits).addAll(timer.journalSeconds);
        }
      }
    } finally {
      if (temporary) {
        deleteTree(root);
      }
    }
    double postgresStep = median(postgresSteps);
    double memoryStep = median(memorySteps);
    // The wait on the in-memory journal is what persisting costs without a database (Akka's
    // round trip, applying the event): the journal's own share is the difference.
    double journalWait = median(journalWaits) - median(memoryWaits);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("steps", steps);
    report.put("repeats", repeats);
    report.put("model", settings.modelPreset());
    report.put("step_seconds_postgres", postgresStep);
    report.put("step_seconds_in_memory", memoryStep);
    report.put("overhead_vs_in_memory", postgresStep / memoryStep - 1);
    report.put("journal_wait_seconds_per_step", journalWait);
    report.put("persist_wait_seconds_per_step_postgres", median(journalWaits));
    report.put("persist_wait_seconds_per_step_in_memory", median(memoryWaits));
    report.put("journal_share_of_step", journalWait / postgresStep);
    report.put("budget", BUDGET);
    report.put("within_budget", journalWait / postgresStep <= BUDGET);
    report.put("same_work", checkpoints.stream().distinct().count() == 1);
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("note", "step times are the medians of the intervals between finished steps, the first step of"
        + " each run excluded (it starts the actors); persist_wait is the time from each persist to its"
        + " confirmation, summed over a step's events (the run does nothing else meanwhile), and journal_wait is"
        + " PostgreSQL's minus the in-memory journal's (serialising, writing, committing); overhead_vs_in_memory"
        + " compares runs and carries the machine's drift, journal_share_of_step does not; same_work: every run"
        + " ended with the same checkpoint");
    spec.commandLine().getOut().println(MetricsFiles.json(report));
    return 0;
  }

  /** Best effort: a benchmark's scratch runs are not worth failing over. */
  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("bench journal: could not delete " + root + ": " + e.getMessage());
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Step durations from the intervals between finished steps, and each step's journal wait. */
  private static final class StepTimer implements LocalRun.Observer {
    final List<Double> stepSeconds = new ArrayList<>();
    final List<Double> journalSeconds = new ArrayList<>();
    private long lastStepNanos;

    @Override
    public void stepFinished(StepMetrics metrics) {
      long now = System.nanoTime();
      if (lastStepNanos != 0) {
        stepSeconds.add((now - lastStepNanos) / 1e9);
      }
      lastStepNanos = now;
    }

    @Override
    public void stepJournaled(long step, double seconds) {
      if (step > 1) {
        journalSeconds.add(seconds);
      }
    }
  }
}
