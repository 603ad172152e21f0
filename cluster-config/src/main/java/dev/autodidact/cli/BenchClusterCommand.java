package dev.autodidact.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.VerifierWorker;
import dev.autodidact.actors.WorkQueue;
import dev.autodidact.persistence.proto.cluster.CheckDeduction;
import dev.autodidact.persistence.proto.cluster.Verdict;
import dev.autodidact.persistence.proto.cluster.VerificationJob;
import dev.autodidact.persistence.proto.cluster.VerificationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autodidact bench cluster}: verification throughput of 1, 2 and 3 verifier nodes, each
 * a JVM of its own started with {@code autodidact node --roles verifier}, pulling CRUXEval
 * deduction checks from a queue in this JVM over Akka's remoting on loopback. The one-node
 * throughput is the baseline; {@code scaling_efficiency} is each count's throughput over that
 * many times the baseline. All nodes share this machine's cores, which bounds the scaling.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = {"Start 1, 2 and 3 verifier nodes (separate JVMs) on this machine, run the same CRUXEval checks"
        + " through each cluster, and print one JSON object with checks/s per node count and scaling_efficiency.",
        "Progress goes to standard error."})
final class BenchClusterCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--cruxeval", paramLabel = "DIR", description = "the CRUXEval data (default: shared/data/cruxeval)")
  Path dir;

  @Option(names = "--checks", defaultValue = "600", description = "checks per node count (default: ${DEFAULT-VALUE})")
  int checks;

  @Option(names = "--max-nodes", defaultValue = "3", description = "largest node count (default: ${DEFAULT-VALUE})")
  int maxNodes;

  @Option(names = "--workers-per-node", defaultValue = "1",
      description = "sandbox processes per node (default: ${DEFAULT-VALUE})")
  int workersPerNode;

  @Option(names = "--allow-weak-sandbox-isolation",
      description = "let the nodes run checks where this host cannot jail them fully")
  boolean allowWeakIsolation;

  @Override
  public Integer call() throws Exception {
    if (checks < 10 || maxNodes < 1 || workersPerNode < 1) {
      throw new UserError("bench cluster needs --checks >= 10, --max-nodes >= 1 and --workers-per-node >= 1");
    }
    Path work = Files.createTempDirectory("autodidact-bench-cluster");
    Main.logTo(work.resolve("coordinator.log"));
    List<CruxEvalTask> tasks = CruxEvalData.load(CruxEvalData.locate(dir)).tasks();
    int cores = Runtime.getRuntime().availableProcessors();
    Double loadAtStart = BenchSandboxCommand.oneMinuteLoad();

    ActorSystem<WorkQueue.Command> coordinator = ActorSystem.create(
        VerifierWorker.queue(Duration.ofSeconds(30)), "autodidact",
        ClusterNodes.config(List.of("coordinator"), "127.0.0.1", 0, null).withFallback(ConfigFactory.load()));
    Cluster cluster = Cluster.get(coordinator);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    String seed = "127.0.0.1:" + cluster.selfMember().address().getPort().get();

    Map<String, Object> throughput = new LinkedHashMap<>();
    Map<String, Object> efficiency = new LinkedHashMap<>();
    List<Process> nodes = new ArrayList<>();
    double baseline = 0;
    int round = 0;
    try {
      for (int count = 1; count <= maxNodes; count++) {
        while (nodes.size() < count) {
          nodes.add(startNode(seed, work.resolve("node-" + nodes.size() + ".log")));
        }
        awaitWorkers(coordinator, count);
        // Warm every node's sandbox (process start, Python imports) before timing.
        run(coordinator, jobs(tasks, 4 * count * workersPerNode, "warm" + round++));
        List<VerificationJob> timed = jobs(tasks, checks, "r" + round++);
        long started = System.nanoTime();
        List<VerificationResult> results = run(coordinator, timed);
        double seconds = (System.nanoTime() - started) / 1e9;
        long correct = results.stream().filter(r -> r.getVerdict() == Verdict.CORRECT).count();
        if (correct != results.size()) {
          throw new IllegalStateException((results.size() - correct) + " of " + results.size()
              + " recorded CRUXEval outputs were not confirmed; the verifier nodes are broken (see " + work + ")");
        }
        double perSecond = timed.size() / seconds;
        if (count == 1) {
          baseline = perSecond;
        }
        throughput.put(Integer.toString(count), perSecond);
        efficiency.put(Integer.toString(count), perSecond / (count * baseline));
        System.err.printf("bench cluster: %d node(s): %.1f checks/s%n", count, perSecond);
      }
    } finally {
      for (Process node : nodes) {
        node.destroy(); // SIGTERM: the node hands back its leases and leaves
      }
      for (Process node : nodes) {
        if (!node.waitFor(30, TimeUnit.SECONDS)) {
          node.destroyForcibly();
        }
      }
      coordinator.terminate();
      coordinator.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("cores", cores);
    report.put("checks", checks);
    report.put("workers_per_node", workersPerNode);
    report.put("checks_per_s", throughput);
    report.put("scaling_efficiency", efficiency);
    report.put("load_average", BenchSandboxCommand.loadAverage(loadAtStart, BenchSandboxCommand.oneMinuteLoad()));
    report.put("logs", work.toString());
    report.put("note", "each node is a JVM of its own (autodidact node --roles verifier) with --workers-per-node"
        + " sandbox processes, pulling jobs over Akka remoting on loopback from a queue in the bench's JVM; a check"
        + " is a CRUXEval program run on its input, compared with the benchmark's output; checks_per_s counts"
        + " from submitting all checks to the last result, after a warm-up round; scaling_efficiency is"
        + " checks_per_s over node count x the one-node rate, and all nodes share this machine's cores");
    spec.commandLine().getOut().println(MetricsFiles.json(report));
    return 0;
  }

  /** A deduction check per task, cycling through the tasks: the recorded output must be confirmed. */
  static List<VerificationJob> jobs(List<CruxEvalTask> tasks, int count, String round) {
    List<VerificationJob> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CruxEvalTask task = tasks.get(i % tasks.size());
      jobs.add(VerificationJob.newBuilder().setJobId(round + "/" + i).setDeduction(CheckDeduction.newBuilder()
          .setProgram(task.code()).setInput(task.input()).setAnswer(task.output())).build());
    }
    return jobs;
  }

  private Process startNode(String seed, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-Dai.djl.offline=true",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "node", "--roles", "verifier",
        "--seed", seed, "--log", log.toString(),
        "--set", "sandbox.workers=" + workersPerNode, "--set", "sandbox.min_workers=" + workersPerNode));
    if (allowWeakIsolation) {
      command.add("--allow-weak-sandbox-isolation");
    }
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".out").toFile()))
        .start();
  }

  private static List<VerificationResult> run(ActorSystem<WorkQueue.Command> queue, List<VerificationJob> jobs)
      throws Exception {
    return AskPattern.<WorkQueue.Command, List<VerificationResult>>ask(queue,
        replyTo -> new WorkQueue.Submit<>(jobs, replyTo), Duration.ofMinutes(30), queue.scheduler())
        .toCompletableFuture().get(31, TimeUnit.MINUTES);
  }

  private static void awaitWorkers(ActorSystem<WorkQueue.Command> queue, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (stats(queue).workers() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + stats(queue).workers() + " of " + count
            + " verifier nodes joined within 2 minutes; see their logs");
      }
      Thread.sleep(200);
    }
  }

  static WorkQueue.Stats stats(ActorSystem<WorkQueue.Command> queue) {
    return AskPattern.<WorkQueue.Command, WorkQueue.Stats>ask(queue, WorkQueue.GetStats::new,
        Duration.ofSeconds(10), queue.scheduler()).toCompletableFuture().join();
  }
}
