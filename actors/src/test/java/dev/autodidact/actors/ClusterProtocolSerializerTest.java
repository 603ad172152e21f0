package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import dev.autodidact.model.PolicySample;
import dev.autodidact.persistence.proto.PolicyUpdated;
import dev.autodidact.persistence.proto.RunStarted;
import dev.autodidact.persistence.proto.cluster.CheckDeduction;
import dev.autodidact.persistence.proto.cluster.GenerateRows;
import dev.autodidact.persistence.proto.cluster.InferenceJob;
import dev.autodidact.persistence.proto.cluster.InferenceResult;
import dev.autodidact.persistence.proto.cluster.SampleRow;
import dev.autodidact.persistence.proto.cluster.SandboxLimits;
import dev.autodidact.persistence.proto.cluster.VerificationJob;
import dev.autodidact.persistence.proto.cluster.VerificationResult;
import dev.autodidact.persistence.proto.cluster.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every message that crosses nodes goes through its protobuf form and comes back equal. */
class ClusterProtocolSerializerTest {

  static ActorTestKit kit;
  static Serialization serialization;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create();
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static Object roundTrip(Object message) {
    var serializer = serialization.findSerializerFor(message);
    assertThat(serializer).isInstanceOf(ClusterProtocolSerializer.class);
    byte[] bytes = serializer.toBinary(message);
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
        .get();
  }

  @Test
  void workMessagesOfBothKindsComeBackEqual() {
    TestProbe<PullingWorker.Command> worker = kit.createTestProbe();
    TestProbe<WorkQueue.Command> queue = kit.createTestProbe();
    VerificationJob verification = VerificationJob.newBuilder().setJobId("r1/0")
        .setDeduction(CheckDeduction.newBuilder().setProgram("def f(x):\n    return x\n").setInput("1").setAnswer("1"))
        .setLimits(SandboxLimits.newBuilder().setTimeoutMillis(2000).setMemoryBytes(1 << 29)).build();
    InferenceJob inference = InferenceJob.newBuilder().setJobId("i1/0").setCheckpoint("ab".repeat(32))
        .setEngine("djl").setScoreThreads(2)
        .setGenerate(GenerateRows.newBuilder().addRows(SampleRow.newBuilder().addPrompt(5).setMaxNewTokens(3)
            .setTemperature(1f).setHasNoise(true).setNoiseKey(-7L).setNoisePosition(11))).build();

    List<Object> messages = List.of(
        new WorkQueue.WorkWanted(worker.ref(), 4),
        new WorkQueue.JobDone(VerificationResult.newBuilder().setJobId("r1/0").setVerdict(Verdict.CORRECT).build()),
        new WorkQueue.JobDone(InferenceResult.newBuilder().setJobId("i1/0").setFailure("no").setWorker("n").build()),
        new WorkQueue.LeasesReturned(worker.ref(), List.of("r1/0", "r1/1"), true, "node: sandbox broke"),
        new PullingWorker.JobsLeased(queue.ref(), List.of(verification), 30_000),
        new PullingWorker.JobsLeased(queue.ref(), List.of(inference), 60_000),
        new WorkQueue.Stats("inference", 1, 2, 3, 40, 5, Map.of("akka://autodidact@127.0.0.1:1", 40L), 1));
    for (Object message : messages) {
      assertThat(roundTrip(message)).as(message.getClass().getSimpleName()).isEqualTo(message);
    }
    TestProbe<WorkQueue.Stats> replyTo = kit.createTestProbe();
    assertThat(roundTrip(new WorkQueue.GetStats(replyTo.ref()))).isEqualTo(new WorkQueue.GetStats(replyTo.ref()));
  }

  @Test
  void runHostMessagesComeBackEqual() {
    TestProbe<RunHost.Update> follower = kit.createTestProbe();
    RunStarted started = RunStarted.newBuilder().setRunId("r1").setSeed(3).setConfig("run.steps = 4")
        .setBaseCheckpoint("cd".repeat(32)).build();
    List<Object> messages = List.of(
        new RunHost.Follow(Optional.of(started), follower.ref()),
        new RunHost.Follow(Optional.empty(), follower.ref()),
        new RunHost.Update("r1", "akka://autodidact@127.0.0.1:2551", 3, false, ""),
        new RunHost.Update("r1", "akka://autodidact@127.0.0.1:2551", 3, false, "step 4 failed 3 times"),
        new RunHost.Update("r1", "akka://autodidact@127.0.0.1:2551", 4, true, ""));
    for (Object message : messages) {
      assertThat(roundTrip(message)).as(message.toString()).isEqualTo(message);
    }
  }

  @Test
  void learnerMessagesCarrySamplesBitForBit() {
    TestProbe<RunLearner.Status> replyTo = kit.createTestProbe();
    PolicySample sample = new PolicySample(new int[] {1, 2, 3}, new int[] {4, 5},
        new float[] {-0.25f, Float.intBitsToFloat(0x80000001)}, -1.5e-7f);
    var train = (RunLearner.Train) roundTrip(new RunLearner.Train(3, "ef".repeat(32), List.of(sample), false,
        replyTo.ref()));
    assertThat(train.step()).isEqualTo(3);
    assertThat(train.replyTo()).isEqualTo(replyTo.ref());
    PolicySample back = train.samples().get(0);
    assertThat(back.prompt()).containsExactly(sample.prompt());
    assertThat(back.completion()).containsExactly(sample.completion());
    assertThat(Float.floatToRawIntBits(back.behaviourLogProbs()[1])).isEqualTo(0x80000001);
    assertThat(back.behaviourLogProbs()[0]).isEqualTo(-0.25f);
    assertThat(Float.floatToRawIntBits(back.advantage())).isEqualTo(Float.floatToRawIntBits(sample.advantage()));

    PolicyUpdated updated = PolicyUpdated.newBuilder().setStep(3).setCheckpoint("ab".repeat(32)).setLoss(0.5).build();
    List<Object> messages = List.of(
        new RunLearner.Train(3, "ef".repeat(32), List.of(), true, replyTo.ref()),
        new RunLearner.Status(3, "ef".repeat(32), RunLearner.State.DONE, Optional.of(updated), ""),
        new RunLearner.Status(3, "ef".repeat(32), RunLearner.State.WORKING, Optional.empty(), ""),
        new RunLearner.Status(3, "ef".repeat(32), RunLearner.State.UNKNOWN, Optional.empty(), ""),
        new RunLearner.Status(3, "ef".repeat(32), RunLearner.State.FAILED, Optional.empty(), "learner: NaN loss"));
    for (Object message : messages) {
      assertThat(roundTrip(message)).as(message.toString()).isEqualTo(message);
    }
  }
}
