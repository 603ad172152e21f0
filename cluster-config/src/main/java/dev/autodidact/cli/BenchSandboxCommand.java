package dev.autodidact.cli;

import dev.autodidact.sandbox.ExecResult;
import dev.autodidact.sandbox.SandboxConfig;
import dev.autodidact.sandbox.SandboxPool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autodidact bench sandbox}: check throughput of the sandbox pool against two baselines
 * measured in the same run on the same CRUXEval checks: a fresh Python process per check (the
 * benchmark's own evaluator design) and plain exec() in unisolated processes (the upper bound).
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = {"Measure checks per second of the sandbox pool, of a fresh python3 process per check (CRUXEval's"
        + " evaluator design) and of unisolated in-process exec() (the upper bound), on the same CRUXEval checks"
        + " (answers the benchmark judged correct), and print one JSON object.",
        "Progress goes to standard error."})
final class BenchSandboxCommand implements Callable<Integer> {
  /** The pool's workers get this hash seed; the baselines get it too, so verdicts compare like for like. */
  static final Map<String, String> BASELINE_ENVIRONMENT = Map.of("PYTHONHASHSEED", "0");
  static final Duration CHECK_TIMEOUT = Duration.ofMillis(PoolOptions.DEFAULT_TIMEOUT_MS);
  private static final int MAX_LISTED_MISMATCHES = 20;

  @Spec
  CommandSpec spec;

  @Option(names = "--cruxeval", paramLabel = "DIR",
      description = "the CRUXEval data (default: shared/data/cruxeval beside the working directory or above)")
  Path dir;

  @Option(names = "--checks", paramLabel = "N", description = "checks for the pool and the in-process bound (default: ${DEFAULT-VALUE})")
  int checks = 2000;

  @Option(names = "--fresh-checks", paramLabel = "N",
      description = "of those, checks for the slow fresh-process baseline (default: ${DEFAULT-VALUE})")
  int freshChecks = 200;

  @Option(names = "--allow-weak-sandbox-isolation",
      description = "measure the pool even where this host cannot apply every layer of the sandbox's jail")
  boolean allowWeakIsolation;

  @Override
  public Integer call() throws Exception {
    Main.logTo(BaseModels.defaultHome().resolve("autodidact.log"));
    if (checks <= 0 || freshChecks <= 0 || freshChecks > checks) {
      throw new UserError("need 0 < --fresh-checks <= --checks, got " + freshChecks + " and " + checks);
    }
    List<RecordedAnswer> correct = CruxEvalData.load(CruxEvalData.locate(dir)).recordedPasses();
    List<RecordedAnswer> sample = spread(correct, checks);
    List<Integer> freshPositions = spreadPositions(sample.size(), freshChecks);
    List<String> programs = sample.stream().map(answer -> answer.checkProgram().orElseThrow()).toList();
    List<String> freshPrograms = freshPositions.stream().map(programs::get).toList();
    int cores = Runtime.getRuntime().availableProcessors();
    Path python = SandboxConfig.DEBIAN_PYTHON;

    Double loadAtStart = oneMinuteLoad();
    PoolRun pool = runPool(programs, cores, allowWeakIsolation);
    System.err.printf("pool: %d checks in %.2f s%n", programs.size(), pool.run().seconds());
    DesignRun unsafe = UnsafeInProcessChecks.run(python, BASELINE_ENVIRONMENT, programs, cores);
    System.err.printf("unsafe in-process: %d checks in %.3f s of exec loops%n", programs.size(), unsafe.seconds());
    DesignRun fresh = FreshProcessChecks.run(python, BASELINE_ENVIRONMENT, freshPrograms, cores, CHECK_TIMEOUT);
    System.err.printf("fresh process: %d checks in %.2f s%n", freshPrograms.size(), fresh.seconds());
    Double loadAtEnd = oneMinuteLoad();

    List<Map<String, Object>> mismatches = mismatches(sample, freshPositions, pool.run(), unsafe, fresh);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("pool_per_s", pool.run().checksPerSecond());
    report.put("fresh_process_per_s", fresh.checksPerSecond());
    report.put("unsafe_inprocess_per_s", unsafe.checksPerSecond());
    report.put("speedup_vs_fresh", pool.run().checksPerSecond() / fresh.checksPerSecond());
    report.put("fraction_of_unsafe", pool.run().checksPerSecond() / unsafe.checksPerSecond());
    report.put("verdicts_agree", mismatches.isEmpty());
    report.put("verdict_mismatches", mismatches.subList(0, Math.min(mismatches.size(), MAX_LISTED_MISMATCHES)));
    report.put("load_average", loadAverage(loadAtStart, loadAtEnd));
    report.put("cores", cores);
    report.put("workers", cores);
    report.put("checks", programs.size());
    report.put("checks_source", programs.size() + " spread evenly over the " + correct.size() + " CRUXEval answers"
        + " (CodeLlama-7B, output and input prediction) that the benchmark judged correct, in data order;"
        + " a check is code + assert output == answer");
    report.put("pool_checks", programs.size());
    report.put("pool_wall_s", pool.run().seconds());
    report.put("pool_passed", pool.run().passes());
    report.put("pool_warmup_checks", pool.warmupChecks());
    report.put("pool_timed_passes", TIMED_PASSES);
    report.put("pool_isolation", pool.isolation());
    report.put("fresh_process_checks", freshPrograms.size());
    report.put("fresh_process_wall_s", fresh.seconds());
    report.put("fresh_process_passed", fresh.passes());
    report.put("fresh_process_note", "a subset of the same checks, spread evenly, because a process per check is"
        + " slow; " + cores + " processes at a time, 3 s limit each");
    report.put("unsafe_inprocess_checks", programs.size());
    report.put("unsafe_inprocess_exec_s", unsafe.seconds());
    report.put("unsafe_inprocess_passed", unsafe.passes());
    report.put("unsafe_inprocess_note", cores + " python3 processes exec() their share in a loop; only the loops are"
        + " timed (the slowest one's), process start and data transfer excluded");
    report.put("python", python.toString());
    report.put("hash_seed", 0);
    spec.commandLine().getOut().println(MetricsFiles.json(report));
    return 0;
  }

  record PoolRun(DesignRun run, int warmupChecks, String isolation) {}

  /** Timed passes of the pool over the checks; the median is reported. */
  static final int TIMED_PASSES = 3;

  /**
   * workers = cores; a warm-up pass over all the checks first (not timed: it lets the JIT
   * compile the pool's Java side, as the in-process bound times only its warm loops), then
   * {@link #TIMED_PASSES} timed passes, each submitting all checks at once; the median pass
   * is reported.
   */
  private static PoolRun runPool(List<String> programs, int cores, boolean allowWeakIsolation) {
    SandboxConfig config = SandboxConfig.defaults().withWorkers(cores).withTimeout(CHECK_TIMEOUT)
        .withAllowWeakIsolation(allowWeakIsolation);
    try (SandboxPool pool = PoolOptions.start(config)) {
      passes(pool, programs);
      List<DesignRun> timed = new ArrayList<>();
      for (int pass = 0; pass < TIMED_PASSES; pass++) {
        long start = System.nanoTime();
        List<Boolean> passed = passes(pool, programs);
        timed.add(new DesignRun(passed, (System.nanoTime() - start) / 1e9));
      }
      timed.sort(java.util.Comparator.comparingDouble(DesignRun::seconds));
      return new PoolRun(timed.get(timed.size() / 2), programs.size(), pool.isolation().describe());
    }
  }

  private static List<Boolean> passes(SandboxPool pool, List<String> programs) {
    List<CompletableFuture<ExecResult>> outcomes = new ArrayList<>(programs.size());
    for (String program : programs) {
      outcomes.add(pool.evaluate(program, "None"));
    }
    return outcomes.stream().map(outcome -> outcome.join().ok()).toList();
  }

  /** {@code count} items spread evenly over the list, in order (repeating items when there are fewer). */
  static <T> List<T> spread(List<T> items, int count) {
    return spreadPositions(items.size(), count).stream().map(items::get).toList();
  }

  static List<Integer> spreadPositions(int size, int count) {
    List<Integer> positions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      positions.add((int) ((long) i * size / count));
    }
    return positions;
  }

  /** Checks on which the designs that ran them disagree. */
  static List<Map<String, Object>> mismatches(List<RecordedAnswer> sample, List<Integer> freshPositions,
      DesignRun pool, DesignRun unsafe, DesignRun fresh) {
    Map<Integer, Boolean> freshByPosition = new LinkedHashMap<>();
    for (int i = 0; i < freshPositions.size(); i++) {
      freshByPosition.put(freshPositions.get(i), fresh.passed().get(i));
    }
    List<Map<String, Object>> mismatches = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      Boolean freshVerdict = freshByPosition.get(i);
      boolean agree = pool.passed().get(i).equals(unsafe.passed().get(i))
          && (freshVerdict == null || freshVerdict.equals(pool.passed().get(i)));
      if (!agree) {
        Map<String, Object> mismatch = new LinkedHashMap<>();
        mismatch.put("id", sample.get(i).id());
        mismatch.put("pool", pool.passed().get(i));
        mismatch.put("unsafe_inprocess", unsafe.passed().get(i));
        mismatch.put("fresh_process", freshVerdict);
        mismatches.add(mismatch);
      }
    }
    return mismatches;
  }

  static Map<String, Object> loadAverage(Double start, Double end) {
    Map<String, Object> load = new LinkedHashMap<>();
    load.put("start_1min", start);
    load.put("end_1min", end);
    return load;
  }

  /** The 1-minute load average from /proc/loadavg; null where there is none. */
  static Double oneMinuteLoad() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
