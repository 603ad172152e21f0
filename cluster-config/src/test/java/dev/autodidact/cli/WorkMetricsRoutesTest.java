package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.actors.WorkQueue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkMetricsRoutesTest {

  @Test
  void rendersEveryQueueAndKindInPrometheusTextFormat() {
    var snapshot = new WorkMetricsRoutes.Snapshot(Map.of("verification", 2, "inference", 0), List.of(
        new WorkMetricsRoutes.QueueSnapshot("akka://autodidact@127.0.0.1:1/user/run/queue",
            new WorkQueue.Stats("verification", 3, 4, 2, 120, 1,
                Map.of("akka://autodidact@127.0.0.1:2", 70L, "akka://autodidact@127.0.0.1:3", 50L), 1))));

    String text = WorkMetricsRoutes.prometheus(snapshot);

    String queue = "kind=\"verification\",queue=\"akka://autodidact@127.0.0.1:1/user/run/queue\"";
    assertThat(text.lines()).contains(
        "# TYPE autodidact_workers gauge",
        "autodidact_workers{kind=\"inference\"} 0",
        "autodidact_workers{kind=\"verification\"} 2",
        "autodidact_queue_waiting{" + queue + "} 3",
        "autodidact_queue_leased{" + queue + "} 4",
        "autodidact_queue_workers{" + queue + "} 2",
        "# TYPE autodidact_queue_completed_total counter",
        "autodidact_queue_completed_total{" + queue + "} 120",
        "autodidact_queue_duplicates_total{" + queue + "} 1",
        "autodidact_queue_refusing_workers{" + queue + "} 1",
        "autodidact_queue_completed_by_worker_total{" + queue + ",worker=\"akka://autodidact@127.0.0.1:2\"} 70",
        "autodidact_queue_completed_by_worker_total{" + queue + ",worker=\"akka://autodidact@127.0.0.1:3\"} 50");
    assertThat(text).endsWith("\n");
  }

  @Test
  void escapesLabelValues() {
    assertThat(WorkMetricsRoutes.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
  }
}
