package dev.autodidact.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The CRUXEval data as shipped in {@code shared/data/cruxeval} (see its README.md): the tasks
 * ({@code cruxeval.jsonl}) and, per prediction, CodeLlama-7B's recorded answers with the
 * benchmark evaluator's verdicts ({@code raw_generations} and {@code raw_scored_generations},
 * aligned lists keyed by task id).
 *
 * @param answers output-prediction answers of every task first, then input-prediction ones,
 *                each in task order
 */
record CruxEvalData(List<CruxEvalTask> tasks, List<RecordedAnswer> answers) {
  static final String TASKS_FILE = "cruxeval.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  CruxEvalData {
    tasks = List.copyOf(tasks);
    answers = List.copyOf(answers);
  }

  /**
   * Where the data is when no directory is given: {@code shared/data/cruxeval} in the working
   * directory or in one of its ancestors (the repository's checkout sits beside {@code shared/}).
   */
  static Path locate(Path given) {
    if (given != null) {
      return given;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("data").resolve("cruxeval");
      if (Files.isRegularFile(candidate.resolve(TASKS_FILE))) {
        return candidate;
      }
    }
    throw new UserError("found no shared/data/cruxeval beside the working directory or above it;"
        + " pass --cruxeval DIR");
  }

  /** Reads the data; a missing or broken file is a {@link UserError} that names it. */
  static CruxEvalData load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new UserError("--cruxeval " + dir + " is not a directory; pass the CRUXEval data directory"
          + " (the one holding " + TASKS_FILE + ")");
    }
    List<CruxEvalTask> tasks = readTasks(require(dir.resolve(TASKS_FILE)));
    List<RecordedAnswer> answers = new ArrayList<>();
    for (Prediction prediction : Prediction.values()) {
      answers.addAll(readAnswers(require(dir.resolve(prediction.answersFile())), prediction, tasks));
    }
    return new CruxEvalData(tasks, answers);
  }

  /** The first {@code count} tasks and their answers. */
  CruxEvalData firstTasks(int count) {
    List<CruxEvalTask> kept = tasks.subList(0, Math.min(count, tasks.size()));
    var keptIds = kept.stream().map(CruxEvalTask::id).collect(Collectors.toSet());
    return new CruxEvalData(kept, answers.stream().filter(answer -> keptIds.contains(answer.task().id())).toList());
  }

  /** The answers the benchmark judged correct, in data order. */
  List<RecordedAnswer> recordedPasses() {
    return answers.stream().filter(RecordedAnswer::recordedPass).toList();
  }

  private static Path require(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserError("no " + file.getFileName() + " in " + file.getParent() + "; pass the CRUXEval data directory");
    }
    return file;
  }

  static List<CruxEvalTask> readTasks(Path file) throws IOException {
    List<CruxEvalTask> tasks = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode task = parse(file, lines.get(i), i + 1);
      tasks.add(new CruxEvalTask(text(task, "id", file), text(task, "code", file), text(task, "input", file),
          text(task, "output", file)));
    }
    return tasks;
  }

  static List<RecordedAnswer> readAnswers(Path file, Prediction prediction, List<CruxEvalTask> tasks)
      throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    JsonNode generations = root.path("raw_generations");
    JsonNode verdicts = root.path("raw_scored_generations");
    List<RecordedAnswer> answers = new ArrayList<>();
    for (CruxEvalTask task : tasks) {
      JsonNode taskAnswers = generations.path(task.id());
      JsonNode taskVerdicts = verdicts.path(task.id());
      if (!taskAnswers.isArray() || !taskVerdicts.isArray() || taskAnswers.size() != taskVerdicts.size()) {
        throw new UserError(file + " has no aligned answers and verdicts for " + task.id());
      }
      for (int i = 0; i < taskAnswers.size(); i++) {
        answers.add(new RecordedAnswer(task, prediction, i, taskAnswers.get(i).asText(), taskVerdicts.get(i).asBoolean()));
      }
    }
    return answers;
  }

  private static JsonNode parse(Path file, String line, int lineNumber) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UserError(file + " line " + lineNumber + " is not JSON");
    }
  }

  private static String text(JsonNode node, String field, Path file) {
    if (!node.path(field).isTextual()) {
      throw new UserError(file + " has a task without a string \"" + field + "\"");
    }
    return node.get(field).asText();
  }
}
