package dev.autodidact.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The paper's figures for an ablation, one PNG each, drawn with XChart from the runs'
 * metrics: every curve is a variant's mean over its seeds, per step.
 */
final class AblationFigures {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private AblationFigures() {}

  /** Writes every figure into {@code dir}; returns their files in the report's order. */
  static List<Path> write(Path dir, Map<String, List<ExperimentCommand.RunResult>> results) throws IOException {
    System.setProperty("java.awt.headless", "true"); // charts are drawn off screen, on any server
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    files.add(save(dir, "fig2a-generator-reward", perStep(results, "Training reward of the generator per step",
        "mean generator reward", step -> number(step.get("reward_generator")))));
    files.add(save(dir, "fig2b-solver-reward", perStep(results, "Training reward of the solver per step",
        "mean solver reward", step -> number(step.get("reward_solver")))));
    files.add(save(dir, "fig3-difficulty-prediction", perStep(results, "Difficulty-prediction accuracy per step",
        "mean r_dp = 1 - |mu - p|", step -> number(step.get("dp_accuracy")))));
    files.add(save(dir, "fig4-rollout-accuracy", perStep(results, "Rollout accuracy per step",
        "mean p(x) over valid tasks", step -> number(step.get("rollout_accuracy")))));
    files.add(save(dir, "fig5-utility", utility(results)));
    files.add(save(dir, "fig6-external-data", cumulativeExternal(results)));
    return files;
  }

  private static Path save(Path dir, String name, Chart<?, ?> chart) throws IOException {
    Path file = dir.resolve(name + ".png");
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  /** One series per variant: {@code value} of each step, averaged over the seeds that have it. */
  private static XYChart perStep(Map<String, List<ExperimentCommand.RunResult>> results, String title, String yAxis,
      Function<JsonNode, Double> value) {
    XYChart chart = lineChart(title, yAxis);
    results.forEach((variant, runs) -> {
      List<Double> steps = new ArrayList<>();
      List<Double> means = new ArrayList<>();
      int longest = runs.stream().mapToInt(run -> run.metrics().size()).max().orElse(0);
      for (int i = 0; i < longest; i++) {
        int index = i;
        List<Double> values = runs.stream().filter(run -> run.metrics().size() > index)
            .map(run -> value.apply(run.metrics().get(index))).filter(v -> v != null && !v.isNaN()).toList();
        if (!values.isEmpty()) {
          steps.add((double) index + 1);
          means.add(values.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
        }
      }
      if (!steps.isEmpty()) {
        chart.addSeries(variant, steps, means);
      }
    });
    return chart;
  }

  /** Figure 5: the mean utility z(x) of the tasks the filter selected, and of those it did not, per variant. */
  private static CategoryChart utility(Map<String, List<ExperimentCommand.RunResult>> results) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Utility z(x) of selected and unselected unsolved tasks").xAxisTitle("variant")
        .yAxisTitle("mean z(x) over steps and seeds").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    List<String> variants = new ArrayList<>();
    List<Double> selected = new ArrayList<>();
    List<Double> unselected = new ArrayList<>();
    results.forEach((variant, runs) -> {
      Double s = mean(runs, "utility_selected");
      Double u = mean(runs, "utility_unselected");
      if (s != null || u != null) {
        variants.add(variant);
        selected.add(s == null ? 0 : s);
        unselected.add(u == null ? 0 : u);
      }
    });
    if (variants.isEmpty()) {
      variants.add("(no variant selected or scored a task)");
      selected.add(0.0);
      unselected.add(0.0);
    }
    chart.addSeries("selected (0 where none was)", variants, selected);
    chart.addSeries("unselected", variants, unselected);
    return chart;
  }

  /** The external solutions a variant used, summed from step 1 to each step (mean over seeds). */
  private static XYChart cumulativeExternal(Map<String, List<ExperimentCommand.RunResult>> results) {
    XYChart chart = lineChart("External data used over time", "external solutions used so far");
    results.forEach((variant, runs) -> {
      int longest = runs.stream().mapToInt(run -> run.metrics().size()).max().orElse(0);
      List<Double> steps = new ArrayList<>();
      List<Double> totals = new ArrayList<>();
      double[] sums = new double[runs.size()];
      for (int i = 0; i < longest; i++) {
        double total = 0;
        for (int r = 0; r < runs.size(); r++) {
          List<JsonNode> metrics = runs.get(r).metrics();
          if (metrics.size() > i) {
            sums[r] += metrics.get(i).path("external_used").asDouble();
          }
          total += sums[r];
        }
        steps.add((double) i + 1);
        totals.add(total / runs.size());
      }
      if (!steps.isEmpty()) {
        chart.addSeries(variant, steps, totals);
      }
    });
    return chart;
  }

  private static XYChart lineChart(String title, String yAxis) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("training step")
        .yAxisTitle(yAxis).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(4);
    return chart;
  }

  private static Double mean(List<ExperimentCommand.RunResult> runs, String key) {
    List<Double> values = runs.stream().flatMap(run -> run.metrics().stream()).map(step -> number(step.get(key)))
        .filter(v -> v != null && !v.isNaN()).toList();
    return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  private static Double number(JsonNode node) {
    return node == null || !node.isNumber() ? null : node.asDouble();
  }
}
