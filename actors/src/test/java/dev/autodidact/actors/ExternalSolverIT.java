package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.task.Task;
import dev.autodidact.core.world.Difficulty;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.persistence.BlobStore;
import dev.autodidact.persistence.proto.ExternalSolution;
import dev.autodidact.persistence.proto.ExternalSolutionsUsed;
import dev.autodidact.persistence.proto.Outcome;
import dev.autodidact.persistence.proto.RolloutsSampled;
import dev.autodidact.persistence.proto.RolloutsVerified;
import dev.autodidact.sandbox.SandboxPool;
import dev.autodidact.sandbox.Verifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roles on real tasks: the oracle's answers for all three task types verify as correct
 * in the real sandbox, and a barely trained model's rollouts are judged without error.
 */
class ExternalSolverIT {
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  @TempDir
  static Path temp;
  static ActorTestKit kit;
  static RunSettings settings;
  static String checkpoint;
  static List<Task> tasks;
  static ActorRef<InferenceWorker.Command> inference;
  static ActorRef<VerifierPool.Command> verifier;

  @BeforeAll
  static void start() throws Exception {
    settings = RunSettings.from(ConfigFactory.parseString("autodidact { model.preset = tiny, tasks.rollouts = 2 }")
        .withFallback(ConfigFactory.defaultReference()).resolve());
    BlobStore blobs = new BlobStore(temp.resolve("blobs"));
    try (Policy policy = Policies.create(settings.modelConfig(), 3, 1)) {
      checkpoint = blobs.put(policy.checkpoint());
    }
    try (SandboxPool pool = SandboxPool.start(settings.sandboxConfig())) {
      tasks = Pretraining.validatedTasks(new Verifier(pool), Difficulty.easy(), 11, 0, Phase.REFERENCE_TASKS, 4, "t");
    }
    kit = ActorTestKit.create(ConfigFactory.defaultReference());
    inference = kit.spawn(InferenceWorker.create(blobs,
        new InferenceWorker.Setup(64, java.time.Duration.ofMillis(2), bytes -> Policies.restore(bytes, 1))));
    kit.spawn(VerifierWorker.create(settings.sandboxConfig(), VerifierWorker.capacityFor(settings.sandboxConfig())));
    verifier = kit.spawn(VerifierPool.create(settings));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void theOraclesAnswersAreVerifiedCorrectForEveryTaskType() throws Exception {
    assertThat(tasks).extracting(Task::type).containsAll(List.of(dev.autodidact.core.task.TaskType.values()));
    ActorRef<ExternalSolver.Command> external = kit.spawn(ExternalSolver.create(settings, verifier, inference));
    ExternalSolutionsUsed used = AskPattern.<ExternalSolver.Command, ExternalSolutionsUsed>askWithStatus(external,
        replyTo -> new ExternalSolver.SolveUnsolved(1, checkpoint, tasks, replyTo), TIMEOUT, kit.scheduler())
        .toCompletableFuture().get();
    assertThat(used.getSolutionsList()).hasSize(tasks.size());
    for (ExternalSolution solution : used.getSolutionsList()) {
      assertThat(solution.getOutcome()).as(solution.getGeneration().getText()).isEqualTo(Outcome.CORRECT);
      assertThat(solution.getGeneration().getLogProbsCount()).isEqualTo(solution.getGeneration().getTokensCount());
      assertThat(solution.getGeneration().getLogProbsList()).allMatch(p -> p <= 0f && Float.isFinite(p));
    }
  }

  @Test
  void randomWeightsRolloutsAreSampledAndJudgedMalformed() throws Exception {
    ActorRef<Solver.Command> solver = kit.spawn(Solver.create(settings, inference));
    RolloutsSampled sampled = AskPattern.<Solver.Command, RolloutsSampled>askWithStatus(solver,
        replyTo -> new Solver.Solve(1, checkpoint, tasks, replyTo), TIMEOUT, kit.scheduler())
        .toCompletableFuture().get();
    assertThat(sampled.getGroupsCount()).isEqualTo(tasks.size());
    assertThat(sampled.getGroups(0).getRolloutsCount()).isEqualTo(settings.tasks().rollouts());
    RolloutsVerified verified = AskPattern.<VerifierPool.Command, RolloutsVerified>askWithStatus(verifier,
        replyTo -> new VerifierPool.Verify(tasks, sampled, replyTo), TIMEOUT, kit.scheduler())
        .toCompletableFuture().get();
    assertThat(verified.getGroupsCount()).isEqualTo(tasks.size());
    // The checkpoint holds random weights: its answers are garbage, and get the format penalty.
    verified.getGroupsList().forEach(group ->
        assertThat(group.getOutcomesList()).hasSize(settings.tasks().rollouts()).containsOnly(Outcome.MALFORMED));
  }
}
