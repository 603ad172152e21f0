package dev.autodidact.cli;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.receptionist.Receptionist;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;
import dev.autodidact.actors.RolloutWorker;
import dev.autodidact.actors.VerifierWorker;
import dev.autodidact.actors.WorkKind;
import dev.autodidact.actors.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /metrics} on a node's management port: the work queues of every run in the
 * cluster, in Prometheus' text format. Any node answers for the whole cluster: it finds every
 * queue and every worker through the Receptionist and asks each queue for its counters (over
 * the network where the queue lives elsewhere). Gauges: jobs waiting, jobs leased, workers a
 * queue sees, workers registered per kind; counters: results that counted (in all and per
 * node) and duplicates dropped, whose rate is the cluster's throughput.
 */
public final class WorkMetricsRoutes implements ManagementRouteProvider {

  static final List<WorkKind<?, ?>> KINDS = List.of(VerifierWorker.KIND, RolloutWorker.KIND);
  private static final Duration ASK = Duration.ofSeconds(3);

  private final ActorSystem<?> system;

  public WorkMetricsRoutes(ExtendedActorSystem system) {
    this.system = Adapter.toTyped(system);
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return Directives.path("metrics", () -> Directives.get(() -> Directives.completeWithFuture(
        snapshot().thenApply(snapshot -> HttpResponse.create().withEntity(
            HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, prometheus(snapshot)))))));
  }

  /** One queue's counters and where it lives. */
  record QueueSnapshot(String queue, WorkQueue.Stats stats) {}

  /** Every queue's counters and every kind's registered workers, at one moment. */
  record Snapshot(Map<String, Integer> workersByKind, List<QueueSnapshot> queues) {}

  /** Asks the Receptionist for every queue and worker of every kind, then every queue for its counters. */
  CompletionStage<Snapshot> snapshot() {
    Map<String, Integer> workers = new TreeMap<>();
    List<CompletableFuture<List<QueueSnapshot>>> perKind = new ArrayList<>();
    List<CompletableFuture<Void>> counted = new ArrayList<>();
    for (WorkKind<?, ?> kind : KINDS) {
      counted.add(find(kind.workers()).thenAccept(listing -> {
        synchronized (workers) {
          workers.put(kind.name(), listing.getServiceInstances(kind.workers()).size());
        }
      }).toCompletableFuture());
      perKind.add(find(kind.queues()).thenCompose(listing -> {
        List<CompletableFuture<QueueSnapshot>> asks = new ArrayList<>();
        for (ActorRef<WorkQueue.Command> queue : listing.getServiceInstances(kind.queues())) {
          asks.add(AskPattern.<WorkQueue.Command, WorkQueue.Stats>ask(queue, WorkQueue.GetStats::new, ASK,
                  system.scheduler())
              .thenApply(stats -> new QueueSnapshot(queue.path().toString(), stats))
              .exceptionally(unanswered -> null) // a queue that went away since the listing
              .toCompletableFuture());
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
            .thenApply(done -> asks.stream().map(CompletableFuture::join).filter(q -> q != null).toList());
      }).toCompletableFuture());
    }
    List<CompletableFuture<?>> all = new ArrayList<>(perKind);
    all.addAll(counted);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<QueueSnapshot> queues = new ArrayList<>();
      perKind.forEach(kind -> queues.addAll(kind.join()));
      synchronized (workers) {
        return new Snapshot(Map.copyOf(workers), queues);
      }
    });
  }

  private CompletionStage<Receptionist.Listing> find(akka.actor.typed.receptionist.ServiceKey<?> key) {
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
        replyTo -> Receptionist.find(key, replyTo), ASK, system.scheduler());
  }

  /** The snapshot in Prometheus' text exposition format (version 0.0.4). */
  static String prometheus(Snapshot snapshot) {
    StringBuilder out = new StringBuilder();
    family(out, "autodidact_workers", "gauge", "Workers of each kind registered in the cluster.");
    snapshot.workersByKind().forEach((kind, count) ->
        sample(out, "autodidact_workers", Map.of("kind", kind), count));
    family(out, "autodidact_queue_waiting", "gauge", "Jobs waiting for a worker.");
    snapshot.queues().forEach(q -> sample(out, "autodidact_queue_waiting", labels(q), q.stats().waiting()));
    family(out, "autodidact_queue_leased", "gauge", "Jobs on lease to a worker.");
    snapshot.queues().forEach(q -> sample(out, "autodidact_queue_leased", labels(q), q.stats().leased()));
    family(out, "autodidact_queue_workers", "gauge", "Workers the queue hands jobs to.");
    snapshot.queues().forEach(q -> sample(out, "autodidact_queue_workers", labels(q), q.stats().workers()));
    family(out, "autodidact_queue_refusing_workers", "gauge", "Workers that hand the queue's jobs back because they"
        + " are set up differently from its run (other sandbox limits or inference engine).");
    snapshot.queues().forEach(q -> sample(out, "autodidact_queue_refusing_workers", labels(q),
        q.stats().refusingWorkers()));
    family(out, "autodidact_queue_completed_total", "counter", "Results that counted since the queue started.");
    snapshot.queues().forEach(q -> sample(out, "autodidact_queue_completed_total", labels(q), q.stats().completed()));
    family(out, "autodidact_queue_duplicates_total", "counter", "Results dropped as duplicates of a counted one.");
    snapshot.queues().forEach(q -> sample(out, "autodidact_queue_duplicates_total", labels(q),
        q.stats().duplicates()));
    family(out, "autodidact_queue_completed_by_worker_total", "counter", "Results that counted, by the node that"
        + " produced them.");
    for (QueueSnapshot q : snapshot.queues()) {
      new TreeMap<>(q.stats().completedByWorker()).forEach((worker, count) -> {
        Map<String, String> labels = new TreeMap<>(labels(q));
        labels.put("worker", worker);
        sample(out, "autodidact_queue_completed_by_worker_total", labels, count);
      });
    }
    return out.toString();
  }

  private static Map<String, String> labels(QueueSnapshot queue) {
    return Map.of("kind", queue.stats().kind(), "queue", queue.queue());
  }

  private static void family(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, Map<String, String> labels, long value) {
    out.append(name).append('{');
    List<String> pairs = new ArrayList<>();
    new TreeMap<>(labels).forEach((key, text) -> pairs.add(key + "=\"" + escape(text) + "\""));
    out.append(String.join(",", pairs)).append("} ").append(String.format(Locale.ROOT, "%d", value)).append('\n');
  }

  /** Label values escape backslash, double quote and line feed. */
  static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
