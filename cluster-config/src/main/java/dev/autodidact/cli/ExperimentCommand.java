package dev.autodidact.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.StepMetrics;
import dev.autodidact.core.task.Task;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autodidact experiment ablation}: the paper's comparison in miniature. Trains every
 * variant ({@link Ablation#VARIANTS}) for each seed from the same base model, evaluates the
 * base model and every final checkpoint on each suite, and writes the results table
 * (Markdown and JSON) and a report with the paper's figures. Each run and each evaluation is
 * kept in --out as it ends, so a stopped experiment picks up where it was on the next call.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = {"Run an experiment. `ablation`: train the AZR-style baseline, full self-aware RL, and RL"
        + " without difficulty prediction, without limit breaking and with random selection, for each seed,"
        + " from the same base model; evaluate each on every suite; write results.md, results.json,"
        + " report.md and figures/*.png in --out. Runs already done in --out are kept, so the command resumes."})
final class ExperimentCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KIND", description = "ablation")
  String kind;

  @Option(names = "--seeds", defaultValue = "3", description = "seeds per variant, 1..S (default: ${DEFAULT-VALUE})")
  int seeds;

  @Option(names = "--steps", defaultValue = "20", description = "training steps per run (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--out", defaultValue = "runs/ablation", description = "directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--suites", split = ",", defaultValue = "heldout,ood,cruxeval",
      description = "evaluation suites (default: ${DEFAULT-VALUE})")
  List<String> suites = new ArrayList<>();

  @Option(names = "--programs", defaultValue = "100", description = "programs of each generated suite"
      + " (default: ${DEFAULT-VALUE})")
  int programs;

  @Option(names = "--samples", description = "sampled answers per evaluated task (default: tasks.rollouts)")
  Integer samples;

  @Option(names = "--limit", description = "cruxeval: only the first N programs")
  Integer limit;

  @Option(names = "--variants", split = ",", description = "only these variants (default: all)")
  List<String> variants = new ArrayList<>();

  @Option(names = "--eval-seed", defaultValue = "1000", description = "seed of the generated suites and of the"
      + " evaluation's samples, the same for every model (default: ${DEFAULT-VALUE})")
  long evalSeed;

  @Option(names = "--cruxeval", paramLabel = "DIR", description = "the CRUXEval data (default: found as for eval)")
  Path cruxeval;

  @Option(names = "--set", description = "a setting for every run, e.g. --set model.preset=tiny (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--allow-weak-sandbox-isolation", description = "see train")
  boolean allowWeakSandboxIsolation;

  @Override
  public Integer call() throws Exception {
    if (!kind.equals("ablation")) {
      throw new UserError("the only experiment is `ablation`, not '" + kind + "'");
    }
    if (seeds < 1 || steps < 1 || programs < 1 || (limit != null && limit < 1) || (samples != null && samples < 0)) {
      throw new UserError("--seeds, --steps, --programs and --limit must be at least 1, --samples at least 0");
    }
    for (String set : sets) {
      String key = set.contains("=") ? set.substring(0, set.indexOf('=')).strip() : set;
      for (Ablation.Variant variant : Ablation.VARIANTS) {
        if (variant.sets().stream().anyMatch(own -> own.startsWith(key + "="))) {
          throw new UserError("--set " + set + ": the ablation sets " + key + " itself (variant " + variant.name()
              + "); leave it out");
        }
      }
    }
    for (String suite : suites) {
      if (!EvalCommand.SUITES.contains(suite)) {
        throw new UserError("--suites: '" + suite + "' is not a suite; choose from " + String.join(", ",
            EvalCommand.SUITES));
      }
    }
    List<Ablation.Variant> chosen = Ablation.VARIANTS.stream()
        .filter(v -> variants.isEmpty() || variants.contains(v.name())).toList();
    if (chosen.size() < Math.max(1, variants.size())) {
      throw new UserError("--variants: choose from " + String.join(", ",
          Ablation.VARIANTS.stream().map(Ablation.Variant::name).toList()));
    }
    Files.createDirectories(out);
    Main.logTo(out.resolve("experiment.log"));
    requireSameExperiment();
    var flags = ConfigFactory.parseMap(Map.of("run.steps", steps, "sandbox.allow_weak_isolation",
        allowWeakSandboxIsolation));
    RunSettings common = Settings.load(null, sets, flags);
    SandboxPreflight.require(common.sandboxConfig());
    int k = samples != null ? samples : common.tasks().rollouts();
    BaseModels baseModels = new BaseModels(BaseModels.defaultHome());
    byte[] base = baseModels.obtain(common, new LocalRun.Observer() {});
    String baseHash = new BlobStore(out.resolve("blobs")).put(base);
    long started = System.nanoTime();

    // Every model is scored on the same tasks, built once (generated suites are validated in the sandbox).
    Map<String, List<Task>> suiteTasks = new LinkedHashMap<>();
    try (SandboxPool pool = SandboxPool.start(common.sandboxConfig())) {
      Verifier verifier = new Verifier(pool);
      for (String suite : suites) {
        suiteTasks.put(suite, EvalCommand.suiteTasks(suite, common, verifier, evalSeed, programs, limit, cruxeval));
      }
    }
    this.suiteTasks = suiteTasks;
    Map<String, Map<String, Object>> baseScores = new LinkedHashMap<>();
    for (String suite : suites) {
      baseScores.put(suite, evaluated(out.resolve("evals").resolve("base-" + suite + ".json"), common, baseHash, base,
          suite, k));
    }
    this.baseHash = baseHash;
    Map<String, List<RunResult>> results = new LinkedHashMap<>();
    for (Ablation.Variant variant : chosen) {
      List<RunResult> runs = new ArrayList<>();
      for (long seed : Ablation.seeds(seeds)) {
        runs.add(trainAndEvaluate(variant, seed, baseModels, k));
      }
      results.put(variant.name(), runs);
    }
    Map<String, Object> table = table(baseScores, results, chosen, k);
    List<AblationClaims.Claim> claims = claims(baseScores, results);
    table.put("claims", claims.stream().map(AblationClaims.Claim::asJson).toList());
    Files.writeString(out.resolve("results.json"), MetricsFiles.json(table) + "\n");
    Files.writeString(out.resolve("results.md"), markdown(table, chosen)
        + "## The paper's claims, checked\n\n" + AblationClaims.markdown(claims));
    List<Path> figures = AblationFigures.write(out.resolve("figures"), results);
    Files.writeString(out.resolve("report.md"), report(figures, chosen));
    Map<String, Object> printed = new LinkedHashMap<>();
    printed.put("out", out.toString());
    printed.put("runs", results.values().stream().mapToInt(List::size).sum());
    printed.put("results", out.resolve("results.md").toString());
    printed.put("report", out.resolve("report.md").toString());
    printed.put("seconds", (System.nanoTime() - started) / 1e9);
    spec.commandLine().getOut().println(MetricsFiles.json(printed));
    return 0;
  }

  private Map<String, List<Task>> suiteTasks;
  private String baseHash;

  /**
   * Refuses an --out that holds an experiment with other options: its runs and evaluations
   * would be reused as if they were this one's.
   */
  private void requireSameExperiment() throws IOException {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("steps", steps);
    options.put("set", sets);
    options.put("suites", suites);
    options.put("programs", programs);
    options.put("samples", samples);
    options.put("limit", limit);
    options.put("eval_seed", evalSeed);
    options.put("cruxeval", cruxeval == null ? null : cruxeval.toAbsolutePath().toString());
    String wanted = MetricsFiles.json(options) + "\n";
    Path file = out.resolve("experiment.json");
    if (Files.exists(file) && !Files.readString(file).equals(wanted)) {
      throw new UserError(out + " holds an experiment with other options (" + file + "); give the same options to"
          + " resume it, or another --out");
    }
    RunDirectory.writeAtomically(file, wanted);
  }

  /** One trained run: its per-step metrics, summary and evaluations per suite. */
  record RunResult(long seed, List<JsonNode> metrics, JsonNode summary, Map<String, Map<String, Object>> scores) {}

  private RunResult trainAndEvaluate(Ablation.Variant variant, long seed, BaseModels baseModels, int k)
      throws Exception {
    RunDirectory dir = new RunDirectory(out.resolve("runs").resolve(variant.name() + "-s" + seed));
    List<String> runSets = new ArrayList<>(sets);
    runSets.addAll(variant.sets());
    var flags = ConfigFactory.parseMap(Map.of("run.steps", steps, "run.seed", seed, "sandbox.allow_weak_isolation",
        allowWeakSandboxIsolation));
    RunSettings settings = Settings.load(null, runSets, flags);
    if (!Files.exists(dir.summary())) {
      spec.commandLine().getErr().println("autodidact: training " + dir.runId() + " (" + variant.description() + ")");
      LocalRun.train(dir, settings, baseModels, dir.holdsRun(), new LocalRun.Observer() {});
    }
    if (!new BlobStore(dir.blobs()).contains(baseHash)) {
      throw new UserError(dir.root() + " did not start from this experiment's base model " + baseHash
          + "; remove it to train it again");
    }
    List<JsonNode> metrics = new ArrayList<>();
    for (String line : Files.readAllLines(dir.metrics())) {
      if (!line.isBlank()) {
        metrics.add(MetricsFiles.JSON.readTree(line));
      }
    }
    String last = metrics.get(metrics.size() - 1).get("checkpoint").asText();
    byte[] checkpoint = new BlobStore(dir.blobs()).get(last);
    Map<String, Map<String, Object>> scores = new LinkedHashMap<>();
    for (String suite : suites) {
      scores.put(suite, evaluated(out.resolve("evals").resolve(dir.runId() + "-" + suite + ".json"), settings, last,
          checkpoint, suite, k));
    }
    return new RunResult(seed, metrics, MetricsFiles.JSON.readTree(dir.summary().toFile()), scores);
  }

  /** An evaluation, kept in {@code file}: done once, read back on later calls. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> evaluated(Path file, RunSettings settings, String hash, byte[] checkpoint, String suite,
      int k) throws IOException {
    if (Files.exists(file)) {
      return MetricsFiles.JSON.readValue(file.toFile(), Map.class);
    }
    List<Task> tasks = suiteTasks.get(suite);
    Map<String, Object> report = EvalCommand.evaluate(settings, hash, checkpoint, suite, verifier -> tasks, k,
        evalSeed);
    Files.createDirectories(file.getParent());
    RunDirectory.writeAtomically(file, MetricsFiles.json(report) + "\n");
    return report;
  }

  private static final List<String> SCORES = List.of("pass1", "deduction_pass1", "abduction_pass1", "induction_pass1");

  /** The results table: per variant and suite, each score's mean and spread over seeds, and vs the base model. */
  private Map<String, Object> table(Map<String, Map<String, Object>> baseScores,
      Map<String, List<RunResult>> results, List<Ablation.Variant> chosen, int k) {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("seeds", seeds);
    table.put("steps", steps);
    table.put("samples", k);
    table.put("eval_seed", evalSeed);
    table.put("settings", sets);
    Map<String, Object> base = new LinkedHashMap<>();
    for (String suite : suites) {
      Map<String, Object> scores = new LinkedHashMap<>();
      for (String score : SCORES) {
        scores.put(score, number(baseScores.get(suite).get(score)));
      }
      scores.put("fit", baseScores.get(suite).get("fit"));
      scores.put("tasks", baseScores.get(suite).get("tasks"));
      base.put(suite, scores);
    }
    table.put("base", base);
    Map<String, Object> variantsJson = new LinkedHashMap<>();
    for (Ablation.Variant variant : chosen) {
      List<RunResult> runs = results.get(variant.name());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("description", variant.description());
      row.put("sets", variant.sets());
      for (String suite : suites) {
        Map<String, Object> suiteRow = new LinkedHashMap<>();
        for (String score : SCORES) {
          Ablation.Spread spread = Ablation.Spread.of(runs.stream()
              .map(run -> number(run.scores().get(suite).get(score))).toList());
          Map<String, Object> cell = spread.asJson();
          cell.put("relative_improvement_over_base", Ablation.relativeImprovement(spread.mean(),
              number(baseScores.get(suite).get(score))));
          suiteRow.put(score, cell);
        }
        row.put(suite, suiteRow);
      }
      row.put("extra_data_ratio", Ablation.Spread.of(runs.stream()
          .map(run -> run.summary().path("extra_data_ratio").asDouble()).toList()).asJson());
      row.put("last_dp_accuracy", Ablation.Spread.of(runs.stream()
          .map(run -> run.summary().get("last_dp_accuracy")).map(ExperimentCommand::number).toList()).asJson());
      variantsJson.put(variant.name(), row);
    }
    table.put("variants", variantsJson);
    return table;
  }

  /** The paper's claims against this experiment's held-out scores and per-step metrics. */
  private List<AblationClaims.Claim> claims(Map<String, Map<String, Object>> baseScores,
      Map<String, List<RunResult>> results) {
    Map<String, List<Double>> heldout = new LinkedHashMap<>();
    Map<String, List<List<JsonNode>>> metrics = new LinkedHashMap<>();
    Map<String, List<Double>> extraData = new LinkedHashMap<>();
    for (Map.Entry<String, List<RunResult>> variant : results.entrySet()) {
      List<RunResult> runs = variant.getValue();
      if (baseScores.containsKey("heldout")) {
        heldout.put(variant.getKey(), runs.stream().map(run -> number(run.scores().get("heldout").get("pass1"))).toList());
      }
      metrics.put(variant.getKey(), runs.stream().map(RunResult::metrics).toList());
      extraData.put(variant.getKey(), runs.stream().map(run -> run.summary().path("extra_data_ratio").asDouble()).toList());
    }
    Double base = baseScores.containsKey("heldout") ? number(baseScores.get("heldout").get("pass1")) : null;
    return AblationClaims.check(base, heldout, metrics, extraData);
  }

  private static Double number(Object value) {
    if (value instanceof JsonNode node) {
      return node.isNumber() ? node.asDouble() : null;
    }
    return value instanceof Number n ? n.doubleValue() : null;
  }

  @SuppressWarnings("unchecked")
  private String markdown(Map<String, Object> table, List<Ablation.Variant> chosen) {
    StringBuilder md = new StringBuilder("# Ablation: self-aware RL against its parts\n\n");
    md.append(String.format(Locale.ROOT, "%d seed(s) x %d steps per variant, all from the same base model; pass@1"
        + " (greedy) over the tasks that fit the model's context, mean ± standard deviation over seeds;"
        + " in brackets the relative improvement over the base model. Settings for every run: %s.%n%n",
        seeds, steps, sets.isEmpty() ? "the defaults" : String.join(" ", sets)));
    Map<String, Object> base = (Map<String, Object>) table.get("base");
    Map<String, Object> rows = (Map<String, Object>) table.get("variants");
    for (String suite : suites) {
      Map<String, Object> baseSuite = (Map<String, Object>) base.get(suite);
      md.append("## ").append(suite).append(String.format(Locale.ROOT, " (%s of %s tasks fit)%n%n",
          baseSuite.get("fit"), baseSuite.get("tasks")));
      md.append("| model | all | deduction | abduction | induction | extra-data ratio |\n");
      md.append("|---|---|---|---|---|---|\n");
      md.append("| base model");
      for (String score : SCORES) {
        Object value = baseSuite.get(score);
        md.append(" | ").append(value == null ? "-" : String.format(Locale.ROOT, "%.3f", (Double) value));
      }
      md.append(" | 0 |\n");
      for (Ablation.Variant variant : chosen) {
        Map<String, Object> row = (Map<String, Object>) rows.get(variant.name());
        Map<String, Object> suiteRow = (Map<String, Object>) row.get(suite);
        md.append("| ").append(variant.name()).append(" (").append(variant.description()).append(")");
        for (String score : SCORES) {
          Map<String, Object> cell = (Map<String, Object>) suiteRow.get(score);
          Double mean = (Double) cell.get("mean");
          Double std = (Double) cell.get("std");
          Double relative = (Double) cell.get("relative_improvement_over_base");
          md.append(" | ").append(mean == null ? "-" : String.format(Locale.ROOT, "%.3f ± %.3f", mean, std));
          if (relative != null) {
            md.append(String.format(Locale.ROOT, " (%+.1f%%)", 100 * relative));
          }
        }
        Map<String, Object> extra = (Map<String, Object>) row.get("extra_data_ratio");
        md.append(String.format(Locale.ROOT, " | %.4f ± %.4f |%n", (Double) extra.get("mean"), (Double) extra.get("std")));
      }
      md.append('\n');
    }
    return md.toString();
  }

  private String report(List<Path> figures, List<Ablation.Variant> chosen) {
    StringBuilder md = new StringBuilder("# Ablation report\n\nThe table: [results.md](results.md)."
        + " Each curve is the mean over seeds of the runs' metrics.jsonl.\n\n");
    for (Ablation.Variant variant : chosen) {
      md.append("- `").append(variant.name()).append("`: ").append(variant.description())
          .append(variant.sets().isEmpty() ? "" : " (`" + String.join(" ", variant.sets()) + "`)").append('\n');
    }
    md.append('\n');
    for (Path figure : figures) {
      md.append("![").append(figure.getFileName()).append("](figures/").append(figure.getFileName()).append(")\n\n");
    }
    return md.toString();
  }
}
