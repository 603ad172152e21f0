package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.autodidact.persistence.proto.Generation;
import dev.autodidact.persistence.proto.ProposedTask;
import dev.autodidact.persistence.proto.RunStarted;
import dev.autodidact.persistence.proto.TasksProposed;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogDiffTest {
  private static RunStarted started(String runId) {
    // As a run records its settings: the rendered configuration holds the JVM's log file.
    return RunStarted.newBuilder().setRunId(runId).setSeed(3).setConfig("{\n    \"log\" : {\n"
        + "        \"file\" : \"/tmp/x/" + runId + "/train.log\"\n    },\n    \"run\" : {\n        \"seed\" : 3\n    }\n}\n")
        .build();
  }

  private static TasksProposed proposed(int... tokens) {
    Generation.Builder generation = Generation.newBuilder().setPrompt("@gen D\n");
    for (int token : tokens) {
      generation.addTokens(token).addLogProbs(-4.5f);
    }
    return TasksProposed.newBuilder().setStep(3)
        .addProposals(ProposedTask.newBuilder().setGeneration(Generation.newBuilder().setPrompt("p")))
        .addProposals(ProposedTask.newBuilder().setGeneration(generation)).build();
  }

  @Test
  void twoRunsOfOneSeedInDifferentDirectoriesHaveEqualLogs() {
    List<Message> alone = List.of(started("alone"), proposed(5, 6, 7));
    List<Message> clustered = List.of(started("clustered"), proposed(5, 6, 7));
    assertThat(EventLogDiff.firstDifference(alone, clustered, "alone", "clustered"))
        .isEqualTo("\nthe event logs are equal");
  }

  @Test
  void theFirstDifferenceNamesItsEventAndField() {
    List<Message> alone = List.of(started("alone"), proposed(5, 6, 7));
    List<Message> clustered = List.of(started("clustered"), proposed(5, 9, 7));
    assertThat(EventLogDiff.firstDifference(alone, clustered, "alone", "clustered"))
        .startsWith("\nevent 2 (TasksProposed) differs first at proposals[1].generation.tokens[1]: 6 vs 9");
  }

  @Test
  void aDifferentSettingIsStillADifference() {
    RunStarted other = started("clustered").toBuilder().setConfig(started("clustered").getConfig()
        .replace("\"seed\" : 3", "\"seed\" : 4")).build();
    assertThat(EventLogDiff.firstDifference(List.of(started("alone")), List.of(other), "alone", "clustered"))
        .startsWith("\nevent 1 (RunStarted) differs first at config:");
  }
}
