package dev.autodidact.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autodidact compare DIR...}: the runs' summaries side by side, one row per summary
 * key, one column per run; numeric cells after the first column also show their difference
 * from the first run, which is usually the parent of a replay or a fork.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Print the summaries of runs (train or replay --out directories) side by side; the first is the"
        + " reference the others are compared with.")
final class CompareCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(arity = "2..*", paramLabel = "DIR", description = "run directories holding summary.json")
  List<Path> dirs;

  @Override
  public Integer call() throws IOException {
    List<JsonNode> summaries = new ArrayList<>();
    for (Path dir : dirs) {
      Path summary = new RunDirectory(dir).summary();
      if (!Files.isRegularFile(summary)) {
        throw new UserError(dir + " has no summary.json; pass directories written by train or replay");
      }
      summaries.add(MetricsFiles.JSON.readTree(summary.toFile()));
    }
    java.io.PrintWriter out = spec.commandLine().getOut();
    out.print(table(dirs.stream().map(Path::toString).toList(), summaries));
    out.flush();
    return 0;
  }

  /** The side-by-side table, columns padded to their widest cell. */
  static String table(List<String> names, List<JsonNode> summaries) {
    Set<String> keys = new LinkedHashSet<>();
    summaries.forEach(s -> s.fieldNames().forEachRemaining(keys::add));
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("key"));
    header.addAll(names);
    rows.add(header);
    for (String key : keys) {
      List<String> row = new ArrayList<>(List.of(key));
      JsonNode reference = summaries.get(0).get(key);
      for (int i = 0; i < summaries.size(); i++) {
        row.add(cell(summaries.get(i).get(key), i == 0 ? null : reference));
      }
      rows.add(row);
    }
    int[] widths = new int[header.size()];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        out.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + widths[c] + "s", row.get(c)));
      }
      out.append(System.lineSeparator());
    }
    return out.toString().replaceAll(" +(\\R)", "$1");
  }

  /** A value, with its difference from the reference when both are numbers and they differ. */
  static String cell(JsonNode value, JsonNode reference) {
    if (value == null || value.isNull()) {
      return "-";
    }
    String text = value.isNumber() ? number(value.asDouble()) : value.asText();
    if (reference != null && value.isNumber() && reference.isNumber() && value.asDouble() != reference.asDouble()) {
      double delta = value.asDouble() - reference.asDouble();
      return text + " (" + (delta > 0 ? "+" : "") + number(delta) + ")";
    }
    return text;
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value) : String.format(Locale.ROOT, "%.4g", value);
  }
}
