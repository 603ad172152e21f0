package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.model.PolicySample;
import dev.autodidact.model.LossConfig;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.RolloutEngine;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.persistence.BlobStore;
import dev.autodidact.persistence.proto.PolicyUpdated;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The InferenceWorker actor with a real (tiny) policy: dynamic batching, failures, versions. */
class InferenceWorkerIT {
  static final Duration TIMEOUT = Duration.ofMinutes(1);

  @TempDir
  static Path temp;
  static ActorTestKit kit;
  static BlobStore blobs;
  static String first;
  static String second;

  @BeforeAll
  static void start() throws Exception {
    blobs = new BlobStore(temp.resolve("blobs"));
    try (Policy policy = Policies.create(GptConfig.tiny(), 5, 1)) {
      first = blobs.put(policy.checkpoint());
      int[] prompt = {10, 11, 12};
      policy.reinforceStep(List.of(new PolicySample(prompt, new int[] {13, 14},
          policy.logProbs(List.of(prompt), List.of(new int[] {13, 14})).get(0), 1f)),
          LossConfig.defaults(), OptimizerConfig.defaults());
      second = blobs.put(policy.checkpoint());
    }
    kit = ActorTestKit.create(ConfigFactory.defaultReference());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** {@code rows} sampled requests of one role; equal arguments give equal (fresh) streams. */
  private static List<SampleRequest> requests(int role, int rows) {
    List<SampleRequest> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int[] prompt = new int[3 + (i * 7 + role) % 11];
      for (int k = 0; k < prompt.length; k++) {
        prompt[k] = 5 + (k * 3 + i + role) % 80;
      }
      out.add(new SampleRequest(prompt, 6 + i % 5, 0.8f + 0.1f * (i % 3),
          SeedStream.of(7, role, Phase.SOLVE, i)));
    }
    return out;
  }

  /** The real policy, with a record of every batch it was asked to sample. */
  private static class Recording implements RolloutEngine {
    final RolloutEngine engine;
    final List<Integer> batches;

    Recording(RolloutEngine engine, List<Integer> batches) {
      this.engine = engine;
      this.batches = batches;
    }

    @Override public int vocabSize() {
      return engine.vocabSize();
    }

    @Override public int contextLength() {
      return engine.contextLength();
    }

    @Override public long version() {
      return engine.version();
    }

    @Override public List<Completion> sample(List<SampleRequest> batch) {
      batches.add(batch.size());
      return engine.sample(batch);
    }

    @Override public List<float[]> logProbs(List<int[]> prompts, List<int[]> completions) {
      return engine.logProbs(prompts, completions);
    }

    @Override public void close() {
      engine.close();
    }
  }

  private static ActorRef<InferenceWorker.Command> worker(int maxBatch, Duration delay,
      Function<byte[], RolloutEngine> engines) {
    return kit.spawn(Behaviors.supervise(InferenceWorker.create(blobs,
        new InferenceWorker.Setup(maxBatch, delay, engines))).onFailure(SupervisorStrategy.restart()));
  }

  private static CompletableFuture<InferenceWorker.Generated> generate(
      ActorRef<InferenceWorker.Command> worker, String checkpoint, List<SampleRequest> requests) {
    return AskPattern.<InferenceWorker.Command, InferenceWorker.Generated>askWithStatus(worker,
        replyTo -> new InferenceWorker.Generate(checkpoint, requests, replyTo), TIMEOUT, kit.scheduler())
        .toCompletableFuture();
  }

  private static List<int[]> alone(String checkpoint, List<SampleRequest> requests) throws Exception {
    try (Policy policy = Policies.restore(blobs.get(checkpoint), 1)) {
      return policy.sample(requests).stream().map(Completion::tokens).toList();
    }
  }

  @Test
  void requestsFromSeveralRolesShareBatchesAndEachGetsWhatItWouldAlone() throws Exception {
    List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
    ActorRef<InferenceWorker.Command> worker = worker(16, Duration.ofSeconds(2),
        bytes -> new Recording(Policies.restore(bytes, 2), batches));
    int[] sizes = {5, 7, 20};
    List<CompletableFuture<InferenceWorker.Generated>> replies = new ArrayList<>();
    for (int role = 0; role < sizes.length; role++) {
      replies.add(generate(worker, first, requests(role, sizes[role])));
    }
    for (int role = 0; role < sizes.length; role++) {
      List<Completion> got = replies.get(role).get().completions();
      assertThat(got).hasSize(sizes[role]);
      List<int[]> expected = alone(first, requests(role, sizes[role]));
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i).tokens()).as("role %d row %d", role, i).isEqualTo(expected.get(i));
      }
    }
    // 32 rows from three requests in two full batches: the roles' rows were mixed.
    assertThat(batches).containsExactly(16, 16);
  }

  @Test
  void aLoneSmallRequestRunsAfterTheDelay() throws Exception {
    List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
    ActorRef<InferenceWorker.Command> worker = worker(64, Duration.ofMillis(20),
        bytes -> new Recording(Policies.restore(bytes, 1), batches));
    assertThat(generate(worker, first, requests(0, 3)).get().completions()).hasSize(3);
    assertThat(generate(worker, first, List.of()).get().completions()).isEmpty();
    assertThat(batches).containsExactly(3);
  }

  @Test
  void anEngineThatLosesARowFailsEveryWaitingRequestLoudlyAndTheWorkerRecovers() throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    ActorRef<InferenceWorker.Command> worker = worker(8, Duration.ofSeconds(2),
        bytes -> new Recording(Policies.restore(bytes, 1), new ArrayList<>()) {
          @Override public List<Completion> sample(List<SampleRequest> batch) {
            List<Completion> out = super.sample(batch);
            return broken.getAndSet(false) ? out.subList(0, out.size() - 1) : out;
          }
        });
    CompletableFuture<InferenceWorker.Generated> a = generate(worker, first, requests(0, 3));
    CompletableFuture<InferenceWorker.Generated> b = generate(worker, first, requests(1, 9));
    for (CompletableFuture<InferenceWorker.Generated> reply : List.of(a, b)) {
      assertThatThrownBy(reply::get).isInstanceOf(ExecutionException.class)
          .hasMessageContaining("the engine answered 7 of 8 rows");
    }
    List<Completion> after = generate(worker, first, requests(2, 4)).get().completions();
    assertThat(after.stream().map(Completion::tokens).toList())
        .usingRecursiveComparison().isEqualTo(alone(first, requests(2, 4)));
  }

  @Test
  void anAnnouncedVersionIsLoadedBetweenRequestsAndServesTheFirstRequestThatNamesIt() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    ActorRef<InferenceWorker.Command> worker = worker(64, Duration.ofMillis(5), bytes -> {
      loads.incrementAndGet();
      return Policies.restore(bytes, 1);
    });
    generate(worker, first, requests(0, 2)).get();
    worker.tell(new InferenceWorker.PolicyAnnounced(
        PolicyUpdated.newBuilder().setCheckpoint(second).setPolicyVersion(1).build()));
    // Requests still naming the old version are served by it; the new one waits, loaded.
    List<Completion> old = generate(worker, first, requests(1, 2)).get().completions();
    assertThat(old.stream().map(Completion::tokens).toList())
        .usingRecursiveComparison().isEqualTo(alone(first, requests(1, 2)));
    List<Completion> fresh = generate(worker, second, requests(1, 2)).get().completions();
    assertThat(fresh.stream().map(Completion::tokens).toList())
        .usingRecursiveComparison().isEqualTo(alone(second, requests(1, 2)));
    assertThat(loads).hasValue(2);
  }
}
