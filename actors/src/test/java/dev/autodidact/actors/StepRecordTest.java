package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autodidact.core.reward.RewardConfig;
import dev.autodidact.model.PolicySample;
import dev.autodidact.persistence.proto.ExternalSolution;
import dev.autodidact.persistence.proto.ExternalSolutionsUsed;
import dev.autodidact.persistence.proto.Generation;
import dev.autodidact.persistence.proto.GroupOutcomes;
import dev.autodidact.persistence.proto.LimitBreakDecided;
import dev.autodidact.persistence.proto.LimitBreakDecision;
import dev.autodidact.persistence.proto.Outcome;
import dev.autodidact.persistence.proto.PolicyUpdated;
import dev.autodidact.persistence.proto.ProposedTask;
import dev.autodidact.persistence.proto.RewardsAssigned;
import dev.autodidact.persistence.proto.RolloutGroup;
import dev.autodidact.persistence.proto.RolloutsSampled;
import dev.autodidact.persistence.proto.RolloutsVerified;
import dev.autodidact.persistence.proto.SampleReward;
import dev.autodidact.persistence.proto.TaskType;
import dev.autodidact.persistence.proto.TasksProposed;
import dev.autodidact.persistence.proto.TasksValidated;
import dev.autodidact.persistence.proto.Validation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rewards, the learner's batch and metrics of one hand-built step, against hand-computed values. */
class StepRecordTest {
  static final int K = 4;

  private final StepRecord step = StepRecord.empty()
      .with(TasksProposed.newBuilder().setStep(1)
          .addProposals(proposal(TaskType.DEDUCTION, true, 2, 3))
          .addProposals(proposal(TaskType.ABDUCTION, false, 0, 2))
          .addProposals(proposal(TaskType.INDUCTION, true, 4, 4))
          .build())
      .with(TasksValidated.newBuilder().setStep(1)
          .addValidations(Validation.newBuilder().setValid(true).setTaskId("s1-D0").addOutputs("4"))
          .addValidations(Validation.newBuilder().setValid(false).setReason("malformed: no @k line"))
          .addValidations(Validation.newBuilder().setValid(true).setTaskId("s1-I2").addOutputs("1").addOutputs("2"))
          .build())
      .with(RolloutsSampled.newBuilder().setStep(1)
          .addGroups(group("s1-D0", 1))
          .addGroups(group("s1-I2", 2))
          .build())
      .with(RolloutsVerified.newBuilder().setStep(1)
          .addGroups(GroupOutcomes.newBuilder().setTaskId("s1-D0")
              .addOutcomes(Outcome.CORRECT).addOutcomes(Outcome.WRONG)
              .addOutcomes(Outcome.CORRECT).addOutcomes(Outcome.MALFORMED))
          .addGroups(GroupOutcomes.newBuilder().setTaskId("s1-I2")
              .addOutcomes(Outcome.WRONG).addOutcomes(Outcome.WRONG)
              .addOutcomes(Outcome.WRONG).addOutcomes(Outcome.WRONG))
          .build())
      .with(LimitBreakDecided.newBuilder().setStep(1)
          .addDecisions(LimitBreakDecision.newBuilder().setTaskId("s1-I2").setMu(1.0).setNovelty(2.0)
              .setUtility(1.5).setSelected(true))
          .build())
      .with(ExternalSolutionsUsed.newBuilder().setStep(1)
          .addSolutions(ExternalSolution.newBuilder().setTaskId("s1-I2").setSolver("oracle")
              .setGeneration(generation(3)).setOutcome(Outcome.CORRECT))
          .build());

  @Test
  void rewardsFollowMethodMd() {
    RewardsAssigned rewards = step.assignRewards(RewardConfig.defaults(), K, true);
    List<SampleReward> samples = rewards.getSamplesList();
    assertThat(samples).hasSize(3 + 4 + 4 + 1);
    // generator: mu = 2/4, p = 2/4 -> 0.5 * 1 + 0.5 * 0.5; malformed -> -1; mu = 1, p = 0 -> 0
    assertThat(samples.get(0).getReward()).isCloseTo(0.75, within(1e-12));
    assertThat(samples.get(1).getReward()).isEqualTo(-1.0);
    assertThat(samples.get(2).getReward()).isEqualTo(0.0);
    assertThat(samples.subList(3, 7)).extracting(SampleReward::getReward).containsExactly(1.0, -0.5, 1.0, -1.0);
    assertThat(samples.subList(7, 11)).extracting(SampleReward::getReward).containsOnly(-0.5);
    assertThat(samples.get(11).getRole()).isEqualTo(SampleReward.Role.EXTERNAL);
    assertThat(samples.get(11).getReward()).isEqualTo(1.0);
  }

  @Test
  void advantagesAreNormalisedOverTokensPerRoleAndType() {
    List<SampleReward> samples = step.assignRewards(RewardConfig.defaults(), K, true).getSamplesList();
    // each generator sample is alone in its (role, type) group: no spread, no advantage
    assertThat(samples.subList(0, 3)).extracting(SampleReward::getAdvantage).containsOnly(0.0);
    // solver/DEDUCTION, one token each: rewards 1, -0.5, 1, -1; mean 0.125, std sqrt(0.796875)
    assertThat(samples.get(3).getAdvantage()).isCloseTo(0.875 / (Math.sqrt(0.796875) + 1e-8), within(1e-12));
    // solver/INDUCTION: 4 rollouts x 2 tokens at -0.5 and the external solution, 3 tokens at 1
    double mean = (8 * -0.5 + 3 * 1.0) / 11;
    double std = Math.sqrt((8 * 0.25 + 3 * 1.0) / 11 - mean * mean);
    assertThat(samples.get(7).getAdvantage()).isCloseTo((-0.5 - mean) / (std + 1e-8), within(1e-12));
    assertThat(samples.get(11).getAdvantage()).isCloseTo((1.0 - mean) / (std + 1e-8), within(1e-12));
  }

  @Test
  void theLearnerBatchFollowsTheRewardsInOrder() {
    StepRecord rewarded = step.with(step.assignRewards(RewardConfig.defaults(), K, true));
    List<PolicySample> batch = rewarded.learnerBatch();
    assertThat(batch).hasSize(12);
    assertThat(batch.get(0).completion()).hasSize(3);
    assertThat(batch.get(11).completion()).hasSize(3);
    assertThat(batch.get(11).behaviourLogProbs()).hasSize(3);
    assertThat(batch.get(0).prompt()[0]).isEqualTo(dev.autodidact.model.CharTokenizer.BOS);
  }

  @Test
  void unsolvedUnselectedTasksAreDroppedFromTheSolverUpdate() {
    StepRecord withoutExternal = step.with(ExternalSolutionsUsed.newBuilder().setStep(1).build());
    List<SampleReward> samples = withoutExternal.assignRewards(RewardConfig.defaults(), K, true).getSamplesList();
    assertThat(samples).hasSize(3 + 4);
  }

  @Test
  void metricsSummariseTheStep() {
    StepRecord rewarded = step.with(step.assignRewards(RewardConfig.defaults(), K, true));
    StepMetrics metrics = rewarded.metrics(PolicyUpdated.newBuilder().setStep(1).setCheckpoint("abc")
        .setPolicyVersion(7).build(), RewardConfig.defaults(), K, 100, 1);
    assertThat(metrics.rewardGenerator()).isCloseTo((0.75 - 1.0 + 0.0) / 3, within(1e-12));
    assertThat(metrics.rewardSolver()).isCloseTo((1 - 0.5 + 1 - 1 - 0.5 * 4) / 8, within(1e-12));
    assertThat(metrics.dpAccuracy()).isCloseTo(0.5, within(1e-12));
    assertThat(metrics.rolloutAccuracy()).isCloseTo(0.25, within(1e-12));
    assertThat(metrics.validTasks()).isEqualTo(2);
    assertThat(metrics.invalidTasks()).isEqualTo(1);
    assertThat(metrics.malformedProposals()).isEqualTo(1);
    assertThat(metrics.unsolvedTasks()).isEqualTo(1);
    assertThat(metrics.selectedForExternal()).isEqualTo(1);
    assertThat(metrics.externalUsed()).isEqualTo(1);
    assertThat(metrics.extraDataRatio()).isEqualTo(0.01);
    assertThat(metrics.utilitySelected()).isEqualTo(1.5);
    assertThat(metrics.utilityUnselected()).isNull();
  }

  private static ProposedTask proposal(TaskType type, boolean wellFormed, int k, int tokens) {
    return ProposedTask.newBuilder().setType(type).setWellFormed(wellFormed).setPredictedSuccesses(k)
        .setGeneration(generation(tokens)).build();
  }

  private static RolloutGroup group(String taskId, int tokens) {
    RolloutGroup.Builder group = RolloutGroup.newBuilder().setTaskId(taskId);
    for (int j = 0; j < K; j++) {
      group.addRollouts(generation(tokens));
    }
    return group.build();
  }

  private static Generation generation(int tokens) {
    Generation.Builder generation = Generation.newBuilder().setPrompt("@ded\n").setFinished(true);
    for (int i = 0; i < tokens; i++) {
      generation.addTokens(10 + i).addLogProbs(-0.5f);
    }
    return generation.build();
  }
}
