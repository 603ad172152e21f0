package dev.autodidact.actors;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import dev.autodidact.persistence.proto.cluster.ValidationOutcome;
import dev.autodidact.persistence.proto.cluster.Verdict;
import dev.autodidact.persistence.proto.cluster.VerificationJob;
import dev.autodidact.persistence.proto.cluster.VerificationResult;
import dev.autodidact.sandbox.SandboxConfig;
import dev.autodidact.sandbox.SandboxPool;
import dev.autodidact.sandbox.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One node's sandbox pool, offered to every {@link VerificationQueue} in the cluster. It asks
 * each queue for {@code capacity} jobs, runs what it is leased, and asks for one more after
 * each result. A node that leaves gracefully hands back, at once, every job it has not
 * finished (a coordinated-shutdown task runs before the node leaves the cluster); a node that
 * dies loses its leases, which the queues give to other workers.
 */
public final class VerifierWorker extends AbstractBehavior<VerifierWorker.Command> {

  /** Where queues find workers. */
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "autodidact-verifier-worker");

  public sealed interface Command permits JobsLeased, QueuesChanged, Ran, Leave {}

  /** Jobs for this worker, on lease for {@code leaseMillis}. */
  public record JobsLeased(ActorRef<VerificationQueue.Command> queue, List<VerificationJob> jobs, long leaseMillis)
      implements Command, ClusterMessage {}

  private record QueuesChanged(Set<ActorRef<VerificationQueue.Command>> queues) implements Command {}

  private record Ran(ActorRef<VerificationQueue.Command> queue, VerificationResult result) implements Command {}

  /** Stop taking work and hand back every unfinished job. */
  public record Leave(ActorRef<Done> replyTo) implements Command {}

  private final int capacity;
  private final String name;
  private final SandboxPool pool;
  private final Verifier verifier;
  private final Set<ActorRef<VerificationQueue.Command>> queues = new HashSet<>();
  private final Map<String, ActorRef<VerificationQueue.Command>> running = new HashMap<>();
  private boolean leaving;

  /** About twice the pool's processes: a job is one to three executions, and results wait for their messages. */
  public static int capacityFor(SandboxConfig sandbox) {
    return 2 * sandbox.maxWorkers();
  }

  /**
   * @param capacity jobs this worker takes from each queue at a time (a job is one to three
   *     sandbox executions; about twice the pool's processes keeps them busy)
   */
  public static Behavior<Command> create(SandboxConfig sandbox, int capacity) {
    return Behaviors.setup(context -> {
      ActorRef<Command> self = context.getSelf();
      akka.actor.typed.ActorSystem<?> system = context.getSystem();
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(),
          "hand-back-verification-leases-" + self.path().name(),
          () -> AskPattern.<Command, Done>ask(self, Leave::new, Duration.ofSeconds(5), system.scheduler())
              .exceptionally(failure -> Done.getInstance()));
      return new VerifierWorker(context, sandbox, capacity);
    });
  }

  private VerifierWorker(ActorContext<Command> context, SandboxConfig sandbox, int capacity) {
    super(context);
    this.capacity = capacity;
    this.name = context.getSystem().address().toString();
    this.pool = SandboxPool.start(sandbox);
    this.verifier = new Verifier(pool);
    context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
    ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class,
        listing -> new QueuesChanged(listing.getServiceInstances(VerificationQueue.KEY)));
    context.getSystem().receptionist().tell(Receptionist.subscribe(VerificationQueue.KEY, listings));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(QueuesChanged.class, this::onQueuesChanged)
        .onMessage(JobsLeased.class, this::onJobsLeased)
        .onMessage(Ran.class, this::onRan)
        .onMessage(Leave.class, this::onLeave)
        .onSignal(PostStop.class, signal -> closePool())
        .onSignal(PreRestart.class, signal -> closePool())
        .build();
  }

  private Behavior<Command> onQueuesChanged(QueuesChanged changed) {
    if (!leaving) {
      for (ActorRef<VerificationQueue.Command> queue : changed.queues()) {
        if (!queues.contains(queue)) {
          queue.tell(new VerificationQueue.WorkWanted(getContext().getSelf(), capacity));
        }
      }
    }
    queues.clear();
    queues.addAll(changed.queues());
    return this;
  }

  private Behavior<Command> onJobsLeased(JobsLeased leased) {
    if (leaving) {
      leased.queue().tell(new VerificationQueue.LeasesReturned(getContext().getSelf(),
          leased.jobs().stream().map(VerificationJob::getJobId).toList()));
      return this;
    }
    for (VerificationJob job : leased.jobs()) {
      running.put(job.getJobId(), leased.queue());
      CompletableFuture<VerificationResult> verified;
      try {
        verified = run(job);
      } catch (RuntimeException e) { // a job the verifier refuses outright (e.g. mismatched lists)
        verified = CompletableFuture.failedFuture(e);
      }
      getContext().pipeToSelf(verified, (result, failure) -> new Ran(leased.queue(), result != null ? result
          : VerificationResult.newBuilder().setJobId(job.getJobId()).setWorker(name)
              .setFailure("verifier: " + String.valueOf(failure.getMessage()).lines().findFirst().orElse(""))
              .build()));
    }
    return this;
  }

  private Behavior<Command> onRan(Ran ran) {
    running.remove(ran.result().getJobId());
    ran.queue().tell(new VerificationQueue.JobDone(ran.result()));
    if (!leaving && queues.contains(ran.queue())) {
      ran.queue().tell(new VerificationQueue.WorkWanted(getContext().getSelf(), 1));
    }
    return this;
  }

  private Behavior<Command> onLeave(Leave leave) {
    leaving = true;
    Map<ActorRef<VerificationQueue.Command>, List<String>> byQueue = new HashMap<>();
    running.forEach((jobId, queue) -> byQueue.computeIfAbsent(queue, q -> new ArrayList<>()).add(jobId));
    byQueue.forEach((queue, jobIds) -> queue.tell(new VerificationQueue.LeasesReturned(getContext().getSelf(), jobIds)));
    getContext().getSystem().receptionist().tell(Receptionist.deregister(KEY, getContext().getSelf()));
    getContext().getLog().info("leaving: handed back {} unfinished verification jobs", running.size());
    leave.replyTo().tell(Done.getInstance());
    return this;
  }

  /** Runs one job in this node's sandbox. */
  private CompletableFuture<VerificationResult> run(VerificationJob job) {
    VerificationResult.Builder result = VerificationResult.newBuilder().setJobId(job.getJobId()).setWorker(name);
    return switch (job.getKindCase()) {
      case VALIDATE -> verifier.validate(job.getValidate().getProgram(), job.getValidate().getInputsList())
          .thenApply(v -> result.setValidation(ValidationOutcome.newBuilder().setValid(v.valid())
              .addAllOutputs(v.outputs()).setReason(v.reason() == null ? "" : v.reason())).build());
      case DEDUCTION -> verifier.checkDeduction(job.getDeduction().getProgram(), job.getDeduction().getInput(),
          job.getDeduction().getAnswer()).thenApply(v -> result.setVerdict(verdict(v)).build());
      case ABDUCTION -> verifier.checkAbduction(job.getAbduction().getProgram(), job.getAbduction().getAnswer(),
          job.getAbduction().getGoldOutput()).thenApply(v -> result.setVerdict(verdict(v)).build());
      case INDUCTION -> verifier.checkInduction(job.getInduction().getAnswer(), job.getInduction().getInputsList(),
          job.getInduction().getOutputsList()).thenApply(v -> result.setVerdict(verdict(v)).build());
      case KIND_NOT_SET -> CompletableFuture.completedFuture(result.setFailure("a job with nothing to verify").build());
    };
  }

  static Verdict verdict(Verifier.Verdict verdict) {
    return switch (verdict) {
      case CORRECT -> Verdict.CORRECT;
      case WRONG -> Verdict.WRONG;
      case MALFORMED -> Verdict.MALFORMED;
    };
  }

  private Behavior<Command> closePool() {
    pool.close();
    return this;
  }
}
