package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.pattern.StatusReply;
import dev.autodidact.model.Completion;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.persistence.Blobs;
import dev.autodidact.persistence.proto.PolicyUpdated;
import dev.autodidact.persistence.proto.cluster.InferenceJob;
import dev.autodidact.persistence.proto.cluster.InferenceResult;
import dev.autodidact.persistence.proto.cluster.ScoreRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The run's inference in a cluster: speaks the {@link InferenceWorker} protocol to the
 * generator, solver and external solver, and turns each request into jobs on the run's
 * inference {@link WorkQueue}, which rollout nodes pull. A sampling request is split into jobs
 * of at most {@code maxBatch} rows, so several rollout nodes share it; the answer is put back
 * together in the request's order. Before the first job that names a checkpoint is queued, the
 * checkpoint is published to the cluster's shared blob store, where rollout nodes load it by
 * its hash (announced versions are published ahead, as soon as they are journaled).
 */
public final class RemoteInference {

  private RemoteInference() {}

  /**
   * @param local the run's own blob store, where the learner writes checkpoints
   * @param shared the store every rollout node reads
   * @param maxRows rows per sampling job
   * @param lease how long a rollout node holds a job before it goes to another
   * @param timeout how long a request may take in all
   * @param identity the run's inference settings, which a rollout node must share to take its jobs
   */
  public static Behavior<InferenceWorker.Command> create(Blobs local, Blobs shared, int maxRows, Duration lease,
      Duration timeout, RolloutWorker.Identity identity, ActorRef<Topic.Command<PolicyUpdated>> policyVersions) {
    return Behaviors.setup(context -> {
      policyVersions.tell(Topic.subscribe(context.messageAdapter(PolicyUpdated.class,
          InferenceWorker.PolicyAnnounced::new)));
      ActorRef<WorkQueue.Command> queue = context.spawn(WorkQueue.create(RolloutWorker.KIND, lease), "queue");
      Set<String> published = new HashSet<>();
      long[] requests = {0};
      return Behaviors.receive(InferenceWorker.Command.class)
          .onMessage(InferenceWorker.Generate.class, generate -> {
            String prefix = "i" + (++requests[0]) + "/";
            if (!published(generate.checkpoint(), local, shared, published, generate.replyTo())) {
              return Behaviors.same();
            }
            List<InferenceJob> jobs = new ArrayList<>();
            List<SampleRequest> rows = generate.requests();
            for (int from = 0; from < rows.size(); from += maxRows) {
              jobs.add(job(prefix + jobs.size(), generate.checkpoint(), identity)
                  .setGenerate(RolloutWorker.generateRows(rows.subList(from, Math.min(rows.size(), from + maxRows))))
                  .build());
            }
            submit(queue, jobs, timeout, context.getSystem()).whenComplete((results, failure) -> {
              if (failure != null) {
                generate.replyTo().tell(StatusReply.error("inference: " + failure.getMessage()));
                return;
              }
              List<Completion> completions = new ArrayList<>(rows.size());
              for (InferenceResult result : results) {
                if (!result.hasGenerated()) {
                  generate.replyTo().tell(StatusReply.error("inference job " + result.getJobId() + ": "
                      + result.getFailure()));
                  return;
                }
                completions.addAll(RolloutWorker.completions(result.getGenerated()));
              }
              generate.replyTo().tell(StatusReply.success(new InferenceWorker.Generated(completions)));
            });
            return Behaviors.same();
          })
          .onMessage(InferenceWorker.Score.class, score -> {
            String jobId = "i" + (++requests[0]) + "/0";
            if (!published(score.checkpoint(), local, shared, published, score.replyTo())) {
              return Behaviors.same();
            }
            ScoreRows.Builder rows = ScoreRows.newBuilder();
            score.prompts().forEach(prompt -> rows.addPrompts(RolloutWorker.tokenRow(prompt)));
            score.completions().forEach(completion -> rows.addCompletions(RolloutWorker.tokenRow(completion)));
            InferenceJob job = job(jobId, score.checkpoint(), identity).setScore(rows).build();
            submit(queue, List.of(job), timeout, context.getSystem()).whenComplete((results, failure) -> {
              if (failure != null) {
                score.replyTo().tell(StatusReply.error("inference: " + failure.getMessage()));
              } else if (!results.get(0).hasScored()) {
                score.replyTo().tell(StatusReply.error("inference job " + jobId + ": " + results.get(0).getFailure()));
              } else {
                score.replyTo().tell(StatusReply.success(
                    new InferenceWorker.Scored(RolloutWorker.logProbs(results.get(0).getScored()))));
              }
            });
            return Behaviors.same();
          })
          .onMessage(InferenceWorker.PolicyAnnounced.class, announced -> {
            try {
              publish(announced.update().getCheckpoint(), local, shared, published);
            } catch (UncheckedIOException e) {
              context.getLog().warn("cannot publish policy {} ahead of use: {}", announced.update().getCheckpoint(),
                  e.getMessage());
            }
            return Behaviors.same();
          })
          .build();
    });
  }

  /** A job on {@code checkpoint}, carrying the run's inference identity. */
  private static InferenceJob.Builder job(String jobId, String checkpoint, RolloutWorker.Identity identity) {
    return InferenceJob.newBuilder().setJobId(jobId).setCheckpoint(checkpoint).setEngine(identity.engine())
        .setScoreThreads(identity.scoreThreads());
  }

  /** Publishes the checkpoint a request names; if that fails, fails the request and says false. */
  private static <T> boolean published(String checkpoint, Blobs local, Blobs shared, Set<String> published,
      ActorRef<StatusReply<T>> replyTo) {
    try {
      publish(checkpoint, local, shared, published);
      return true;
    } catch (UncheckedIOException e) {
      replyTo.tell(StatusReply.error(e.getMessage()));
      return false;
    }
  }

  /** Copies a checkpoint into the shared store once per run's life here; the store checks it against its name. */
  private static void publish(String checkpoint, Blobs local, Blobs shared, Set<String> published) {
    if (published.contains(checkpoint)) {
      return;
    }
    try {
      // put, not contains: the store checks its copy's hash first, sends nothing when it is
      // intact, and replaces a damaged one.
      String stored = shared.put(local.get(checkpoint));
      if (!stored.equals(checkpoint)) {
        throw new IOException("the local copy hashes to " + stored);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish checkpoint " + checkpoint + " to " + shared.describe() + ": "
          + e.getMessage(), e);
    }
    published.add(checkpoint);
  }

  /** Runs the jobs; if the answer does not come in time they are withdrawn, so a retry does not queue behind them. */
  private static CompletionStage<List<InferenceResult>> submit(ActorRef<WorkQueue.Command> queue,
      List<InferenceJob> jobs, Duration timeout, akka.actor.typed.ActorSystem<?> system) {
    return AskPattern.<WorkQueue.Command, List<InferenceResult>>ask(queue,
        replyTo -> new WorkQueue.Submit<>(jobs, replyTo), timeout, system.scheduler())
        .whenComplete((results, failure) -> {
          if (failure != null) {
            queue.tell(new WorkQueue.Cancel(jobs.stream().map(InferenceJob::getJobId).toList()));
          }
        });
  }
}
