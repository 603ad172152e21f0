package dev.autodidact.cli;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.ShardingEnvelope;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.Replay;
import dev.autodidact.actors.RunHost;
import dev.autodidact.actors.RunLearner;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.StepMetrics;
import dev.autodidact.persistence.BlobStore;
import dev.autodidact.persistence.Blobs;
import dev.autodidact.persistence.JournalDatabase;
import dev.autodidact.persistence.JournalReader;
import dev.autodidact.persistence.JournalSchema;
import dev.autodidact.persistence.JournalSettings;
import dev.autodidact.persistence.PostgresBlobStore;
import dev.autodidact.persistence.ProtobufRegistry;
import dev.autodidact.persistence.proto.Events;
import dev.autodidact.persistence.proto.RunForked;
import dev.autodidact.persistence.proto.RunStarted;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code train --cluster} with the journal in the cluster's PostgreSQL: the run is hosted by a
 * coordinator node (a shard entity, see {@link RunHost}), and this JVM follows it. It begins
 * the run (settings, base model, seed tasks, written where every node reads them), then writes
 * {@code metrics.jsonl} as steps end, rebuilt from the journal, and copies each step's checkpoint
 * into the run directory. Killing this JVM does not stop the run; {@code train --resume
 * --cluster} follows it again. If this JVM holds the coordinator role itself, it may host the
 * run too, like any coordinator node.
 */
final class ClusterRun {
  private static final Logger log = LoggerFactory.getLogger(ClusterRun.class);

  /** How often the follower reminds the run's host of it (a run that moved learns its followers so). */
  static final Duration FOLLOW_EVERY = Duration.ofSeconds(3);

  /** How long without any word from a host before the user is told what may be missing. */
  static final Duration NO_HOST_WARNING = Duration.ofSeconds(60);

  private ClusterRun() {}

  static List<StepMetrics> train(RunDirectory dir, RunSettings settings, BaseModels baseModels, boolean resume,
      String journalUrl, LocalRun.Membership membership, LocalRun.Observer observer) throws Exception {
    byte[] userBase = LocalRun.open(dir, settings, baseModels, resume, journalUrl, observer);
    if (Files.exists(dir.forkOrigin()) && resume) {
      requireForkBegun(dir);
    }
    BlobStore local = new BlobStore(dir.blobs());
    String persistenceId = "TrainingRun|" + dir.runId();
    try (JournalDatabase database = Journals.open(dir)) {
      JournalSchema.ensure(database.jdbcUrl(), database.user(), database.password());
      Blobs shared = PostgresBlobStore.open(database);
      ProtobufRegistry registry = ProtobufRegistry.of(Events.class);
      boolean begun = JournalReader.lastOfTypes(database.jdbcUrl(), database.user(), database.password(),
          persistenceId, registry, List.of(RunStarted.getDescriptor().getFullName(),
              RunForked.getDescriptor().getFullName())).isPresent();
      Optional<RunStarted> opening = Optional.empty();
      if (!begun) {
        RunStarted started = LocalRun.runStarted(dir, settings,
            userBase != null ? userBase : baseModels.obtain(settings, observer), local);
        // The host may be any coordinator node: it loads the base model from the shared store.
        shared.put(local.get(started.getBaseCheckpoint()));
        opening = Optional.of(started);
      }
      return follow(dir, settings, membership, observer, database, shared, local, opening);
    }
  }

  private static List<StepMetrics> follow(RunDirectory dir, RunSettings settings, LocalRun.Membership membership,
      LocalRun.Observer observer, JournalDatabase database, Blobs shared, BlobStore local,
      Optional<RunStarted> opening) throws Exception {
    boolean hosts = membership.roles().contains(RunHost.ROLE) || membership.roles().contains(RunLearner.ROLE);
    Config config = ClusterNodes.config(membership.roles(), membership.host(), 0, membership.seed());
    config = membership.security().apply(config).withFallback(ConfigFactory.load());
    if (hosts) {
      config = JournalSettings.postgres(database).withFallback(config);
    }
    BlockingQueue<RunHost.Update> updates = new LinkedBlockingQueue<>();
    ActorSystem<Void> system = ActorSystem.create(NodeRoles.workers(membership.roles(), settings, shared),
        "autodidact", config);
    try {
      akka.cluster.typed.Cluster cluster = akka.cluster.typed.Cluster.get(system);
      if (membership.seed() == null) {
        cluster.manager().tell(akka.cluster.typed.Join.create(cluster.selfMember().address()));
      }
      membership.started().accept(system);
      ActorRef<ShardingEnvelope<RunHost.Command>> runs = NodeRoles.runs(system, database, shared);
      system.systemActorOf(follower(dir.runId(), runs, opening, updates),
          "follower-" + java.net.URLEncoder.encode(dir.runId(), java.nio.charset.StandardCharsets.UTF_8),
          akka.actor.typed.Props.empty());
      return awaitEnd(dir, settings, observer, database, shared, local, updates, system);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }

  private enum Tick { INSTANCE }

  /**
   * Tells the run's host, every {@link #FOLLOW_EVERY}, that this JVM follows the run (with its
   * opening event until the first step is done), and hands each update to the main thread.
   */
  private static Behavior<Object> follower(String runId, ActorRef<ShardingEnvelope<RunHost.Command>> runs,
      Optional<RunStarted> opening, BlockingQueue<RunHost.Update> updates) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerAtFixedRate(Tick.INSTANCE, Duration.ZERO, FOLLOW_EVERY);
      ActorRef<RunHost.Update> self = context.getSelf().narrow();
      long[] stepsDone = {0};
      return Behaviors.receive(Object.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            Optional<RunStarted> started = stepsDone[0] == 0 ? opening : Optional.empty();
            runs.tell(new ShardingEnvelope<>(runId, new RunHost.Follow(started, self)));
            return Behaviors.same();
          })
          .onMessage(RunHost.Update.class, update -> {
            stepsDone[0] = Math.max(stepsDone[0], update.stepsDone());
            updates.add(update);
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static List<StepMetrics> awaitEnd(RunDirectory dir, RunSettings settings, LocalRun.Observer observer,
      JournalDatabase database, Blobs shared, BlobStore local, BlockingQueue<RunHost.Update> updates,
      ActorSystem<?> system) throws Exception {
    observer.starting(settings.steps());
    long shown = 0;
    String host = null;
    long lastWord = System.nanoTime();
    boolean warned = false;
    while (true) {
      RunHost.Update update = updates.poll(1, TimeUnit.SECONDS);
      if (update == null) {
        if (system.whenTerminated().isCompleted()) {
          throw LocalRun.stopped(dir, system);
        }
        if (!warned && System.nanoTime() - lastWord > NO_HOST_WARNING.toNanos()) {
          warned = true;
          System.err.println("autodidact: no coordinator node has answered for run " + dir.runId() + " in "
              + NO_HOST_WARNING.toSeconds() + " s; is one in the cluster? (autodidact node --roles"
              + " coordinator,learner --journal-url URL --seed HOST:PORT)");
        }
        continue;
      }
      lastWord = System.nanoTime();
      if (!update.host().equals(host)) {
        host = update.host();
        log.info("run {} is hosted by {}", dir.runId(), host);
      }
      if (update.stepsDone() > shown || update.finished()) {
        List<StepMetrics> metrics = rebuilt(dir, database);
        for (StepMetrics step : metrics.subList((int) Math.min(shown, metrics.size()), metrics.size())) {
          copyCheckpoint(shared, local, step.checkpoint());
        }
        MetricsFiles.writeMetrics(dir.metrics(), metrics);
        for (StepMetrics step : metrics.subList((int) Math.min(shown, metrics.size()), metrics.size())) {
          observer.stepFinished(step);
        }
        shown = Math.max(shown, metrics.size());
        if (update.finished()) {
          MetricsFiles.writeSummary(dir.summary(), settings, metrics);
          return metrics;
        }
      }
      if (update.failed()) {
        throw new LocalRun.RunFailedException(update.failure() + "; what it journaled is kept: resume with"
            + " autodidact train --resume --cluster HOST:PORT --out " + dir.root());
      }
    }
  }

  /** A fork killed before its first write is begun again by `train --resume` alone, from its recorded origin. */
  private static void requireForkBegun(RunDirectory dir) throws Exception {
    try (JournalDatabase database = Journals.open(dir)) {
      boolean begun = JournalReader.lastOfTypes(database.jdbcUrl(), database.user(), database.password(),
          "TrainingRun|" + dir.runId(), ProtobufRegistry.of(Events.class),
          List.of(RunForked.getDescriptor().getFullName())).isPresent();
      if (!begun) {
        throw new UserError(dir.root() + " is a fork that has not begun; begin it with autodidact train --resume --out "
            + dir.root() + " (without --cluster), then follow it with --cluster");
      }
    }
  }

  /** The run's metrics, rebuilt from its journal (the same rows the run itself computed). */
  private static List<StepMetrics> rebuilt(RunDirectory dir, JournalDatabase database) throws Exception {
    Replay replay = new Replay();
    JournalReader.forEachEvent(database.jdbcUrl(), database.user(), database.password(),
        "TrainingRun|" + dir.runId(), ProtobufRegistry.of(Events.class), replay.sink());
    return replay.result().metrics();
  }

  /** A step's checkpoint into the run directory, so that replay, eval and fork work on it as on any run. */
  private static void copyCheckpoint(Blobs shared, BlobStore local, String checkpoint) throws Exception {
    if (!local.contains(checkpoint)) {
      local.put(shared.get(checkpoint));
    }
  }
}
