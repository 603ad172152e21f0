package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import dev.autodidact.actors.Replay;
import dev.autodidact.actors.StepMetrics;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Logs written by earlier builds stay readable: each fixture under {@code event-logs/} is a
 * real run's events as its build journaled them (see {@link EventLogFixture}), replayed by
 * this build into the metrics that run wrote. A schema change that breaks an old log fails
 * here; the fixtures are never regenerated.
 */
class OldEventLogsTest {
  @Test
  void theV1LogOfThreeStepsOfTheSmallModelRebuildsItsRecordedMetrics() throws Exception {
    List<Message> events;
    try (InputStream in = resource("v1-small-3-steps.events")) {
      events = EventLogFixture.read(in);
    }
    Replay replay = new Replay();
    events.forEach(replay.sink());
    Replay.Rebuilt rebuilt = replay.result();

    assertThat(rebuilt.events()).isEqualTo(1 + 3 * 8);
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (StepMetrics step : rebuilt.metrics()) {
      lines.add(json.writeValueAsString(step.asJson()));
    }
    String expected;
    try (InputStream in = resource("v1-small-3-steps.metrics.jsonl")) {
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(lines).isEqualTo(expected.lines().toList());
  }

  private static InputStream resource(String name) {
    InputStream in = OldEventLogsTest.class.getResourceAsStream("/event-logs/" + name);
    assertThat(in).as(name).isNotNull();
    return in;
  }
}
