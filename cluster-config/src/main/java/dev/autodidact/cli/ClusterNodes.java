package dev.autodidact.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.autodidact.persistence.JournalSettings;
import java.util.List;
import java.util.Set;

/** The Akka configuration of one cluster node: roles, where it listens, whom it joins. */
public final class ClusterNodes {
  /**
   * The roles a node may hold; one JVM may hold several, the embedded default holds all. A
   * {@code client} (a `train --cluster` JVM that only follows its run) does no work.
   */
  static final Set<String> ROLES = Set.of("coordinator", "learner", "rollout", "verifier", "client");

  private ClusterNodes() {}

  /**
   * @param seed {@code HOST:PORT} of a node already in the cluster, or null to start a new
   *     cluster with this node as its first member
   */
  public static Config config(List<String> roles, String host, int port, String seed) {
    for (String role : roles) {
      if (!ROLES.contains(role)) {
        throw new UserError("unknown role '" + role + "'; the roles are " + String.join(", ", ROLES.stream().sorted()
            .toList()));
      }
    }
    if (roles.isEmpty()) {
      throw new UserError("a node needs at least one role (--roles verifier, for example)");
    }
    Config node = ConfigFactory.parseResources(ClusterNodes.class, "/cluster-node.conf",
            ConfigParseOptions.defaults().setAllowMissing(false))
        .withValue("akka.cluster.roles", ConfigValueFactory.fromIterable(roles))
        .withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
        .withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port));
    if (seed != null) {
      node = node.withValue("akka.cluster.seed-nodes",
          ConfigValueFactory.fromIterable(List.of("akka://autodidact@" + seedAddress(seed))));
    }
    // Protobuf on the wire for every protobuf message (policy versions); cluster messages bind themselves.
    return node.withFallback(JournalSettings.serialization());
  }

  /** Checks {@code HOST:PORT}. */
  static String seedAddress(String seed) {
    int colon = seed.lastIndexOf(':');
    if (colon <= 0 || colon == seed.length() - 1) {
      throw new UserError("--seed takes HOST:PORT of a running node (e.g. 127.0.0.1:25520), not '" + seed + "'");
    }
    try {
      int port = Integer.parseInt(seed.substring(colon + 1));
      if (port <= 0 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new UserError("--seed " + seed + ": the port must be a number from 1 to 65535");
    }
    return seed;
  }
}
