package dev.autodidact.cli;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every cluster member takes: where it listens, TLS, health endpoints. */
final class ClusterOptions {

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "address to listen on and be reached at (default: ${DEFAULT-VALUE}, loopback only)")
  String host;

  @Option(names = "--tls-key-store", paramLabel = "FILE", description = "remoting over TLS 1.3: this node's key"
      + " store (PKCS12)")
  Path keyStore;

  @Option(names = "--tls-trust-store", paramLabel = "FILE", description = "the certificates of the nodes to accept")
  Path trustStore;

  @Option(names = "--tls-password-file", paramLabel = "FILE", description = "a file holding the stores' password")
  Path passwordFile;

  @Option(names = "--management-port", paramLabel = "PORT", description = "serve health endpoints (/alive, /ready,"
      + " read-only /cluster/members) and the cluster's work metrics (/metrics, Prometheus text) over HTTP on --host"
      + " at this port")
  Integer managementPort;

  /** TLS and health endpoint settings on top of {@code config}. */
  Config apply(Config config) {
    ClusterSecurity security = ClusterSecurity.of(keyStore, trustStore, passwordFile);
    if (security != null) {
      config = security.config().withFallback(config);
    }
    if (managementPort != null) {
      config = ConfigFactory.empty()
          .withValue("akka.management.http.hostname", ConfigValueFactory.fromAnyRef(host))
          .withValue("akka.management.http.port", ConfigValueFactory.fromAnyRef(managementPort))
          .withValue("akka.management.http.route-providers-read-only", ConfigValueFactory.fromAnyRef(true))
          // GET /metrics: every run's work queues in the cluster, for Prometheus
          .withValue("akka.management.http.routes.autodidact-work-metrics",
              ConfigValueFactory.fromAnyRef(WorkMetricsRoutes.class.getName()))
          .withFallback(config);
    }
    return config;
  }

  /** Starts the health endpoints if asked for. */
  void startManagement(ActorSystem<?> system) {
    if (managementPort != null) {
      AkkaManagement.get(Adapter.toClassic(system)).start().toCompletableFuture().join();
    }
  }
}
