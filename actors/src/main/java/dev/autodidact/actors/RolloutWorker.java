package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.persistence.Blobs;
import dev.autodidact.persistence.proto.cluster.CompletionRow;
import dev.autodidact.persistence.proto.cluster.GenerateRows;
import dev.autodidact.persistence.proto.cluster.GeneratedRows;
import dev.autodidact.persistence.proto.cluster.InferenceJob;
import dev.autodidact.persistence.proto.cluster.InferenceResult;
import dev.autodidact.persistence.proto.cluster.LogProbRow;
import dev.autodidact.persistence.proto.cluster.SampleRow;
import dev.autodidact.persistence.proto.cluster.ScoreRows;
import dev.autodidact.persistence.proto.cluster.ScoredRows;
import dev.autodidact.persistence.proto.cluster.TokenRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Inference as work pulling: the {@link WorkKind} of a run's sampling and scoring requests, the
 * {@link PullingWorker} that serves them from one node's policy replica (an
 * {@link InferenceWorker}, which batches them), and the conversions between the requests and
 * their protobuf jobs. A rollout node loads each checkpoint by its hash from the cluster's
 * shared blob store, which checks the bytes against the hash.
 */
public final class RolloutWorker {

  public static final WorkKind<InferenceJob, InferenceResult> KIND = new WorkKind<>("inference",
      InferenceJob.class, InferenceResult.class, InferenceJob::getJobId, InferenceResult::getJobId,
      InferenceResult::getWorker,
      (jobId, reason, worker) -> InferenceResult.newBuilder().setJobId(jobId).setFailure(reason).setWorker(worker)
          .build(),
      "start a rollout node (autodidact node --roles rollout --journal-url ...) or keep the rollout role in this JVM");

  /** Jobs a rollout worker holds at a time: one sampling, one waiting to join the next batch. */
  public static final int CAPACITY = 2;

  /**
   * How long a rollout node holds a job before the queue gives it to another: a backstop for a
   * node that hangs, longer than a job may take ({@link #JOB_TIMEOUT}) plus one job waiting
   * ahead of it. A node that dies gives its jobs back sooner, when SBR removes it.
   */
  public static final Duration LEASE = Duration.ofMinutes(20);

  /** How long one job may take on its replica (a cold load of a large checkpoint included). */
  static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);

  private RolloutWorker() {}

  /**
   * The inference settings that change a log-prob's last bits: the engine, and scoring's
   * intra-op threads. A job carries its run's; a replica runs only jobs whose identity is its
   * own, so which node served a request never changes a number.
   */
  public record Identity(String engine, int scoreThreads) {
    public static Identity of(RunSettings settings) {
      return new Identity(settings.inference().engine(), settings.inference().scoreThreads());
    }

    /** Why this replica must not run {@code job}, or null when it may. */
    String mismatch(InferenceJob job) {
      if (!job.getEngine().isEmpty() && !job.getEngine().equals(engine)) {
        return "this node samples with inference.engine=" + engine + ", the run with " + job.getEngine()
            + "; start rollout nodes with --set inference.engine=" + job.getEngine();
      }
      if (job.getScoreThreads() != 0 && job.getScoreThreads() != scoreThreads) {
        return "this node scores with inference.score_threads=" + scoreThreads + ", the run with "
            + job.getScoreThreads() + "; start rollout nodes with --set inference.score_threads="
            + job.getScoreThreads();
      }
      return null;
    }
  }

  /**
   * @param blobs the cluster's shared store, where the run publishes each checkpoint it asks for
   * @param setup the replica's batching and engine
   * @param identity the settings that shape this replica's numbers; jobs of runs with others go
   *     back to the queue, for a node that has theirs
   */
  public static Behavior<PullingWorker.Command> create(Blobs blobs, InferenceWorker.Setup setup, Identity identity) {
    return PullingWorker.create(KIND, CAPACITY, context -> {
      ActorRef<InferenceWorker.Command> replica = context.spawn(
          Behaviors.supervise(InferenceWorker.create(blobs, setup))
              .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2)),
          "replica", DispatcherSelector.fromConfig("autodidact-blocking-dispatcher"));
      return new Replica(replica, identity, blobs, new java.util.HashSet<>(), context, PullingWorker.nodeName(context));
    });
  }

  /** Runs inference jobs on this node's InferenceWorker. */
  private record Replica(ActorRef<InferenceWorker.Command> worker, Identity identity, Blobs blobs,
      Set<String> present, ActorContext<?> context, String name)
      implements PullingWorker.Runner<InferenceJob, InferenceResult> {

    @Override
    public CompletableFuture<InferenceResult> run(InferenceJob job) {
      String mismatch = identity.mismatch(job);
      if (mismatch == null) {
        try {
          mismatch = missing(job.getCheckpoint());
        } catch (java.io.UncheckedIOException e) { // the store is down: this node cannot run it now
          return CompletableFuture.failedFuture(e);
        }
      }
      if (mismatch != null) {
        // Not this node's job (its numbers could differ, or it cannot see the run's checkpoints);
        // another node may fit.
        return CompletableFuture.failedFuture(new PullingWorker.Incompatible(mismatch));
      }
      InferenceResult.Builder result = InferenceResult.newBuilder().setJobId(job.getJobId()).setWorker(name);
      return switch (job.getKindCase()) {
        case GENERATE -> {
          List<SampleRequest> requests = requests(job.getGenerate());
          yield AskPattern.<InferenceWorker.Command, InferenceWorker.Generated>askWithStatus(worker,
                  replyTo -> new InferenceWorker.Generate(job.getCheckpoint(), requests, replyTo), JOB_TIMEOUT,
                  context.getSystem().scheduler())
              .thenApply(generated -> result.setGenerated(generatedRows(generated.completions())).build())
              .toCompletableFuture();
        }
        case SCORE -> {
          ScoreRows rows = job.getScore();
          if (rows.getPromptsCount() != rows.getCompletionsCount()) {
            throw new IllegalArgumentException(rows.getPromptsCount() + " prompts but " + rows.getCompletionsCount()
                + " completions");
          }
          List<int[]> prompts = rows.getPromptsList().stream().map(RolloutWorker::tokens).toList();
          List<int[]> completions = rows.getCompletionsList().stream().map(RolloutWorker::tokens).toList();
          yield AskPattern.<InferenceWorker.Command, InferenceWorker.Scored>askWithStatus(worker,
                  replyTo -> new InferenceWorker.Score(job.getCheckpoint(), prompts, completions, replyTo),
                  JOB_TIMEOUT, context.getSystem().scheduler())
              .thenApply(scored -> result.setScored(scoredRows(scored.logProbs())).build())
              .toCompletableFuture();
        }
        case KIND_NOT_SET -> throw new IllegalArgumentException("a job with nothing to compute");
      };
    }

    /** Why this node cannot load {@code checkpoint} (its store is not the run's), or null. */
    private String missing(String checkpoint) {
      if (present.contains(checkpoint)) {
        return null;
      }
      try {
        if (!blobs.contains(checkpoint)) {
          return "this node's checkpoint store (" + blobs.describe() + ") has no checkpoint " + checkpoint
              + ": is its --journal-url the run's?";
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot reach the checkpoint store " + blobs.describe() + ": "
            + e.getMessage(), e);
      }
      present.add(checkpoint);
      return null;
    }

    @Override
    public void close() {
      // The replica is a child: it stops with the worker and closes its engine then.
    }
  }

  /** A sampling job for {@code requests} (each row keeps its own noise stream's key and position). */
  static GenerateRows generateRows(List<SampleRequest> requests) {
    GenerateRows.Builder rows = GenerateRows.newBuilder();
    for (SampleRequest request : requests) {
      SampleRow.Builder row = SampleRow.newBuilder().setMaxNewTokens(request.maxNewTokens())
          .setTemperature(request.temperature());
      Arrays.stream(request.prompt()).forEach(row::addPrompt);
      if (request.noise() != null) {
        row.setHasNoise(true).setNoiseKey(request.noise().key()).setNoisePosition(request.noise().position());
      }
      rows.addRows(row);
    }
    return rows.build();
  }

  /** The requests of a sampling job; a malformed row is refused with {@link IllegalArgumentException}. */
  static List<SampleRequest> requests(GenerateRows rows) {
    List<SampleRequest> requests = new ArrayList<>(rows.getRowsCount());
    for (SampleRow row : rows.getRowsList()) {
      SeedStream noise = row.getHasNoise() ? SeedStream.resume(row.getNoiseKey(), row.getNoisePosition()) : null;
      requests.add(new SampleRequest(row.getPromptList().stream().mapToInt(Integer::intValue).toArray(),
          row.getMaxNewTokens(), row.getTemperature(), noise));
    }
    return requests;
  }

  static GeneratedRows generatedRows(List<Completion> completions) {
    GeneratedRows.Builder rows = GeneratedRows.newBuilder();
    for (Completion completion : completions) {
      CompletionRow.Builder row = CompletionRow.newBuilder().setFinished(completion.finished());
      Arrays.stream(completion.tokens()).forEach(row::addTokens);
      for (float logProb : completion.logProbs()) {
        row.addLogProbs(logProb);
      }
      rows.addCompletions(row);
    }
    return rows.build();
  }

  static List<Completion> completions(GeneratedRows rows) {
    return rows.getCompletionsList().stream().map(row -> new Completion(
        row.getTokensList().stream().mapToInt(Integer::intValue).toArray(), floats(row.getLogProbsList()),
        row.getFinished())).toList();
  }

  static TokenRow tokenRow(int[] tokens) {
    TokenRow.Builder row = TokenRow.newBuilder();
    Arrays.stream(tokens).forEach(row::addTokens);
    return row.build();
  }

  static int[] tokens(TokenRow row) {
    return row.getTokensList().stream().mapToInt(Integer::intValue).toArray();
  }

  static ScoredRows scoredRows(List<float[]> logProbs) {
    ScoredRows.Builder rows = ScoredRows.newBuilder();
    for (float[] row : logProbs) {
      LogProbRow.Builder proto = LogProbRow.newBuilder();
      for (float logProb : row) {
        proto.addLogProbs(logProb);
      }
      rows.addRows(proto);
    }
    return rows.build();
  }

  static List<float[]> logProbs(ScoredRows rows) {
    return rows.getRowsList().stream().map(row -> floats(row.getLogProbsList())).toList();
  }

  private static float[] floats(List<Float> values) {
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }
}
