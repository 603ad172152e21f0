package dev.autodidact.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.StepMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** metrics.jsonl (one JSON object per step) and summary.json (the run at a glance). */
public final class MetricsFiles {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private MetricsFiles() {}

  /** Rewrites the whole file from the run's state, so a resumed run never duplicates a line. */
  public static void writeMetrics(Path file, List<StepMetrics> metrics) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (StepMetrics step : metrics) {
      lines.append(JSON.writeValueAsString(step.asJson())).append('\n');
    }
    RunDirectory.writeAtomically(file, lines.toString());
  }

  public static void writeSummary(Path file, RunSettings settings, List<StepMetrics> metrics) throws IOException {
    RunDirectory.writeAtomically(file, PRETTY.writeValueAsString(summary(settings, metrics)) + "\n");
  }

  static Map<String, Object> summary(RunSettings settings, List<StepMetrics> metrics) {
    Map<String, Object> summary = new LinkedHashMap<>();
    StepMetrics last = metrics.isEmpty() ? null : metrics.get(metrics.size() - 1);
    summary.put("steps", metrics.size());
    summary.put("seed", settings.seed());
    summary.put("model", settings.modelName());
    summary.put("valid_tasks", metrics.stream().mapToInt(StepMetrics::validTasks).sum());
    summary.put("invalid_tasks", metrics.stream().mapToInt(StepMetrics::invalidTasks).sum());
    summary.put("external_used", metrics.stream().mapToInt(StepMetrics::externalUsed).sum());
    summary.put("extra_data_ratio", last == null ? 0.0 : last.extraDataRatio());
    summary.put("mean_reward_generator", mean(metrics, StepMetrics::rewardGenerator));
    summary.put("mean_reward_solver", mean(metrics, StepMetrics::rewardSolver));
    summary.put("mean_dp_accuracy", mean(metrics, StepMetrics::dpAccuracy));
    summary.put("mean_rollout_accuracy", mean(metrics, StepMetrics::rolloutAccuracy));
    summary.put("mean_loss", mean(metrics, StepMetrics::loss));
    summary.put("updates_skipped", metrics.stream().filter(StepMetrics::updateSkipped).count());
    summary.put("first_dp_accuracy", metrics.isEmpty() ? null : metrics.get(0).dpAccuracy());
    summary.put("last_dp_accuracy", last == null ? null : last.dpAccuracy());
    summary.put("final_policy_version", last == null ? null : last.policyVersion());
    summary.put("final_checkpoint", last == null ? null : last.checkpoint());
    summary.put("wall_s", metrics.stream().mapToDouble(StepMetrics::wallSeconds).sum());
    return summary;
  }

  private static Double mean(List<StepMetrics> metrics, Function<StepMetrics, Number> value) {
    return metrics.stream().map(value).filter(Objects::nonNull).mapToDouble(Number::doubleValue)
        .average().stream().boxed().findFirst().orElse(null);
  }

  static String json(Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
    }
  }
}
