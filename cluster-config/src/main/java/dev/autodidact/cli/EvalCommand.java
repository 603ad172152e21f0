package dev.autodidact.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.Evaluation;
import dev.autodidact.actors.Pretraining;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.task.Task;
import dev.autodidact.core.task.TaskType;
import dev.autodidact.core.world.Difficulty;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.persistence.BlobStore;
import dev.autodidact.sandbox.SandboxPool;
import dev.autodidact.sandbox.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autodidact eval}: a policy's accuracy per task type on a suite, greedy (pass@1) and
 * sampled (mean accuracy over K answers), verified by the sandbox. Prints one JSON object.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Evaluate a checkpoint on a task suite: pass@1 with greedy decoding and mean accuracy over"
        + " --samples answers per task, per task type, every answer run in the sandbox. Prints one JSON object.",
        "Suites: heldout (the training distribution, from random streams training never draws), ood (longer,"
            + " deeper programs), cruxeval (the CRUXEval programs: deduction and abduction). --tasks FILE takes"
            + " CRUXEval-format lines {\"code\", \"input\", \"output\", \"id\"}. Tasks that do not fit the model's"
            + " context are counted (fit) and not scored."})
final class EvalCommand implements Callable<Integer> {

  static final List<String> SUITES = List.of("heldout", "ood", "cruxeval");

  @Spec
  CommandSpec spec;

  static final class Model {
    @Option(names = "--checkpoint", paramLabel = "HASH_OR_PATH", description = "a checkpoint file, a checkpoint's"
        + " SHA-256 in --run's or the base-model cache's blob store, or `base`: the cached base model of the settings")
    String checkpoint;

    @Option(names = "--run", paramLabel = "DIR", description = "a run directory: its settings, and its last"
        + " step's checkpoint unless --checkpoint names another")
    Path run;
  }

  @ArgGroup(exclusive = false, multiplicity = "1")
  Model model = new Model();

  static final class Source {
    @Option(names = "--suite", description = "heldout, ood or cruxeval")
    String suite;

    @Option(names = "--tasks", paramLabel = "FILE", description = "CRUXEval-format JSON lines: deduction (predict"
        + " the output) and abduction (find an input) for each")
    Path tasks;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source = new Source();

  @Option(names = "--samples", description = "sampled answers per task, K (default: the settings' tasks.rollouts)")
  Integer samples;

  @Option(names = "--programs", defaultValue = "100", description = "heldout and ood: programs to generate (each"
      + " gives a deduction, an abduction and an induction task once validated; default: ${DEFAULT-VALUE})")
  int programs;

  @Option(names = "--limit", description = "cruxeval and --tasks: only the first N programs")
  Integer limit;

  @Option(names = "--seed", description = "seed of the generated suites and of the samples (default: the run's)")
  Long seed;

  @Option(names = "--cruxeval", paramLabel = "DIR", description = "the CRUXEval data (default: shared/data/cruxeval"
      + " beside the working directory or above)")
  Path cruxeval;

  @Option(names = "--set", description = "override one setting, e.g. --set tasks.temperature=0.8 (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--allow-weak-sandbox-isolation",
      description = "run generated programs even where this host cannot jail them fully (see train)")
  boolean allowWeakSandboxIsolation;

  @Override
  public Integer call() throws Exception {
    Main.logTo(BaseModels.defaultHome().resolve("autodidact.log"));
    if (source.suite != null && !SUITES.contains(source.suite)) {
      throw new UserError("--suite " + source.suite + " is not a suite; choose one of " + String.join(", ", SUITES));
    }
    if (samples != null && samples < 0) {
      throw new UserError("--samples must be 0 or more, not " + samples);
    }
    if (programs < 1 || (limit != null && limit < 1)) {
      throw new UserError("--programs and --limit must be at least 1");
    }
    RunDirectory run = model.run == null ? null : new RunDirectory(model.run);
    if (run != null && !run.holdsRun()) {
      throw new UserError(run.root() + " holds no run (no run.conf); give a train or replay --out directory");
    }
    var flags = allowWeakSandboxIsolation
        ? ConfigFactory.parseString("sandbox.allow_weak_isolation = true") : ConfigFactory.empty();
    RunSettings settings;
    try {
      settings = run != null ? Settings.recorded(run).withOverrides(Settings.overrides(sets).withFallback(flags))
          : Settings.load(null, sets, flags);
    } catch (RunSettings.InvalidSettings e) {
      throw new UserError("invalid settings: " + e.getMessage());
    }
    SandboxPreflight.require(settings.sandboxConfig());
    int k = samples != null ? samples : settings.tasks().rollouts();
    long evalSeed = seed != null ? seed : settings.seed();

    Checkpoint checkpoint = checkpoint(run, settings);
    String suiteName = source.suite != null ? source.suite : source.tasks.toString();
    Map<String, Object> report = evaluate(settings, checkpoint.hash(), checkpoint.bytes(), suiteName,
        verifier -> tasks(settings, verifier, evalSeed), k, evalSeed);
    spec.commandLine().getOut().println(MetricsFiles.json(report));
    return 0;
  }

  /** Builds a suite's tasks; it may run programs in the sandbox (to validate generated ones). */
  @FunctionalInterface
  interface Suite {
    List<Task> tasks(Verifier verifier) throws IOException;
  }

  /**
   * Evaluates a checkpoint on a suite and returns the report `eval` prints: per type, pass@1
   * and mean accuracy over {@code k} samples, of the tasks that fit the model's context.
   */
  static Map<String, Object> evaluate(RunSettings settings, String hash, byte[] checkpoint, String suiteName,
      Suite suite, int k, long evalSeed) throws IOException {
    long started = System.nanoTime();
    List<Evaluation.TaskResult> results;
    int sourcePrograms;
    try (SandboxPool pool = SandboxPool.start(settings.sandboxConfig());
        Policy policy = Policies.restore(checkpoint, settings.threads())) {
      Verifier verifier = new Verifier(pool);
      List<Task> tasks = suite.tasks(verifier);
      sourcePrograms = (int) tasks.stream().map(Task::program).distinct().count();
      results = Evaluation.evaluate(policy, tasks, settings, verifier, k, evalSeed, settings.inference().maxBatch());
    }
    Map<TaskType, Evaluation.TypeScore> scores = Evaluation.scores(results);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("suite", suiteName);
    report.put("checkpoint", hash);
    report.put("programs", sourcePrograms);
    report.put("tasks", results.size());
    report.put("fit", results.stream().filter(Evaluation.TaskResult::fit).count());
    report.put("samples", k);
    for (TaskType type : TaskType.values()) {
      Evaluation.TypeScore score = scores.get(type);
      String name = type.name().toLowerCase(Locale.ROOT);
      report.put(name + "_tasks", score == null ? 0 : score.tasks());
      report.put(name + "_fit", score == null ? 0 : score.fit());
      report.put(name + "_pass1", score == null ? null : score.pass1());
      report.put(name + "_mean_accuracy", score == null ? null : score.meanAccuracy());
    }
    List<Evaluation.TaskResult> fit = results.stream().filter(Evaluation.TaskResult::fit).toList();
    // Over every task that fits, whatever its type: the single number an ablation table compares.
    report.put("pass1", fit.isEmpty() ? null
        : (double) fit.stream().filter(Evaluation.TaskResult::greedyCorrect).count() / fit.size());
    report.put("seed", evalSeed);
    report.put("seconds", (System.nanoTime() - started) / 1e9);
    return report;
  }

  private record Checkpoint(String hash, byte[] bytes) {}

  /** The checkpoint to evaluate, from --checkpoint or --run's last step. */
  private Checkpoint checkpoint(RunDirectory run, RunSettings settings) throws IOException {
    String given = model.checkpoint;
    if (given == null) {
      String last = lastCheckpoint(run);
      return new Checkpoint(last, new BlobStore(run.blobs()).get(last));
    }
    if (given.equals("base")) {
      byte[] base = new BaseModels(BaseModels.defaultHome()).cached(settings);
      if (base == null) {
        throw new UserError("no base model is cached for these settings; make one with: autodidact pretrain"
            + (sets.isEmpty() ? "" : " --set ..."));
      }
      return new Checkpoint(sha256(base), base);
    }
    Path file = Path.of(given);
    if (Files.isRegularFile(file)) {
      byte[] bytes = Files.readAllBytes(file);
      return new Checkpoint(sha256(bytes), bytes);
    }
    if (!given.matches("[0-9a-f]{64}")) {
      throw new UserError("--checkpoint " + given + " is neither a file nor a checkpoint's SHA-256 (64 hex digits)");
    }
    List<BlobStore> stores = new ArrayList<>();
    if (run != null) {
      stores.add(new BlobStore(run.blobs()));
    }
    stores.add(new BlobStore(BaseModels.defaultHome().resolve("blobs")));
    for (BlobStore store : stores) {
      if (store.contains(given)) {
        return new Checkpoint(given, store.get(given));
      }
    }
    throw new UserError("checkpoint " + given + " is in no blob store here (" + (run != null ? run.blobs() + ", " : "")
        + BaseModels.defaultHome().resolve("blobs") + "); give --run DIR or the checkpoint's file");
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static String lastCheckpoint(RunDirectory run) throws IOException {
    if (!Files.exists(run.metrics())) {
      throw new UserError(run.root() + " has no finished step (no metrics.jsonl); give --checkpoint");
    }
    List<String> lines = Files.readAllLines(run.metrics()).stream().filter(line -> !line.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new UserError(run.root() + " has no finished step (metrics.jsonl is empty); give --checkpoint");
    }
    JsonNode last = MetricsFiles.JSON.readTree(lines.get(lines.size() - 1));
    return last.path("checkpoint").asText();
  }

  private List<Task> tasks(RunSettings settings, Verifier verifier, long evalSeed) throws IOException {
    if (source.tasks != null) {
      if (!Files.isRegularFile(source.tasks)) {
        throw new UserError("--tasks " + source.tasks + " is not a file");
      }
      return cruxEvalTasks(limited(CruxEvalData.readTasks(source.tasks), limit, source.tasks.toString()));
    }
    return suiteTasks(source.suite, settings, verifier, evalSeed, programs, limit, cruxeval);
  }

  /** A built-in suite's tasks: heldout, ood or cruxeval. */
  static List<Task> suiteTasks(String suite, RunSettings settings, Verifier verifier, long evalSeed, int programs,
      Integer limit, Path cruxeval) throws IOException {
    return switch (suite) {
      // Phase HELDOUT is drawn by no part of training, and programs training was given anyway
      // (the same text can come from two streams) are left out: these programs are new to the policy.
      case "heldout" -> withoutTrainingPrograms(settings, Pretraining.validatedTasks(verifier,
          settings.corpusDifficulty(), evalSeed, 0, Phase.HELDOUT, programs, "heldout-"));
      // Only programs longer than any the corpus's grammar allows: the ranges of the two
      // grammars overlap, and a short one could have come from training's distribution.
      case "ood" -> Pretraining.validatedTasks(verifier, Difficulty.outOfDistribution(settings.corpusDifficulty()),
              evalSeed, 1, Phase.HELDOUT, programs, "ood-").stream()
          .filter(task -> task.program().length() > settings.corpusDifficulty().maxProgramChars()).toList();
      case "cruxeval" -> cruxEvalTasks(limited(CruxEvalData.readTasks(
          CruxEvalData.locate(cruxeval).resolve(CruxEvalData.TASKS_FILE)), limit, "the CRUXEval file"));
      default -> throw new UserError("--suite " + suite + " is not a suite; choose one of " + String.join(", ", SUITES));
    };
  }

  private static List<Task> withoutTrainingPrograms(RunSettings settings, List<Task> tasks) {
    java.util.Set<String> seen = Pretraining.trainingPrograms(settings);
    return tasks.stream().filter(task -> !seen.contains(task.program())).toList();
  }

  private static List<CruxEvalTask> limited(List<CruxEvalTask> tasks, Integer limit, String where) {
    if (tasks.isEmpty()) {
      throw new UserError(where + " holds no task");
    }
    return limit == null ? tasks : tasks.subList(0, Math.min(limit, tasks.size()));
  }

  /** Each CRUXEval program as a deduction task (predict the output) and an abduction task (find an input). */
  static List<Task> cruxEvalTasks(List<CruxEvalTask> programs) {
    List<Task> tasks = new ArrayList<>(2 * programs.size());
    for (CruxEvalTask program : programs) {
      String code = program.code().endsWith("\n") ? program.code() : program.code() + "\n";
      tasks.add(new Task(program.id() + "-D", TaskType.DEDUCTION, code, List.of(program.input()),
          List.of(program.output()), "", -1));
      tasks.add(new Task(program.id() + "-A", TaskType.ABDUCTION, code, List.of(program.input()),
          List.of(program.output()), "", -1));
    }
    return tasks;
  }
}
