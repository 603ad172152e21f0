package dev.autodidact.cli;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.persistence.Blobs;
import dev.autodidact.persistence.ExternalPostgres;
import dev.autodidact.persistence.JournalSchema;
import dev.autodidact.persistence.JournalSettings;
import dev.autodidact.persistence.PostgresBlobStore;
import java.nio.file.Path;
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
        "Roles: verifier, rollout, coordinator (hosts runs submitted with `train --cluster`; when it dies, another"
            + " coordinator node takes its runs over from the journal) and learner (hosts runs' learners)."})
final class NodeCommand implements Callable<Integer> {

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

  @Option(names = "--journal-url", description = "with the rollout or coordinator role: the cluster's PostgreSQL (the"
      + " runs' --journal-url, e.g. jdbc:postgresql://db:5432/autodidact?user=u&password=p), where journals and"
      + " checkpoints are shared")
  String journalUrl;

  @Option(names = "--log", defaultValue = "autodidact-node.log", description = "log file (default: ${DEFAULT-VALUE})")
  Path log;

  @Option(names = "--allow-weak-sandbox-isolation",
      description = "run generated programs even where this host cannot jail them fully (see train)")
  boolean allowWeakSandboxIsolation;

  @Override
  public Integer call() throws Exception {
    for (String role : roles) {
      if (role.equals("client")) {
        throw new UserError("the client role is for `autodidact train --cluster`; a node holds coordinator, learner,"
            + " rollout or verifier");
      }
    }
    boolean hostsRuns = roles.contains("coordinator") || roles.contains("learner");
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
    ExternalPostgres database = hostsRuns || roles.contains("rollout") ? database() : null;
    Blobs shared = database != null ? sharedBlobs(database) : null;
    if (hostsRuns) {
      // Runs or their learners are hosted here: the journal is the cluster's PostgreSQL.
      JournalSchema.ensure(database.jdbcUrl(), database.user(), database.password());
      config = JournalSettings.postgres(database).withFallback(config);
    }
    if (!isLoopback(cluster.host) && cluster.keyStore == null) {
      System.err.println("autodidact: warning: --host " + cluster.host + " without TLS: anyone who reaches this port"
          + " can join the cluster and send it results; add --tls-key-store, --tls-trust-store, --tls-password-file");
    }
    ActorSystem<Void> system;
    try {
      system = ActorSystem.create(NodeRoles.workers(roles, settings, shared), "autodidact", config);
    } catch (RuntimeException e) {
      throw new UserError("cannot start the node on " + cluster.host + ":" + port + ": " + rootMessage(e)
          + " (is the port in use, or the address not this machine's?)");
    }
    if (hostsRuns) {
      NodeRoles.runs(system, database, shared);
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

  /** The cluster's PostgreSQL: runs' journals and the blob store where checkpoints are shared. */
  private ExternalPostgres database() {
    if (journalUrl == null) {
      throw new UserError("a " + String.join(",", roles) + " node needs the cluster's PostgreSQL (journals and"
          + " checkpoints): add --journal-url jdbc:postgresql://HOST:PORT/DATABASE?user=U&password=P (the runs'"
          + " --journal-url)");
    }
    try {
      return ExternalPostgres.connect(journalUrl);
    } catch (IllegalArgumentException e) {
      throw new UserError("cannot use --journal-url: " + rootMessage(e));
    }
  }

  private static Blobs sharedBlobs(ExternalPostgres database) {
    try {
      return PostgresBlobStore.open(database);
    } catch (java.io.IOException e) {
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
