package dev.autodidact.actors;

import dev.autodidact.core.reward.Advantages;
import dev.autodidact.core.reward.ExternalDataBudget;
import dev.autodidact.core.reward.Outcome;
import dev.autodidact.core.reward.RewardConfig;
import dev.autodidact.core.reward.Rewards;
import dev.autodidact.model.PolicySample;
import dev.autodidact.persistence.proto.ExternalSolution;
import dev.autodidact.persistence.proto.ExternalSolutionsUsed;
import dev.autodidact.persistence.proto.Generation;
import dev.autodidact.persistence.proto.GroupOutcomes;
import dev.autodidact.persistence.proto.LimitBreakDecided;
import dev.autodidact.persistence.proto.LimitBreakDecision;
import dev.autodidact.persistence.proto.PolicyUpdated;
import dev.autodidact.persistence.proto.ProposedTask;
import dev.autodidact.persistence.proto.RewardsAssigned;
import dev.autodidact.persistence.proto.RolloutGroup;
import dev.autodidact.persistence.proto.RolloutsSampled;
import dev.autodidact.persistence.proto.RolloutsVerified;
import dev.autodidact.persistence.proto.SampleReward;
import dev.autodidact.persistence.proto.TasksProposed;
import dev.autodidact.persistence.proto.TasksValidated;
import dev.autodidact.persistence.proto.Validation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded results of one step's phases, and the pure functions that turn them into
 * rewards, the learner's batch and the step's metrics. Nothing here samples, runs code or
 * reads a clock: a replay of the events computes exactly what the live run did.
 */
record StepRecord(
    TasksProposed proposed,
    TasksValidated validated,
    RolloutsSampled sampled,
    RolloutsVerified verified,
    LimitBreakDecided decided,
    ExternalSolutionsUsed external,
    RewardsAssigned rewarded) {

  static StepRecord empty() {
    return new StepRecord(null, null, null, null, null, null, null);
  }

  StepRecord with(TasksProposed e) {
    return new StepRecord(e, null, null, null, null, null, null);
  }

  StepRecord with(TasksValidated e) {
    return new StepRecord(proposed, e, null, null, null, null, null);
  }

  StepRecord with(RolloutsSampled e) {
    return new StepRecord(proposed, validated, e, null, null, null, null);
  }

  StepRecord with(RolloutsVerified e) {
    return new StepRecord(proposed, validated, sampled, e, null, null, null);
  }

  StepRecord with(LimitBreakDecided e) {
    return new StepRecord(proposed, validated, sampled, verified, e, null, null);
  }

  StepRecord with(ExternalSolutionsUsed e) {
    return new StepRecord(proposed, validated, sampled, verified, decided, e, null);
  }

  StepRecord with(RewardsAssigned e) {
    return new StepRecord(proposed, validated, sampled, verified, decided, external, e);
  }

  /** Correct rollouts per task id. */
  Map<String, Integer> correctCounts() {
    Map<String, Integer> counts = new HashMap<>();
    for (GroupOutcomes group : verified.getGroupsList()) {
      int correct = 0;
      for (var outcome : group.getOutcomesList()) {
        if (outcome == dev.autodidact.persistence.proto.Outcome.CORRECT) {
          correct++;
        }
      }
      counts.put(group.getTaskId(), correct);
    }
    return counts;
  }

  /** The proposal index of each valid task id. */
  Map<String, Integer> proposalOfTask() {
    Map<String, Integer> proposals = new HashMap<>();
    for (int i = 0; i < validated.getValidationsCount(); i++) {
      Validation validation = validated.getValidations(i);
      if (validation.getValid()) {
        proposals.put(validation.getTaskId(), i);
      }
    }
    return proposals;
  }

  /** External solutions that verified as correct, by task id: the ones that are used. */
  Map<String, ExternalSolution> usedExternalSolutions() {
    Map<String, ExternalSolution> used = new HashMap<>();
    for (ExternalSolution solution : external.getSolutionsList()) {
      if (solution.getOutcome() == dev.autodidact.persistence.proto.Outcome.CORRECT) {
        used.put(solution.getTaskId(), solution);
      }
    }
    return used;
  }

  /**
   * Step 6 of METHOD.md. Generator samples: every proposal (invalid ones get the penalty).
   * Solver samples: the rollouts of every task that was solved at least once, or that got a
   * used external solution (which joins its group as one more, correct, sample); tasks left
   * unsolved and unselected are dropped. Advantages are normalised per (role, task type).
   */
  RewardsAssigned assignRewards(RewardConfig config, int rollouts, boolean overTokens) {
    Map<String, Integer> correct = correctCounts();
    Map<String, ExternalSolution> used = usedExternalSolutions();
    List<SampleReward.Builder> samples = new ArrayList<>();
    List<Advantages.Sample> forAdvantages = new ArrayList<>();

    for (int i = 0; i < proposed.getProposalsCount(); i++) {
      ProposedTask proposal = proposed.getProposals(i);
      Validation validation = validated.getValidations(i);
      double reward = config.invalidProposal();
      if (validation.getValid()) {
        double mu = (double) proposal.getPredictedSuccesses() / rollouts;
        double p = Rewards.successRate(correct.get(validation.getTaskId()), rollouts);
        reward = Rewards.generator(mu, p, config);
      }
      samples.add(SampleReward.newBuilder().setRole(SampleReward.Role.GENERATOR)
          .setType(proposal.getType()).setIndex(i).setReward(reward));
      forAdvantages.add(new Advantages.Sample("generator/" + proposal.getType(), reward,
          proposal.getGeneration().getTokensCount()));
    }

    Map<String, Integer> proposalOf = proposalOfTask();
    for (int g = 0; g < sampled.getGroupsCount(); g++) {
      RolloutGroup group = sampled.getGroups(g);
      String taskId = group.getTaskId();
      ExternalSolution external = used.get(taskId);
      if (correct.get(taskId) == 0 && external == null) {
        continue;
      }
      var type = proposed.getProposals(proposalOf.get(taskId)).getType();
      List<dev.autodidact.persistence.proto.Outcome> outcomes = verified.getGroups(g).getOutcomesList();
      for (int j = 0; j < group.getRolloutsCount(); j++) {
        double reward = Rewards.solver(outcome(outcomes.get(j)), config);
        samples.add(SampleReward.newBuilder().setRole(SampleReward.Role.SOLVER)
            .setType(type).setTaskId(taskId).setIndex(j).setReward(reward));
        forAdvantages.add(new Advantages.Sample("solver/" + type, reward, group.getRollouts(j).getTokensCount()));
      }
      if (external != null) {
        samples.add(SampleReward.newBuilder().setRole(SampleReward.Role.EXTERNAL)
            .setType(type).setTaskId(taskId).setReward(config.correct()));
        forAdvantages.add(new Advantages.Sample("solver/" + type, config.correct(),
            external.getGeneration().getTokensCount()));
      }
    }

    double[] advantages = Advantages.taskRelative(forAdvantages, overTokens);
    RewardsAssigned.Builder event = RewardsAssigned.newBuilder().setStep(proposed.getStep());
    for (int i = 0; i < samples.size(); i++) {
      event.addSamples(samples.get(i).setAdvantage(advantages[i]));
    }
    return event.build();
  }

  /** The learner's batch, in the order of the rewards event. */
  List<PolicySample> learnerBatch() {
    Map<String, RolloutGroup> groups = new HashMap<>();
    sampled.getGroupsList().forEach(group -> groups.put(group.getTaskId(), group));
    Map<String, ExternalSolution> used = usedExternalSolutions();
    List<PolicySample> batch = new ArrayList<>();
    for (SampleReward sample : rewarded.getSamplesList()) {
      Generation generation = switch (sample.getRole()) {
        case GENERATOR -> proposed.getProposals(sample.getIndex()).getGeneration();
        case SOLVER -> groups.get(sample.getTaskId()).getRollouts(sample.getIndex());
        case EXTERNAL -> used.get(sample.getTaskId()).getGeneration();
        default -> throw new IllegalStateException("sample without a role in step " + rewarded.getStep());
      };
      if (generation.getTokensCount() == 0) {
        continue;
      }
      batch.add(new PolicySample(Generations.promptTokens(generation.getPrompt()), Generations.tokens(generation),
          Generations.logProbs(generation), (float) sample.getAdvantage()));
    }
    return batch;
  }

  /** The step's metrics, given the run's running totals after this step. */
  StepMetrics metrics(PolicyUpdated update, RewardConfig config, int rollouts, long validTotal, long usedTotal) {
    Map<String, Integer> correct = correctCounts();
    Map<String, Integer> proposalOf = proposalOfTask();
    int valid = proposalOf.size();
    int malformed = (int) proposed.getProposalsList().stream().filter(p -> !p.getWellFormed()).count();

    double generatorRewards = rewarded.getSamplesList().stream()
        .filter(s -> s.getRole() == SampleReward.Role.GENERATOR).mapToDouble(SampleReward::getReward).sum();
    double solverRewards = 0;
    int rolloutCount = 0;
    for (GroupOutcomes group : verified.getGroupsList()) {
      for (var outcome : group.getOutcomesList()) {
        solverRewards += Rewards.solver(outcome(outcome), config);
        rolloutCount++;
      }
    }
    double dp = 0;
    double p = 0;
    int unsolved = 0;
    for (Map.Entry<String, Integer> task : proposalOf.entrySet()) {
      double success = Rewards.successRate(correct.get(task.getKey()), rollouts);
      double mu = (double) proposed.getProposals(task.getValue()).getPredictedSuccesses() / rollouts;
      dp += Rewards.difficultyPrediction(mu, success);
      p += success;
      if (correct.get(task.getKey()) == 0) {
        unsolved++;
      }
    }
    List<LimitBreakDecision> decisions = decided.getDecisionsList();
    return new StepMetrics(
        proposed.getStep(),
        generatorRewards / Math.max(1, proposed.getProposalsCount()),
        rolloutCount == 0 ? null : solverRewards / rolloutCount,
        valid == 0 ? null : dp / valid,
        valid == 0 ? null : p / valid,
        valid,
        proposed.getProposalsCount() - valid,
        malformed,
        unsolved,
        (int) decisions.stream().filter(LimitBreakDecision::getSelected).count(),
        usedExternalSolutions().size(),
        ExternalDataBudget.ratio(usedTotal, validTotal),
        meanUtility(decisions, true),
        meanUtility(decisions, false),
        update.getLoss(),
        update.getSkipped(),
        update.getPolicyVersion(),
        update.getCheckpoint(),
        update.getWallSeconds());
  }

  private static Double meanUtility(List<LimitBreakDecision> decisions, boolean selected) {
    return decisions.stream().filter(d -> d.getSelected() == selected)
        .mapToDouble(LimitBreakDecision::getUtility).average().stream().boxed().findFirst().orElse(null);
  }

  static Outcome outcome(dev.autodidact.persistence.proto.Outcome outcome) {
    return switch (outcome) {
      case CORRECT -> Outcome.CORRECT;
      case WRONG -> Outcome.WRONG;
      case MALFORMED -> Outcome.MALFORMED;
      default -> throw new IllegalArgumentException("rollout without an outcome");
    };
  }
}
