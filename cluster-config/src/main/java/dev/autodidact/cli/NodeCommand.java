package dev.autodidact.cli;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.RolloutWorker;
import dev.autodidact.actors.RunNode;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.VerifierWorker;
import dev.autodidact.persistence.Blobs;
import dev.autodidact.persistence.ExternalPostgres;
import dev.autodidact.persistence.PostgresBlobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autodidact node}: one member of a cluster, until it is stopped. A verifier node offers
 * its sandbox pool to every run's verification queue in the cluster; SIGTERM (or Ctrl-C) makes
 * it hand back its unfinished jobs and leave; SIGKILL loses its leases, which other nodes take.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Start a cluster node with the given roles and join the cluster at --seed (or start a new"
        + " cluster). Prints one line with its address once it is up, then runs until stopped.",
        "Built roles: verifier, rollout. The coordinator and learner roles run inside `train --cluster` for now."})
final class NodeCommand implements Callable<Integer> {

  static final List<String> BUILT_ROLES = List.of("verifier", "rollout");

  @Spec
  CommandSpec spec;

  @Option(names = "--roles", split = ",", defaultValue = "verifier", description = "roles (default: ${DEFAULT-VALUE})")
  List<String> roles = new ArrayList<>();

  @Option(names = "--seed", description = "HOST:PORT of a node in the cluster to join (none: start a new cluster)")
  String seed;

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Option(names = "--port", defaultValue = "0", description = "port (default: any free one; 25520 is Akka's usual)")
  int port;

  @Option(names = "--set", description = "override one setting, e.g. --set sandbox.workers=4 (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--journal-url", description = "with the rollout role: the cluster's PostgreSQL (the runs'"
      + " --journal-url, e.g. jdbc:postgresql://db:5432/autodidact?user=u&password=p), where checkpoints are shared")
  String journalUrl;

  @Option(names = "--log", defaultValue = "autodidact-node.log", description = "log file (default: ${DEFAULT-VALUE})")
  Path log;

  @Option(names = "--allow-weak-sandbox-isolation",
      description = "run generated programs even where this host cannot jail them fully (see train)")
  boolean allowWeakSandboxIsolation;

  @Override
  public Integer call() throws Exception {
    for (String role : roles) {
      if (ClusterNodes.ROLES.contains(role) && !BUILT_ROLES.contains(role)) {
        throw new UserError("a standalone " + role + " node is not built yet; run that role inside"
            + " `autodidact train --cluster HOST:PORT`");
      }
    }
    Main.logTo(log);
    var flags = ConfigFactory.empty();
    if (allowWeakSandboxIsolation) {
      flags = ConfigFactory.parseString("sandbox.allow_weak_isolation = true");
    }
    RunSettings settings = Settings.load(null, sets, flags);
    var config = cluster.apply(ClusterNodes.config(roles, cluster.host, port, seed)).withFallback(ConfigFactory.load());
    if (roles.contains("verifier")) {
      SandboxPreflight.require(settings.sandboxConfig());
    }
    Blobs checkpoints = roles.contains("rollout") ? sharedBlobs() : null;
    if (!isLoopback(cluster.host) && cluster.keyStore == null) {
      System.err.println("autodidact: warning: --host " + cluster.host + " without TLS: anyone who reaches this port"
          + " can join the cluster and send it results; add --tls-key-store, --tls-trust-store, --tls-password-file");
    }
    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(Behaviors.setup(context -> {
        if (roles.contains("verifier")) {
          context.spawn(Behaviors.supervise(VerifierWorker.create(settings.sandboxConfig(),
                  VerifierWorker.capacityFor(settings.sandboxConfig())))
                  .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
              "verifier-worker", DispatcherSelector.fromConfig("autodidact-blocking-dispatcher"));
        }
        if (checkpoints != null) {
          context.spawn(Behaviors.supervise(RolloutWorker.create(checkpoints, RunNode.inferenceSetup(settings),
                  RolloutWorker.Identity.of(settings)))
                  .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
              "rollout-worker", DispatcherSelector.fromConfig("autodidact-blocking-dispatcher"));
        }
        return Behaviors.empty();
      }), "autodidact", config);
    } catch (RuntimeException e) {
      throw new UserError("cannot start the node on " + cluster.host + ":" + port + ": " + rootMessage(e)
          + " (is the port in use, or the address not this machine's?)");
    }
    Cluster members = Cluster.get(system);
    if (seed == null) {
      members.manager().tell(Join.create(members.selfMember().address()));
    }
    try {
      cluster.startManagement(system);
    } catch (RuntimeException e) {
      system.terminate();
      throw new UserError("cannot serve health endpoints on " + cluster.host + ":" + cluster.managementPort + ": "
          + rootMessage(e));
    }
    spec.commandLine().getOut().println("node " + members.selfMember().address() + " roles " + String.join(",", roles)
        + (seed == null ? " (new cluster)" : " joining " + seed));
    spec.commandLine().getOut().flush();
    // SIGTERM runs Akka's coordinated shutdown (its JVM hook): leases handed back, then the node leaves.
    system.getWhenTerminated().toCompletableFuture().join();
    var reason = CoordinatedShutdown.get(system).getShutdownReason();
    if (reason.isPresent() && reason.get() == CoordinatedShutdown.clusterDowningReason()) {
      spec.commandLine().getErr().println("autodidact: this node was downed by the cluster (it was on the smaller side"
          + " of a partition or crash, or told to leave); start it again to rejoin");
      return 3;
    }
    if (reason.isPresent() && reason.get() == CoordinatedShutdown.clusterJoinUnsuccessfulReason()) {
      spec.commandLine().getErr().println("autodidact: no node answered at --seed " + seed + " within a minute;"
          + " check the address and that the seed node runs");
      return 2;
    }
    return 0;
  }

  /** The cluster's shared blob store, where runs publish the checkpoints rollout nodes load. */
  private Blobs sharedBlobs() {
    if (journalUrl == null) {
      throw new UserError("a rollout node loads checkpoints from the cluster's PostgreSQL: add --journal-url"
          + " jdbc:postgresql://HOST:PORT/DATABASE?user=U&password=P (the runs' --journal-url)");
    }
    try {
      return PostgresBlobStore.open(ExternalPostgres.connect(journalUrl));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new UserError("cannot open the checkpoint store at --journal-url: " + rootMessage(e));
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage()).lines().findFirst().orElse(root.getClass().getSimpleName());
  }
}
