package dev.autodidact.cli;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.Generations;
import dev.autodidact.actors.Pretraining;
import dev.autodidact.actors.RunNode;
import dev.autodidact.actors.RunProgress;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.StepMetrics;
import dev.autodidact.actors.TrainingRun;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.task.Task;
import dev.autodidact.core.world.Difficulty;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.persistence.BlobStore;
import dev.autodidact.persistence.Blobs;
import dev.autodidact.persistence.JournalDatabase;
import dev.autodidact.persistence.JournalSchema;
import dev.autodidact.persistence.JournalSettings;
import dev.autodidact.persistence.JournalStats;
import dev.autodidact.persistence.PostgresBlobStore;
import dev.autodidact.persistence.RunLock;
import dev.autodidact.persistence.proto.RunStarted;
import dev.autodidact.sandbox.SandboxPool;
import dev.autodidact.sandbox.Verifier;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run on one machine with the embedded defaults: PostgreSQL started from the
 * embedded binaries with its data in the run directory, every role in this JVM.
 */
public final class LocalRun {
  private static final Logger log = LoggerFactory.getLogger(LocalRun.class);
  static final int SCHEMA_VERSION = 1;

  /** What the caller sees of a run while it goes; every method does nothing unless overridden. */
  public interface Observer extends BaseModels.PretrainProgress {
    default void starting(int totalSteps) {}

    default void stepFinished(StepMetrics metrics) {}

    /** How long the step waited on its journal writes (see {@link RunProgress.StepJournaled}). */
    default void stepJournaled(long step, double journalSeconds) {}
  }

  private LocalRun() {}

  /**
   * This JVM as a member of a cluster: its roles, the address it listens on and a node to join.
   * Null membership: a JVM of its own with every role (the embedded default).
   */
  public record Membership(List<String> roles, String host, String seed, UnaryOperator<Config> security,
      Consumer<ActorSystem<?>> started) {
    public Membership {
      roles = List.copyOf(roles);
    }

    /** Plain remoting, no health endpoints. */
    public Membership(List<String> roles, String host, String seed) {
      this(roles, host, seed, UnaryOperator.identity(), system -> {});
    }

    /**
     * Which work this JVM does itself. Inference always goes through the cluster's queue, so
     * any rollout node serves it; checkpoints reach rollout nodes through {@code shared}.
     */
    RunNode.Placement placement(Blobs shared) {
      return new RunNode.Placement(roles.contains("verifier"), roles.contains("rollout"), shared);
    }
  }

  /** Trains (or resumes) the run in {@code dir} to its last step; returns every step's metrics. */
  public static List<StepMetrics> train(RunDirectory dir, RunSettings settings, BaseModels baseModels,
      boolean resume, Observer observer) throws Exception {
    return train(dir, settings, baseModels, resume, null, observer);
  }

  /**
   * Like {@link #train(RunDirectory, RunSettings, BaseModels, boolean, Observer)}, with the
   * journal of a new run in the external PostgreSQL at {@code journalUrl} (null: embedded).
   */
  public static List<StepMetrics> train(RunDirectory dir, RunSettings settings, BaseModels baseModels,
      boolean resume, String journalUrl, Observer observer) throws Exception {
    return train(dir, settings, baseModels, resume, journalUrl, null, observer);
  }

  /** Like the others, as a member of a cluster when {@code membership} is given. */
  public static List<StepMetrics> train(RunDirectory dir, RunSettings settings, BaseModels baseModels,
      boolean resume, String journalUrl, Membership membership, Observer observer) throws Exception {
    byte[] userBase = open(dir, settings, baseModels, resume, journalUrl, observer);
    BlobStore blobs = new BlobStore(dir.blobs());
    return drive(dir, settings, membership, observer, () -> {
      // A fork killed before its first write is started again from its recorded origin.
      if (Files.exists(dir.forkOrigin())) {
        return Forks.opening(Forks.plan(Forks.Origin.read(dir.forkOrigin())), dir, blobs);
      }
      RunStarted start = runStarted(dir, settings, userBase != null ? userBase : baseModels.obtain(settings, observer),
          blobs);
      return replyTo -> new TrainingRun.Start(start, replyTo);
    });
  }

  /**
   * Checks that {@code dir} holds a run when resuming and none otherwise, and for a new run
   * records its journal and settings. A user's model is loaded and checked before anything is
   * written: a bad file must not leave a half-started run behind (its recorded settings would
   * name the bad file on --resume).
   *
   * @return the user's TorchScript base model of a new run, or null
   */
  static byte[] open(RunDirectory dir, RunSettings settings, BaseModels baseModels, boolean resume, String journalUrl,
      Observer observer) throws Exception {
    if (resume && !dir.holdsRun()) {
      throw new UserError(dir.root() + " holds no run to resume; start one with: autodidact train --out " + dir.root());
    }
    if (!resume && dir.holdsRun()) {
      throw new UserError(dir.root() + " already holds a run; continue it with --resume, or choose another --out");
    }
    byte[] userBase = !resume && settings.usesTorchScript() ? baseModels.obtain(settings, observer) : null;
    Files.createDirectories(dir.root());
    if (resume) {
      Journals.requireSame(dir, journalUrl);
    } else {
      Journals.record(dir, journalUrl);
      RunDirectory.writeAtomically(dir.settings(), settings.rendered());
    }
    return userBase;
  }

  /**
   * Forks the run in {@code parent} after its step {@code atStep} into the new run {@code dir},
   * under the parent's settings with {@code overrides}, and trains it to its last step.
   */
  public static List<StepMetrics> fork(RunDirectory parent, RunDirectory dir, long atStep, List<String> overrides,
      String journalUrl, Observer observer) throws Exception {
    Forks.Origin origin = new Forks.Origin(parent.root(), atStep, overrides);
    if (dir.holdsRun()) {
      throw new UserError(dir.root() + " already holds a run; continue it with: autodidact train --resume --out "
          + dir.root());
    }
    // Read the parent and settle the settings before anything is written: a bad --at-step,
    // --set or parent leaves no run behind (at most the log and copied checkpoints).
    Forks.Plan plan = Forks.plan(origin);
    RunSettings settings = plan.settings();
    SandboxPreflight.require(settings.sandboxConfig());
    Files.createDirectories(dir.root());
    BlobStore blobs = new BlobStore(dir.blobs());
    Opening opening = Forks.opening(plan, dir, blobs);
    Journals.record(dir, journalUrl);
    origin.write(dir.forkOrigin());
    RunDirectory.writeAtomically(dir.settings(), settings.rendered());
    return drive(dir, settings, null, observer, () -> opening);
  }

  /** The command that begins a run that has journaled nothing yet. */
  @FunctionalInterface
  interface Opening {
    TrainingRun.Command command(ActorRef<StatusReply<String>> replyTo);
  }

  @FunctionalInterface
  private interface OpeningSource {
    Opening get() throws Exception;
  }

  private static List<StepMetrics> drive(RunDirectory dir, RunSettings settings, Membership membership,
      Observer observer,
      OpeningSource fresh) throws Exception {
    try (JournalDatabase server = Journals.open(dir)) {
      JournalSchema.ensure(server.jdbcUrl(), server.user(), server.password());
      String persistenceId = "TrainingRun|" + dir.runId();
      try (RunLock lock = lockRun(server, dir, persistenceId)) {
        boolean started = JournalStats.countEventsByType(server.jdbcUrl(), server.user(), server.password(),
            persistenceId).containsKey("RunStarted");
        Opening opening = started ? null : fresh.get();
        // In a cluster, rollout nodes load checkpoints from the journal's database (by hash).
        RunNode.Placement placement = membership == null ? RunNode.Placement.LOCAL
            : membership.placement(PostgresBlobStore.open(server));
        return runActors(dir, settings, placement, membership, observer, opening, JournalSettings.postgres(server),
            lock);
      }
    }
  }

  /**
   * Takes the run's lock in its journal's database for as long as this JVM trains it: a run has
   * one writer, so a second JVM (the same run resumed twice, a coordinator restarted while the
   * old one still runs behind a partition) is refused here, before it writes anything.
   */
  private static RunLock lockRun(JournalDatabase server, RunDirectory dir, String persistenceId) throws Exception {
    String holder = "autodidact train " + dir.runId() + " (pid " + ProcessHandle.current().pid() + ")";
    RunLock.Attempt attempt = RunLock.tryAcquire(server, persistenceId, holder);
    if (attempt.lock().isEmpty()) {
      throw new UserError("run " + dir.runId() + " is being trained by another process (" + attempt.heldBy()
          + "); a run has one writer: stop that one first, or wait for it to end");
    }
    return attempt.lock().get();
  }

  /**
   * A new run of {@code settings} in {@code dir} with Akka's in-memory journal instead of
   * PostgreSQL: nothing survives the JVM, so it cannot resume. Only for the journal
   * benchmark's baseline, which runs the same steps both ways.
   */
  static List<StepMetrics> trainInMemory(RunDirectory dir, RunSettings settings, BaseModels baseModels,
      Observer observer) throws Exception {
    Files.createDirectories(dir.root());
    BlobStore blobs = new BlobStore(dir.blobs());
    RunStarted start = runStarted(dir, settings, baseModels.obtain(settings, observer), blobs);
    return runActors(dir, settings, RunNode.Placement.LOCAL, null, observer,
        replyTo -> new TrainingRun.Start(start, replyTo), JournalSettings.inMemory(), null);
  }

  /** @param lock the run's lock in its journal's database, checked after every step; null for the in-memory journal */
  private static List<StepMetrics> runActors(RunDirectory dir, RunSettings settings, RunNode.Placement placement,
      Membership membership, Observer observer, Opening opening, Config journal, RunLock lock) throws Exception {
    BlobStore blobs = new BlobStore(dir.blobs());
    BlockingQueue<RunProgress> progress = new LinkedBlockingQueue<>();
    Config config = journal.withFallback(ConfigFactory.load());
    if (membership != null) {
      config = membership.security().apply(ClusterNodes.config(membership.roles(), membership.host(), 0,
          membership.seed())).withFallback(config);
    }
    ActorSystem<TrainingRun.Command> system = ActorSystem.create(
        RunNode.create(settings, blobs, dir.runId(), placement, progress::add),
        "autodidact", config);
    if (membership != null && membership.seed() == null) {
      akka.cluster.typed.Cluster cluster = akka.cluster.typed.Cluster.get(system);
      cluster.manager().tell(akka.cluster.typed.Join.create(cluster.selfMember().address()));
    }
    if (membership != null) {
      membership.started().accept(system);
    }
    try {
      if (opening != null) {
        // A fork's opening write holds its parent's events: give a long parent time.
        AskPattern.<TrainingRun.Command, String>askWithStatus(system, opening::command, Duration.ofMinutes(5),
            system.scheduler()).toCompletableFuture().get(6, TimeUnit.MINUTES);
      }
      return awaitEnd(dir, settings, progress, observer, system, lock);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }

  static RunStarted runStarted(RunDirectory dir, RunSettings settings, byte[] base, BlobStore blobs)
      throws Exception {
    String baseHash = blobs.put(base);
    long baseVersion;
    try (Policy policy = Policies.restore(base, settings.threads())) {
      baseVersion = policy.version();
    }
    List<Task> seedTasks;
    try (SandboxPool pool = SandboxPool.start(settings.sandboxConfig())) {
      seedTasks = Pretraining.validatedTasks(new Verifier(pool), Difficulty.easy(), settings.seed(), 0,
          Phase.REFERENCE_TASKS, settings.tasks().seedTasksPerType(), "seed");
    }
    RunStarted.Builder started = RunStarted.newBuilder()
        .setRunId(dir.runId())
        .setSeed(settings.seed())
        .setConfig(settings.rendered())
        .setBaseCheckpoint(baseHash)
        .setBasePolicyVersion(baseVersion)
        .setSchemaVersion(SCHEMA_VERSION);
    seedTasks.forEach(task -> started.addSeedTasks(Generations.toProto(task)));
    log.info("run {} starts from base model {} with {} seed tasks", dir.runId(), baseHash, seedTasks.size());
    return started.build();
  }

  private static List<StepMetrics> awaitEnd(RunDirectory dir, RunSettings settings,
      BlockingQueue<RunProgress> progress, Observer observer, ActorSystem<?> system, RunLock lock) throws Exception {
    observer.starting(settings.steps());
    while (true) {
      RunProgress message = progress.poll(1, TimeUnit.SECONDS);
      if (message == null) {
        if (system.whenTerminated().isCompleted()) {
          throw stopped(dir, system);
        }
        continue;
      }
      if (message instanceof RunProgress.StepFinished step) {
        MetricsFiles.writeMetrics(dir.metrics(), step.metrics());
        observer.stepFinished(step.metrics().get(step.metrics().size() - 1));
        if (lock != null && !lock.held()) {
          throw new RunFailedException("lost the run's lock: the connection to its journal's database dropped, so"
              + " another process may now train it; stopped here (what was journaled is kept): resume with"
              + " autodidact train --resume --out " + dir.root());
        }
      } else if (message instanceof RunProgress.StepJournaled journaled) {
        observer.stepJournaled(journaled.step(), journaled.journalSeconds());
      } else if (message instanceof RunProgress.RunFinished finished) {
        MetricsFiles.writeMetrics(dir.metrics(), finished.metrics());
        MetricsFiles.writeSummary(dir.summary(), settings, finished.metrics());
        return finished.metrics();
      } else if (message instanceof RunProgress.RunFailed failed) {
        throw new RunFailedException(failed.reason());
      }
    }
  }

  /** Why the actor system ended under a run that had not finished. */
  static Exception stopped(RunDirectory dir, ActorSystem<?> system) {
    var reason = akka.actor.CoordinatedShutdown.get(system).getShutdownReason();
    String resume = "; what it journaled is kept: resume with autodidact train --resume --out " + dir.root()
        + " (and --cluster HOST:PORT of a running node)";
    if (reason.isPresent() && reason.get() == akka.actor.CoordinatedShutdown.clusterDowningReason()) {
      return new DownedException("the cluster downed this run's JVM (it was on the smaller side of a partition or"
          + " crash)" + resume);
    }
    return new RunFailedException("the run's actor system stopped (" + reason.map(Object::toString)
        .orElse("no reason given") + ")" + resume);
  }

  /** The cluster downed the JVM that trained the run; it can be resumed. */
  public static final class DownedException extends Exception {
    public DownedException(String message) {
      super(message);
    }
  }

  /** The run stopped on an error it could not get past; what it journaled is kept. */
  public static final class RunFailedException extends Exception {
    public RunFailedException(String reason) {
      super(reason);
    }
  }
}
