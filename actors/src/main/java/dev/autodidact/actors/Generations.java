package dev.autodidact.actors;

import dev.autodidact.core.task.Task;
import dev.autodidact.core.task.TaskType;
import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.Completion;
import dev.autodidact.persistence.proto.Generation;
import dev.autodidact.persistence.proto.TaskRecord;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the model's token view, the run's domain and its recorded events. */
public final class Generations {
  static final CharTokenizer TOKENIZER = new CharTokenizer();

  private Generations() {}

  /** Prompt tokens as the policy sees them: BOS, then the prompt's characters. */
  static int[] promptTokens(String prompt) {
    int[] text = TOKENIZER.encode(prompt);
    int[] tokens = new int[text.length + 1];
    tokens[0] = CharTokenizer.BOS;
    System.arraycopy(text, 0, tokens, 1, text.length);
    return tokens;
  }

  /** Completion tokens of a text written by someone else (the oracle): its characters, then EOS. */
  static int[] answerTokens(String answer) {
    int[] text = TOKENIZER.encode(answer);
    int[] tokens = new int[text.length + 1];
    System.arraycopy(text, 0, tokens, 0, text.length);
    tokens[text.length] = CharTokenizer.EOS;
    return tokens;
  }

  static Generation record(String prompt, Completion completion) {
    return record(prompt, completion.tokens(), completion.logProbs(), completion.finished());
  }

  static Generation record(String prompt, int[] tokens, float[] logProbs, boolean finished) {
    Generation.Builder builder = Generation.newBuilder()
        .setPrompt(prompt)
        .setFinished(finished)
        .setText(TOKENIZER.decode(tokens));
    for (int token : tokens) {
      builder.addTokens(token);
    }
    for (float logProb : logProbs) {
      builder.addLogProbs(logProb);
    }
    return builder.build();
  }

  static int[] tokens(Generation generation) {
    return generation.getTokensList().stream().mapToInt(Integer::intValue).toArray();
  }

  static float[] logProbs(Generation generation) {
    float[] logProbs = new float[generation.getLogProbsCount()];
    for (int i = 0; i < logProbs.length; i++) {
      logProbs[i] = generation.getLogProbs(i);
    }
    return logProbs;
  }

  static dev.autodidact.persistence.proto.TaskType toProto(TaskType type) {
    return switch (type) {
      case DEDUCTION -> dev.autodidact.persistence.proto.TaskType.DEDUCTION;
      case ABDUCTION -> dev.autodidact.persistence.proto.TaskType.ABDUCTION;
      case INDUCTION -> dev.autodidact.persistence.proto.TaskType.INDUCTION;
    };
  }

  static TaskType fromProto(dev.autodidact.persistence.proto.TaskType type) {
    return switch (type) {
      case DEDUCTION -> TaskType.DEDUCTION;
      case ABDUCTION -> TaskType.ABDUCTION;
      case INDUCTION -> TaskType.INDUCTION;
      default -> throw new IllegalArgumentException("event has no task type: " + type);
    };
  }

  public static TaskRecord toProto(Task task) {
    return TaskRecord.newBuilder()
        .setId(task.id())
        .setType(toProto(task.type()))
        .setProgram(task.program())
        .addAllInputs(task.inputs())
        .addAllOutputs(task.outputs())
        .setMessage(task.message())
        .setPredictedSuccesses(task.predictedSuccesses())
        .build();
  }

  public static Task fromProto(TaskRecord record) {
    return new Task(record.getId(), fromProto(record.getType()), record.getProgram(),
        record.getInputsList(), record.getOutputsList(), record.getMessage(), record.getPredictedSuccesses());
  }

  static List<Task> fromProto(List<TaskRecord> records) {
    List<Task> tasks = new ArrayList<>(records.size());
    for (TaskRecord record : records) {
      tasks.add(fromProto(record));
    }
    return tasks;
  }
}
