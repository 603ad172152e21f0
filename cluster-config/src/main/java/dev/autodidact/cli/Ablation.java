package dev.autodidact.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ablation's arithmetic, pure: which variants it trains, and how a table row is made from
 * per-seed numbers (mean, spread, relative improvement over the base model).
 */
final class Ablation {
  private Ablation() {}

  /** A trained variant: its name, what it sets, and what METHOD.md calls it. */
  record Variant(String name, List<String> sets, String description) {}

  /** The variants, in the table's order; all start from the same base model with the same compute. */
  static final List<Variant> VARIANTS = List.of(
      new Variant("azr", List.of("rewards.w_dp=0", "limit_breaking.enabled=false"),
          "AZR-style baseline: no difficulty prediction, no limit breaking"),
      new Variant("full", List.of(), "self-aware RL: difficulty prediction and limit breaking"),
      new Variant("no_dp", List.of("rewards.w_dp=0"), "without difficulty prediction (w_dp = 0)"),
      new Variant("no_lb", List.of("limit_breaking.enabled=false"), "without limit breaking"),
      new Variant("random_lb", List.of("limit_breaking.selection=random"),
          "random selection at the same external budget"));

  /** Mean and spread (sample standard deviation; 0 for one seed) of the non-null values; null if none. */
  record Spread(Double mean, Double std, int n) {
    static Spread of(List<Double> values) {
      List<Double> present = values.stream().filter(v -> v != null && !v.isNaN()).toList();
      if (present.isEmpty()) {
        return new Spread(null, null, 0);
      }
      double mean = present.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double squares = present.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
      double std = present.size() < 2 ? 0 : Math.sqrt(squares / (present.size() - 1));
      return new Spread(mean, std, present.size());
    }

    Map<String, Object> asJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("mean", mean);
      json.put("std", std);
      json.put("seeds", n);
      return json;
    }
  }

  /**
   * The relative improvement of {@code trained} over {@code base}, (trained - base) / base; null
   * when either is missing or the base is 0 (no ratio can be formed).
   */
  static Double relativeImprovement(Double trained, Double base) {
    if (trained == null || base == null || base == 0) {
      return null;
    }
    return (trained - base) / base;
  }

  /** The seeds 1..n, the runs' {@code run.seed}. */
  static List<Long> seeds(int n) {
    List<Long> seeds = new ArrayList<>();
    for (long seed = 1; seed <= n; seed++) {
      seeds.add(seed);
    }
    return seeds;
  }
}
