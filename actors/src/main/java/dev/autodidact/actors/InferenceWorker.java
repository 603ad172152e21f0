package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import dev.autodidact.model.Completion;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.persistence.BlobStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns one replica of the policy for sampling and scoring. Every request names the
 * checkpoint it must be served by; the worker switches to that version between requests,
 * never in the middle of one, so a restart or a new version is always safe.
 */
public final class InferenceWorker extends AbstractBehavior<InferenceWorker.Command> {

  public sealed interface Command permits Generate, Score {}

  /** Sample one completion per request, in order. */
  public record Generate(String checkpoint, List<SampleRequest> requests, ActorRef<StatusReply<Generated>> replyTo)
      implements Command {}

  /** Teacher-forced log-probs of each completion token under the given checkpoint. */
  public record Score(
      String checkpoint, List<int[]> prompts, List<int[]> completions, ActorRef<StatusReply<Scored>> replyTo)
      implements Command {}

  public record Generated(List<Completion> completions) {}

  public record Scored(List<float[]> logProbs) {}

  private final BlobStore blobs;
  private final int threads;
  private final int maxBatch;
  private Policy policy;
  private String loadedCheckpoint;

  public static Behavior<Command> create(BlobStore blobs, int threads, int maxBatch) {
    return Behaviors.setup(context -> new InferenceWorker(context, blobs, threads, maxBatch));
  }

  private InferenceWorker(ActorContext<Command> context, BlobStore blobs, int threads, int maxBatch) {
    super(context);
    this.blobs = blobs;
    this.threads = threads;
    this.maxBatch = maxBatch;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Generate.class, this::onGenerate)
        .onMessage(Score.class, this::onScore)
        .onSignal(akka.actor.typed.PostStop.class, signal -> closePolicy())
        .onSignal(akka.actor.typed.PreRestart.class, signal -> closePolicy())
        .build();
  }

  private Behavior<Command> onGenerate(Generate request) {
    try {
      request.replyTo().tell(StatusReply.success(new Generated(sample(request))));
    } catch (RuntimeException e) {
      request.replyTo().tell(StatusReply.error("sampling failed: " + e.getMessage()));
      throw e; // restart with a fresh replica
    }
    return this;
  }

  private List<Completion> sample(Generate request) {
    use(request.checkpoint());
    List<Completion> completions = new ArrayList<>(request.requests().size());
    for (int from = 0; from < request.requests().size(); from += maxBatch) {
      int to = Math.min(request.requests().size(), from + maxBatch);
      List<Completion> batch = policy.sample(request.requests().subList(from, to));
      if (batch.size() != to - from) {
        throw new IllegalStateException("the sampler answered " + batch.size() + " of " + (to - from) + " requests");
      }
      completions.addAll(batch);
    }
    return completions;
  }

  private Behavior<Command> onScore(Score request) {
    try {
      use(request.checkpoint());
      List<float[]> scores = policy.logProbs(request.prompts(), request.completions());
      request.replyTo().tell(StatusReply.success(new Scored(scores)));
    } catch (RuntimeException e) {
      request.replyTo().tell(StatusReply.error("scoring failed: " + e.getMessage()));
      throw e;
    }
    return this;
  }

  private void use(String checkpoint) {
    if (checkpoint.equals(loadedCheckpoint)) {
      return;
    }
    closePolicy();
    policy = Policies.restore(Checkpoints.load(blobs, checkpoint), threads);
    loadedCheckpoint = checkpoint;
    getContext().getLog().debug("serving policy {} (version {})", checkpoint, policy.version());
  }

  private Behavior<Command> closePolicy() {
    if (policy != null) {
      policy.close();
      policy = null;
      loadedCheckpoint = null;
    }
    return this;
  }
}
