package dev.autodidact.actors;

import dev.autodidact.core.format.Parsed;
import dev.autodidact.core.format.TaskFormat;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.core.task.Task;
import dev.autodidact.core.task.TaskType;
import dev.autodidact.model.Completion;
import dev.autodidact.model.RolloutEngine;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.sandbox.Verifier;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A policy's accuracy on a fixed set of tasks, as the solver would answer them: each task once
 * with greedy decoding (pass@1) and {@code k} times at the run's sampling temperature (mean
 * accuracy), every answer verified by executing it in the sandbox. Tasks whose prompt and
 * longest answer do not fit the model's context, or whose text the tokenizer cannot write
 * exactly, are counted, not scored. The samples draw
 * their noise from streams keyed by (seed, task index), so an evaluation is repeatable.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * One task's outcome.
   *
   * @param fit whether the prompt and the longest answer fit the model's context (else not scored)
   * @param sampledCorrect how many of the {@code samples} sampled answers were correct
   */
  public record TaskResult(String id, TaskType type, boolean fit, boolean greedyCorrect, int sampledCorrect,
      int samples) {}

  /**
   * Scores of one task type over its tasks that fit; {@code pass1} and {@code meanAccuracy}
   * are null when none fit.
   */
  public record TypeScore(int tasks, int fit, Double pass1, Double meanAccuracy) {}

  /** Per type, in {@link TaskType} order (a type with no task is absent). */
  public static Map<TaskType, TypeScore> scores(List<TaskResult> results) {
    Map<TaskType, TypeScore> scores = new EnumMap<>(TaskType.class);
    for (TaskType type : TaskType.values()) {
      List<TaskResult> ofType = results.stream().filter(result -> result.type() == type).toList();
      if (ofType.isEmpty()) {
        continue;
      }
      List<TaskResult> fit = ofType.stream().filter(TaskResult::fit).toList();
      Double pass1 = fit.isEmpty() ? null
          : (double) fit.stream().filter(TaskResult::greedyCorrect).count() / fit.size();
      int samples = fit.stream().mapToInt(TaskResult::samples).sum();
      Double mean = samples == 0 ? null
          : (double) fit.stream().mapToInt(TaskResult::sampledCorrect).sum() / samples;
      scores.put(type, new TypeScore(ofType.size(), fit.size(), pass1, mean));
    }
    return scores;
  }

  /**
   * Answers every task that fits, greedily and {@code k} times sampled, in batches of
   * {@code batch} sequences, and verifies each answer.
   */
  public static List<TaskResult> evaluate(RolloutEngine policy, List<Task> tasks, RunSettings settings,
      Verifier verifier, int k, long seed, int batch) {
    TaskFormat format = settings.taskFormat();
    List<SampleRequest> requests = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    boolean[] fits = new boolean[tasks.size()];
    for (int t = 0; t < tasks.size(); t++) {
      Task task = tasks.get(t);
      String text = format.solverPrompt(task);
      int[] prompt = Generations.promptTokens(text);
      int maxTokens = maxAnswerTokens(settings, task.type());
      // The prompt (BOS included) and the longest answer must fit: the answer's last token is
      // never fed back, hence the + 1. A longer answer would be cut short (and judged
      // malformed) by the context rather than by the task's own limit. A prompt the tokenizer
      // cannot write exactly (a character outside its alphabet) is not the task the sandbox runs.
      fits[t] = prompt.length + maxTokens <= policy.contextLength() + 1
          && Generations.TOKENIZER.decode(Generations.TOKENIZER.encode(text)).equals(text);
      if (!fits[t]) {
        continue;
      }
      requests.add(new SampleRequest(prompt, maxTokens, 0f, null));
      owners.add(t);
      SeedStream noise = SeedStream.of(seed, 0, Phase.EVAL, t);
      for (int j = 0; j < k; j++) {
        requests.add(new SampleRequest(prompt, maxTokens, settings.tasks().temperature(), noise.child(j)));
        owners.add(t);
      }
    }
    List<Completion> completions = new ArrayList<>(requests.size());
    for (int from = 0; from < requests.size(); from += batch) {
      completions.addAll(policy.sample(requests.subList(from, Math.min(requests.size(), from + batch))));
    }
    List<CompletableFuture<Verifier.Verdict>> verdicts = new ArrayList<>(completions.size());
    for (int i = 0; i < completions.size(); i++) {
      verdicts.add(verify(verifier, format, tasks.get(owners.get(i)), completions.get(i)));
    }
    List<TaskResult> results = new ArrayList<>(tasks.size());
    int next = 0;
    for (int t = 0; t < tasks.size(); t++) {
      Task task = tasks.get(t);
      if (!fits[t]) {
        results.add(new TaskResult(task.id(), task.type(), false, false, 0, 0));
        continue;
      }
      boolean greedy = verdicts.get(next++).join() == Verifier.Verdict.CORRECT;
      int correct = 0;
      for (int j = 0; j < k; j++) {
        if (verdicts.get(next++).join() == Verifier.Verdict.CORRECT) {
          correct++;
        }
      }
      results.add(new TaskResult(task.id(), task.type(), true, greedy, correct, k));
    }
    return results;
  }

  private static int maxAnswerTokens(RunSettings settings, TaskType type) {
    return type == TaskType.INDUCTION ? settings.tasks().programMaxTokens() : settings.tasks().answerMaxTokens();
  }

  /** As the verifier pool judges a rollout: an answer cut off by the token limit is malformed. */
  private static CompletableFuture<Verifier.Verdict> verify(Verifier verifier, TaskFormat format, Task task,
      Completion completion) {
    if (!completion.finished()) {
      return CompletableFuture.completedFuture(Verifier.Verdict.MALFORMED);
    }
    String text = Generations.TOKENIZER.decode(completion.tokens());
    Parsed<String> answer = format.parseSolverAnswer(task.type(), text);
    if (!answer.isOk()) {
      return CompletableFuture.completedFuture(Verifier.Verdict.MALFORMED);
    }
    return switch (task.type()) {
      case DEDUCTION -> verifier.checkDeduction(task.program(), task.input(), answer.value());
      case ABDUCTION -> verifier.checkAbduction(task.program(), answer.value(), task.output());
      case INDUCTION -> verifier.checkInduction(answer.value(), task.inputs(), task.outputs());
    };
  }
}
