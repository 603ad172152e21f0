package dev.autodidact.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's claims, checked against an ablation's numbers, pure: each claim says whether it
 * holds and on what evidence, so a results table states its own verdict instead of leaving the
 * reader to compare cells. A claim the experiment cannot judge (a variant or suite it did not
 * run, or no task ever selected) holds neither way: {@code holds} is null.
 */
final class AblationClaims {
  private AblationClaims() {}

  /** The paper's bound on external data: under 1.2% of the valid tasks generated. */
  static final double EXTRA_DATA_BOUND = 0.012;

  record Claim(String name, Boolean holds, String evidence) {
    Map<String, Object> asJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("claim", name);
      json.put("holds", holds);
      json.put("evidence", evidence);
      return json;
    }
  }

  /**
   * @param baseHeldout the base model's held-out pass@1 (null: the suite was not run)
   * @param heldout     per variant, its runs' held-out pass@1, one per seed
   * @param runs        per variant, its runs' per-step metrics, one list per seed
   * @param extraData   per variant, its runs' extra-data ratios, one per seed
   */
  static List<Claim> check(Double baseHeldout, Map<String, List<Double>> heldout,
      Map<String, List<List<JsonNode>>> runs, Map<String, List<Double>> extraData) {
    List<Claim> claims = new ArrayList<>();
    claims.add(everyVariantAboveBase(baseHeldout, heldout));
    claims.add(fullGainsMoreThanAzr(baseHeldout, heldout));
    claims.add(extraDataWithinBound(extraData.get("full")));
    claims.add(difficultyPredictionRises(runs.get("full")));
    claims.add(selectedAboveUnselected(runs.get("full")));
    return claims;
  }

  static Claim everyVariantAboveBase(Double base, Map<String, List<Double>> heldout) {
    String name = "every trained variant's held-out pass@1 is above the base model's";
    if (base == null || heldout.isEmpty()) {
      return new Claim(name, null, "no held-out evaluation");
    }
    List<String> parts = new ArrayList<>();
    boolean all = true;
    for (Map.Entry<String, List<Double>> variant : heldout.entrySet()) {
      Double mean = Ablation.Spread.of(variant.getValue()).mean();
      boolean above = mean != null && mean > base;
      all &= above;
      parts.add(String.format(Locale.ROOT, "%s %s%s", variant.getKey(), format(mean), above ? "" : " (not above)"));
    }
    return new Claim(name, all, String.format(Locale.ROOT, "base %.3f; ", base) + String.join(", ", parts));
  }

  static Claim fullGainsMoreThanAzr(Double base, Map<String, List<Double>> heldout) {
    String name = "full self-aware RL improves held-out pass@1 over the base model by more than the AZR-style baseline";
    if (base == null || !heldout.containsKey("full") || !heldout.containsKey("azr")) {
      return new Claim(name, null, "needs the held-out suite and both the full and azr variants");
    }
    Double full = Ablation.relativeImprovement(Ablation.Spread.of(heldout.get("full")).mean(), base);
    Double azr = Ablation.relativeImprovement(Ablation.Spread.of(heldout.get("azr")).mean(), base);
    if (full == null || azr == null) {
      return new Claim(name, null, "the base model scores 0, so no relative improvement can be formed");
    }
    return new Claim(name, full > azr, String.format(Locale.ROOT, "full %+.1f%%, azr %+.1f%%", 100 * full, 100 * azr));
  }

  static Claim extraDataWithinBound(List<Double> ratios) {
    String name = String.format(Locale.ROOT, "full self-aware RL uses at most %.1f%% extra data", 100 * EXTRA_DATA_BOUND);
    if (ratios == null || ratios.isEmpty()) {
      return new Claim(name, null, "no full runs");
    }
    double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return new Claim(name, max <= EXTRA_DATA_BOUND, String.format(Locale.ROOT, "largest over seeds %.4f", max));
  }

  /** Figure 3: the mean over seeds of (last fifth - first fifth of the steps) of dp_accuracy is positive. */
  static Claim difficultyPredictionRises(List<List<JsonNode>> runs) {
    String name = "difficulty-prediction accuracy rises during full self-aware RL (Figure 3)";
    if (runs == null || runs.isEmpty()) {
      return new Claim(name, null, "no full runs");
    }
    List<Double> rises = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    for (List<JsonNode> metrics : runs) {
      List<Double> series = series(metrics, "dp_accuracy");
      if (series.size() < 2) {
        continue;
      }
      int fifth = Math.max(1, series.size() / 5);
      double first = mean(series.subList(0, fifth));
      double last = mean(series.subList(series.size() - fifth, series.size()));
      rises.add(last - first);
      parts.add(String.format(Locale.ROOT, "%.2f -> %.2f", first, last));
    }
    if (rises.isEmpty()) {
      return new Claim(name, null, "fewer than 2 steps with a difficulty prediction");
    }
    double rise = mean(rises);
    return new Claim(name, rise > 0, String.format(Locale.ROOT,
        "first fifth -> last fifth of the steps, per seed: %s (mean change %+.3f)", String.join(", ", parts), rise));
  }

  /** Figure 5: over the steps that selected any task, selected tasks' mean utility z(x) is above unselected ones'. */
  static Claim selectedAboveUnselected(List<List<JsonNode>> runs) {
    String name = "tasks selected for external solutions have higher utility than unselected ones (Figure 5)";
    if (runs == null || runs.isEmpty()) {
      return new Claim(name, null, "no full runs");
    }
    List<Double> selected = new ArrayList<>();
    List<Double> unselected = new ArrayList<>();
    for (List<JsonNode> metrics : runs) {
      selected.addAll(series(metrics, "utility_selected"));
      unselected.addAll(series(metrics, "utility_unselected"));
    }
    if (selected.isEmpty() || unselected.isEmpty()) {
      return new Claim(name, null, "no task was selected (or none left unselected)");
    }
    return new Claim(name, mean(selected) > mean(unselected), String.format(Locale.ROOT,
        "selected %.2f over %d steps, unselected %.2f over %d steps", mean(selected), selected.size(),
        mean(unselected), unselected.size()));
  }

  /** Renders the claims as a Markdown table. */
  static String markdown(List<Claim> claims) {
    StringBuilder md = new StringBuilder("| claim | holds | evidence |\n|---|---|---|\n");
    for (Claim claim : claims) {
      md.append("| ").append(claim.name()).append(" | ")
          .append(claim.holds() == null ? "cannot tell" : claim.holds() ? "yes" : "no")
          .append(" | ").append(claim.evidence()).append(" |\n");
    }
    return md.toString();
  }

  private static List<Double> series(List<JsonNode> metrics, String key) {
    List<Double> values = new ArrayList<>();
    for (JsonNode step : metrics) {
      JsonNode value = step.get(key);
      if (value != null && value.isNumber()) {
        values.add(value.asDouble());
      }
    }
    return values;
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static String format(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
  }
}
