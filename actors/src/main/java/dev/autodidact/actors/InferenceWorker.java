package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.pubsub.Topic;
import akka.pattern.StatusReply;
import dev.autodidact.model.Completion;
import dev.autodidact.model.RolloutEngine;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.persistence.Blobs;
import dev.autodidact.persistence.proto.PolicyUpdated;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Serves sampling and scoring for every role from one replica of the policy, batching
 * generation requests dynamically.
 *
 * <p>Generation requests wait in a {@link SampleBatcher}; a batch runs as soon as
 * {@code maxBatch} rows wait, or {@code maxDelay} after the first row arrived. Requests that
 * arrive while a batch runs join the next one. Each request is answered once all its rows
 * are sampled, with its completions in its own order. A request's tokens depend only on the
 * weights and its own noise stream, so sharing a batch changes none of them.
 *
 * <p>Every request names the checkpoint that must serve it; a batch never mixes checkpoints,
 * so a new policy version takes over at a batch boundary, never mid-request. When a new
 * version is announced (the TrainingRun publishes each journaled {@link PolicyUpdated}), the
 * worker loads it between batches, so the first request that names it does not wait for the
 * load. Any failure is answered to every waiting request and then rethrown: the supervisor
 * restarts the worker with a fresh replica.
 */
public final class InferenceWorker extends AbstractBehavior<InferenceWorker.Command> {

  public sealed interface Command permits Generate, Score, PolicyAnnounced, RunBatch {}

  /** Sample one completion per request, in order. */
  public record Generate(
      String checkpoint, List<SampleRequest> requests, ActorRef<StatusReply<Generated>> replyTo)
      implements Command {}

  /** Teacher-forced log-probs of each completion token under the given checkpoint. */
  public record Score(
      String checkpoint, List<int[]> prompts, List<int[]> completions, ActorRef<StatusReply<Scored>> replyTo)
      implements Command {}

  /** A new policy version was journaled; load it before it is asked for. */
  public record PolicyAnnounced(PolicyUpdated update) implements Command {}

  private enum RunBatch implements Command { INSTANCE }

  public record Generated(List<Completion> completions) {}

  public record Scored(List<float[]> logProbs) {}

  /**
   * How the worker batches and what it samples with.
   *
   * @param maxBatch rows in one forward pass
   * @param maxDelay how long the first waiting row waits for others before its batch runs
   * @param engines turns checkpoint bytes into an engine (the DJL policy, or ONNX Runtime fed
   *     with its weights)
   */
  public record Setup(int maxBatch, Duration maxDelay, Function<byte[], RolloutEngine> engines) {
    public Setup {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be >= 1: " + maxBatch);
      }
    }
  }

  private final Blobs blobs;
  private final Setup setup;
  private final TimerScheduler<Command> timers;
  private final SampleBatcher<Generate> batcher = new SampleBatcher<>();
  private Replica serving;
  private Replica announced;

  /** An engine and the checkpoint it was loaded from. */
  private record Replica(String checkpoint, RolloutEngine engine) {}

  /** A worker that hears of new versions only through the requests that name them. */
  public static Behavior<Command> create(Blobs blobs, Setup setup) {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new InferenceWorker(context, timers, blobs, setup)));
  }

  /** A worker that also loads every version announced on {@code policyVersions} ahead of use. */
  public static Behavior<Command> create(
      Blobs blobs, Setup setup, ActorRef<Topic.Command<PolicyUpdated>> policyVersions) {
    return Behaviors.setup(context -> {
      policyVersions.tell(Topic.subscribe(context.messageAdapter(PolicyUpdated.class, PolicyAnnounced::new)));
      return Behaviors.withTimers(timers -> new InferenceWorker(context, timers, blobs, setup));
    });
  }

  private InferenceWorker(
      ActorContext<Command> context, TimerScheduler<Command> timers, Blobs blobs, Setup setup) {
    super(context);
    this.timers = timers;
    this.blobs = blobs;
    this.setup = setup;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Generate.class, this::onGenerate)
        .onMessageEquals(RunBatch.INSTANCE, this::runBatch)
        .onMessage(Score.class, this::onScore)
        .onMessage(PolicyAnnounced.class, this::onAnnounced)
        .onSignal(PostStop.class, signal -> closeReplicas())
        .onSignal(PreRestart.class, signal -> closeReplicas())
        .build();
  }

  private Behavior<Command> onGenerate(Generate request) {
    SampleBatcher.Finished<Generate> empty =
        batcher.add(request, request.checkpoint(), request.requests());
    if (empty != null) {
      request.replyTo().tell(StatusReply.success(new Generated(List.of())));
    } else if (batcher.waitingRows() >= setup.maxBatch()) {
      return runBatch();
    } else if (!timers.isTimerActive(RunBatch.INSTANCE)) {
      timers.startSingleTimer(RunBatch.INSTANCE, RunBatch.INSTANCE, setup.maxDelay());
    }
    return this;
  }

  /** Samples one batch; what is left waits for requests already in the mailbox to join it. */
  private Behavior<Command> runBatch() {
    timers.cancel(RunBatch.INSTANCE);
    if (!batcher.hasWaitingRows()) {
      return this;
    }
    try {
      SampleBatcher.Batch<Generate> batch = batcher.next(setup.maxBatch());
      List<Completion> completions = engineFor(batch.checkpoint()).sample(batch.rows());
      for (SampleBatcher.Finished<Generate> done : batcher.complete(batch, completions)) {
        done.request().replyTo().tell(StatusReply.success(new Generated(done.completions())));
      }
    } catch (RuntimeException e) {
      String reason = "sampling failed: " + e.getMessage();
      batcher.drain().forEach(r -> r.replyTo().tell(StatusReply.error(reason)));
      throw e; // restart with a fresh replica
    }
    if (batcher.hasWaitingRows()) {
      getContext().getSelf().tell(RunBatch.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onScore(Score request) {
    try {
      List<float[]> scores = engineFor(request.checkpoint()).logProbs(request.prompts(), request.completions());
      request.replyTo().tell(StatusReply.success(new Scored(scores)));
    } catch (RuntimeException e) {
      String reason = "scoring failed: " + e.getMessage();
      request.replyTo().tell(StatusReply.error(reason));
      batcher.drain().forEach(r -> r.replyTo().tell(StatusReply.error(reason)));
      throw e;
    }
    return this;
  }

  private Behavior<Command> onAnnounced(PolicyAnnounced message) {
    String checkpoint = message.update().getCheckpoint();
    if (isLoaded(serving, checkpoint) || isLoaded(announced, checkpoint)) {
      return this;
    }
    close(announced);
    announced = load(checkpoint);
    getContext().getLog().debug("policy version {} ({}) loaded ahead of its first request",
        message.update().getPolicyVersion(), checkpoint);
    return this;
  }

  /** The engine for a checkpoint: the one serving, the one announced, or a fresh load. */
  private RolloutEngine engineFor(String checkpoint) {
    if (isLoaded(serving, checkpoint)) {
      return serving.engine();
    }
    close(serving);
    if (isLoaded(announced, checkpoint)) {
      serving = announced;
      announced = null;
    } else {
      serving = null;
      serving = load(checkpoint);
    }
    getContext().getLog().debug("serving policy {} (version {})", checkpoint, serving.engine().version());
    return serving.engine();
  }

  private Replica load(String checkpoint) {
    return new Replica(checkpoint, setup.engines().apply(Checkpoints.load(blobs, checkpoint)));
  }

  private static boolean isLoaded(Replica replica, String checkpoint) {
    return replica != null && replica.checkpoint().equals(checkpoint);
  }

  private static void close(Replica replica) {
    if (replica != null) {
      replica.engine().close();
    }
  }

  private Behavior<Command> closeReplicas() {
    close(serving);
    close(announced);
    serving = null;
    announced = null;
    return this;
  }
}
