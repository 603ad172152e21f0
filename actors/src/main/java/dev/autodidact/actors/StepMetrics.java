package dev.autodidact.actors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one training step reports: one line of metrics.jsonl. Every value but
 * {@code wallSeconds} is a pure function of the run's events, so a replay rebuilds it exactly.
 * Values that are undefined for a step (an accuracy over zero tasks) are null.
 */
public record StepMetrics(
    long step,
    double rewardGenerator,
    Double rewardSolver,
    Double dpAccuracy,
    Double rolloutAccuracy,
    int validTasks,
    int invalidTasks,
    int malformedProposals,
    int unsolvedTasks,
    int selectedForExternal,
    int externalUsed,
    double extraDataRatio,
    Double utilitySelected,
    Double utilityUnselected,
    double loss,
    boolean updateSkipped,
    long policyVersion,
    String checkpoint,
    double wallSeconds) {

  /** The JSON object of metrics.jsonl, keys in a fixed order. */
  public Map<String, Object> asJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("step", step);
    json.put("reward_generator", rewardGenerator);
    json.put("reward_solver", rewardSolver);
    json.put("dp_accuracy", dpAccuracy);
    json.put("rollout_accuracy", rolloutAccuracy);
    json.put("valid_tasks", validTasks);
    json.put("invalid_tasks", invalidTasks);
    json.put("malformed_proposals", malformedProposals);
    json.put("unsolved_tasks", unsolvedTasks);
    json.put("selected_for_external", selectedForExternal);
    json.put("external_used", externalUsed);
    json.put("extra_data_ratio", extraDataRatio);
    json.put("utility_selected", utilitySelected);
    json.put("utility_unselected", utilityUnselected);
    json.put("loss", loss);
    json.put("update_skipped", updateSkipped);
    json.put("policy_version", policyVersion);
    json.put("checkpoint", checkpoint);
    json.put("wall_s", wallSeconds);
    return json;
  }
}
