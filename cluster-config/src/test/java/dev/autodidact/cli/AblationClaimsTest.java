package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AblationClaimsTest {

  @Test
  void everyVariantMustBeAboveTheBaseModel() {
    Map<String, List<Double>> heldout = new LinkedHashMap<>();
    heldout.put("azr", List.of(0.10, 0.12));
    heldout.put("full", List.of(0.14, 0.16));
    assertThat(AblationClaims.everyVariantAboveBase(0.09, heldout).holds()).isTrue();
    heldout.put("no_dp", List.of(0.08, 0.09));
    AblationClaims.Claim claim = AblationClaims.everyVariantAboveBase(0.09, heldout);
    assertThat(claim.holds()).isFalse();
    assertThat(claim.evidence()).contains("no_dp 0.085 (not above)");
    assertThat(AblationClaims.everyVariantAboveBase(null, heldout).holds()).isNull();
  }

  @Test
  void fullMustGainMoreThanTheBaselineRelativeToTheBase() {
    Map<String, List<Double>> heldout = Map.of("azr", List.of(0.11), "full", List.of(0.15));
    AblationClaims.Claim claim = AblationClaims.fullGainsMoreThanAzr(0.10, heldout);
    assertThat(claim.holds()).isTrue();
    assertThat(claim.evidence()).isEqualTo("full +50.0%, azr +10.0%");
    assertThat(AblationClaims.fullGainsMoreThanAzr(0.10, Map.of("azr", List.of(0.2), "full", List.of(0.15))).holds())
        .isFalse();
    assertThat(AblationClaims.fullGainsMoreThanAzr(0.0, heldout).holds()).isNull();
    assertThat(AblationClaims.fullGainsMoreThanAzr(0.10, Map.of("full", List.of(0.15))).holds()).isNull();
  }

  @Test
  void extraDataIsBoundedByTheWorstSeed() {
    assertThat(AblationClaims.extraDataWithinBound(List.of(0.002, 0.012)).holds()).isTrue();
    assertThat(AblationClaims.extraDataWithinBound(List.of(0.002, 0.0121)).holds()).isFalse();
    assertThat(AblationClaims.extraDataWithinBound(null).holds()).isNull();
  }

  @Test
  void difficultyPredictionRisesComparesTheLastFifthOfTheStepsWithTheFirst() {
    // 10 steps: first fifth 0.4, 0.5 (mean 0.45); last fifth 0.7, 0.8 (mean 0.75); nulls are skipped.
    List<JsonNode> rising = steps("dp_accuracy", 0.4, 0.5, null, 0.5, 0.6, 0.6, 0.5, 0.6, 0.7, 0.7, 0.8);
    AblationClaims.Claim claim = AblationClaims.difficultyPredictionRises(List.of(rising));
    assertThat(claim.holds()).isTrue();
    assertThat(claim.evidence()).contains("0.45 -> 0.75");
    List<JsonNode> falling = steps("dp_accuracy", 0.9, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.1, 0.1);
    assertThat(AblationClaims.difficultyPredictionRises(List.of(rising, falling)).holds()).isFalse();
    assertThat(AblationClaims.difficultyPredictionRises(List.of()).holds()).isNull();
  }

  @Test
  void selectedTasksMustHaveHigherUtilityOverTheStepsThatSelectedAny() {
    List<JsonNode> run = new ArrayList<>();
    run.add(json("{\"utility_selected\": 1.4, \"utility_unselected\": -0.3}"));
    run.add(json("{\"utility_selected\": null, \"utility_unselected\": -0.5}"));
    run.add(json("{\"utility_selected\": 1.0, \"utility_unselected\": 0.1}"));
    AblationClaims.Claim claim = AblationClaims.selectedAboveUnselected(List.of(run));
    assertThat(claim.holds()).isTrue();
    assertThat(claim.evidence()).isEqualTo("selected 1.20 over 2 steps, unselected -0.23 over 3 steps");
    List<JsonNode> none = List.of(json("{\"utility_selected\": null, \"utility_unselected\": -0.5}"));
    assertThat(AblationClaims.selectedAboveUnselected(List.of(none)).holds()).isNull();
  }

  @Test
  void theTableSaysCannotTellWhereTheExperimentCannotJudge() {
    List<AblationClaims.Claim> claims = AblationClaims.check(null, Map.of(), Map.of(), Map.of());
    assertThat(claims).hasSize(5).allSatisfy(claim -> assertThat(claim.holds()).isNull());
    assertThat(AblationClaims.markdown(claims)).contains("| cannot tell |");
  }

  private static List<JsonNode> steps(String key, Double... values) {
    List<JsonNode> steps = new ArrayList<>();
    for (Double value : values) {
      steps.add(json("{\"" + key + "\": " + (value == null ? "null" : value.toString()) + "}"));
    }
    return steps;
  }

  private static JsonNode json(String text) {
    try {
      return MetricsFiles.JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
