package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `experiment ablation` end to end, in miniature (the tiny model, one seed, two steps, two
 * variants, a few held-out programs): it trains each variant, evaluates the base model and
 * each run, writes the table in Markdown and JSON and one readable PNG per figure, and a
 * second call trains nothing again.
 */
class ExperimentIT {
  @TempDir
  Path temp;

  @Test
  void anAblationWritesItsTableAndFiguresAndResumesWithoutRetraining() throws Exception {
    Path out = temp.resolve("ablation");
    Process first = experiment(out, "first");
    assertThat(first.waitFor(15, TimeUnit.MINUTES)).isTrue();
    assertThat(first.exitValue()).as(output("first")).isZero();
    assertThat(output("first")).contains("training full-s1").contains("training azr-s1");

    JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertThat(results.get("seeds").asInt()).isEqualTo(1);
    assertThat(results.get("base").get("heldout").get("tasks").asInt()).isPositive();
    for (String variant : List.of("azr", "full")) {
      JsonNode row = results.get("variants").get(variant);
      assertThat(row.get("heldout").get("pass1").get("seeds").asInt()).as(variant).isEqualTo(1);
      assertThat(row.get("extra_data_ratio").get("mean").asDouble()).as(variant).isBetween(0.0, 0.012);
    }
    assertThat(results.get("variants").has("no_dp")).isFalse();
    String table = Files.readString(out.resolve("results.md"));
    assertThat(table).contains("| base model").contains("| azr (").contains("| full (").contains("## heldout")
        .contains("## The paper's claims, checked");
    // Each of the paper's claims is judged (or said to be beyond this experiment), with its evidence.
    assertThat(results.get("claims")).hasSize(5);
    for (JsonNode claim : results.get("claims")) {
      assertThat(claim.get("evidence").asText()).as(claim.toString()).isNotBlank();
    }
    assertThat(results.get("claims").get(2).get("holds").asBoolean()).as("extra data within 1.2%").isTrue();

    String report = Files.readString(out.resolve("report.md"));
    List<String> figures = List.of("fig2a-generator-reward", "fig2b-solver-reward", "fig3-difficulty-prediction",
        "fig4-rollout-accuracy", "fig5-utility", "fig6-external-data");
    for (String figure : figures) {
      Path png = out.resolve("figures").resolve(figure + ".png");
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image).as(figure).isNotNull();
      assertThat(image.getWidth()).as(figure).isEqualTo(900);
      assertThat(report).contains("figures/" + figure + ".png");
    }

    byte[] before = Files.readAllBytes(out.resolve("runs").resolve("full-s1").resolve("metrics.jsonl"));
    Process second = experiment(out, "second");
    assertThat(second.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(second.exitValue()).as(output("second")).isZero();
    assertThat(output("second")).doesNotContain("training ");
    assertThat(Files.readAllBytes(out.resolve("runs").resolve("full-s1").resolve("metrics.jsonl"))).isEqualTo(before);
    assertThat(Files.readString(out.resolve("results.md"))).isEqualTo(table);

    // The same --out with other options would mix two experiments: refused in one line.
    Process other = experiment(out, "other", "--eval-seed", "7");
    assertThat(other.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(other.exitValue()).as(output("other")).isEqualTo(2);
    assertThat(output("other")).contains("holds an experiment with other options");
  }

  private Process experiment(Path out, String name, String... extra) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "dev.autodidact.cli.Main",
        "experiment", "ablation", "--seeds", "1", "--steps", "2", "--out", out.toString(), "--variants", "azr,full",
        "--suites", "heldout", "--programs", "4", "--samples", "1"));
    for (String setting : KillAndResumeIT.SETTINGS) {
      command.add(setting);
    }
    command.addAll(List.of(extra));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(temp.resolve(name + ".out").toFile());
    builder.environment().put("AUTODIDACT_HOME", temp.resolve("home").toString());
    return builder.start();
  }

  private String output(String name) throws IOException {
    return Files.readString(temp.resolve(name + ".out"));
  }
}
