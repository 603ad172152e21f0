package dev.autodidact.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@code sandbox check} prints: how far our verdicts agree with the benchmark's, and where not. */
final class RejudgingReport {
  private RejudgingReport() {}

  static Map<String, Object> of(List<Rejudgement> verdicts, int tasks, double wallSeconds) {
    long agreeing = verdicts.stream().filter(Rejudgement::agrees).count();
    Map<String, Long> byStatus = new TreeMap<>();
    verdicts.forEach(verdict -> byStatus.merge(verdict.status(), 1L, Long::sum));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("tasks", tasks);
    report.put("total", verdicts.size());
    report.put("agreeing", agreeing);
    report.put("agreement", verdicts.isEmpty() ? 1.0 : (double) agreeing / verdicts.size());
    report.put("recorded_passes", verdicts.stream().filter(verdict -> verdict.answer().recordedPass()).count());
    report.put("rejudged_passes", verdicts.stream().filter(Rejudgement::passed).count());
    report.put("by_status", byStatus);
    report.put("disagreements", verdicts.stream().filter(verdict -> !verdict.agrees()).map(RejudgingReport::disagreement).toList());
    report.put("wall_s", wallSeconds);
    return report;
  }

  private static Map<String, Object> disagreement(Rejudgement verdict) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("id", verdict.answer().id());
    entry.put("answer", verdict.answer().answer());
    entry.put("recorded", verdict.answer().recordedPass());
    entry.put("rejudged", verdict.passed());
    entry.put("reason", verdict.reason());
    return entry;
  }
}
