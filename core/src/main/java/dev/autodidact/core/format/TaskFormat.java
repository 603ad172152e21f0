package dev.autodidact.core.format;

import dev.autodidact.core.task.Task;
import dev.autodidact.core.task.TaskType;
import java.util.ArrayList;
import java.util.List;

/**
 * The text formats the policy reads and writes, for both roles and all three task types.
 *
 * <p>The model is character level with a short context, so the formats are terse: a few
 * tag lines that start with {@code @} (which the micro-world's programs never use) around
 * plain Python. Every prompt ends where the answer begins; every answer ends with the
 * model's end-of-sequence token, which is not part of the text here.
 *
 * <pre>
 * generator prompt              generator answer (deduction, abduction)
 *   @gen D                        def f(x):
 *   @ref                              return x + 1
 *   def f(x):                     @in 3
 *       return x * 2              @k 5
 *   @in 4
 *   @new                        generator answer (induction): several @in lines, then
 *                                 @msg adds one to an int
 *                                 @k 2
 * solver prompts and answers
 *   deduction: @ded / program / @in 3 / @out  -> "4"
 *   abduction: @abd / program / @out 4 / @in  -> "3"
 *   induction: @ind / @msg ... / (@in i / @out o)* / @prog -> program text
 * </pre>
 */
public final class TaskFormat {
  static final int MAX_MESSAGE_CHARS = 60;
  static final int MAX_ANSWER_LINE_CHARS = 200;

  private final int rollouts;
  private final int minInductionInputs;
  private final int maxInductionInputs;

  /**
   * @param rollouts K: the generator predicts k in 0..K successes
   * @param minInductionInputs fewest input lines an induction proposal may have
   * @param maxInductionInputs most input lines an induction proposal may have
   */
  public TaskFormat(int rollouts, int minInductionInputs, int maxInductionInputs) {
    if (rollouts < 1 || minInductionInputs < 2 || maxInductionInputs < minInductionInputs) {
      throw new IllegalArgumentException("need K >= 1 and 2 <= min <= max induction inputs");
    }
    this.rollouts = rollouts;
    this.minInductionInputs = minInductionInputs;
    this.maxInductionInputs = maxInductionInputs;
  }

  public int rollouts() {
    return rollouts;
  }

  // ---- generator ----

  public String generatorPrompt(TaskType type, List<Task> references) {
    StringBuilder prompt = new StringBuilder("@gen ").append(type.code()).append('\n');
    for (Task reference : references) {
      prompt.append("@ref\n").append(reference.program());
      for (String input : reference.inputs()) {
        prompt.append("@in ").append(input).append('\n');
      }
    }
    return prompt.append("@new\n").toString();
  }

  /** The answer text for a proposal, as a well-trained generator would write it. */
  public String generatorAnswer(Proposal proposal) {
    StringBuilder answer = new StringBuilder(withFinalNewline(proposal.program()));
    for (String input : proposal.inputs()) {
      answer.append("@in ").append(input).append('\n');
    }
    if (proposal.type() == TaskType.INDUCTION) {
      answer.append("@msg ").append(proposal.message()).append('\n');
    }
    return answer.append("@k ").append(proposal.predictedSuccesses()).append('\n').toString();
  }

  /** Parses the generator's answer; the program itself is checked later by the executor. */
  public Parsed<Proposal> parseGeneratorAnswer(TaskType type, String text) {
    List<String> lines = text.lines().toList();
    int firstTag = 0;
    while (firstTag < lines.size() && !lines.get(firstTag).startsWith("@")) {
      firstTag++;
    }
    if (firstTag == 0) {
      return Parsed.malformed("no program before the first tag");
    }
    String program = String.join("\n", lines.subList(0, firstTag)) + "\n";
    if (!program.startsWith("def f(")) {
      return Parsed.malformed("the program does not start with 'def f('");
    }
    List<String> inputs = new ArrayList<>();
    String message = "";
    Integer k = null;
    for (String line : lines.subList(firstTag, lines.size())) {
      if (k != null) {
        return Parsed.malformed("text after the @k line");
      } else if (line.startsWith("@in ")) {
        inputs.add(line.substring(4).strip());
      } else if (line.startsWith("@msg ") && type == TaskType.INDUCTION) {
        message = line.substring(5).strip();
      } else if (line.startsWith("@k ")) {
        k = parsePrediction(line.substring(3).strip());
        if (k == null) {
          return Parsed.malformed("@k is not an integer in 0.." + rollouts);
        }
      } else {
        return Parsed.malformed("unexpected line: " + abbreviate(line));
      }
    }
    if (k == null) {
      return Parsed.malformed("no @k line");
    }
    int min = type == TaskType.INDUCTION ? minInductionInputs : 1;
    int max = type == TaskType.INDUCTION ? maxInductionInputs : 1;
    if (inputs.size() < min || inputs.size() > max) {
      return Parsed.malformed("expected " + min + ".." + max + " @in lines, got " + inputs.size());
    }
    if (inputs.stream().anyMatch(String::isEmpty)
        || inputs.stream().distinct().count() != inputs.size()) {
      return Parsed.malformed("inputs must be non-empty and distinct");
    }
    if (message.length() > MAX_MESSAGE_CHARS) {
      return Parsed.malformed("@msg longer than " + MAX_MESSAGE_CHARS + " characters");
    }
    return Parsed.ok(new Proposal(type, program, inputs, message, k));
  }

  private Integer parsePrediction(String text) {
    if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
      return null;
    }
    int k = Integer.parseInt(text);
    return k <= rollouts ? k : null;
  }

  // ---- solver ----

  public String solverPrompt(Task task) {
    StringBuilder prompt = new StringBuilder();
    switch (task.type()) {
      case DEDUCTION -> prompt.append("@ded\n").append(task.program())
          .append("@in ").append(task.input()).append("\n@out ");
      case ABDUCTION -> prompt.append("@abd\n").append(task.program())
          .append("@out ").append(task.output()).append("\n@in ");
      case INDUCTION -> {
        prompt.append("@ind\n@msg ").append(task.message()).append('\n');
        for (int i = 0; i < task.shownPairs(); i++) {
          prompt.append("@in ").append(task.inputs().get(i)).append('\n')
              .append("@out ").append(task.outputs().get(i)).append('\n');
        }
        prompt.append("@prog\n");
      }
      default -> throw new IllegalStateException("unknown type " + task.type());
    }
    return prompt.toString();
  }

  /** The correct answer as the oracle (or the pretraining corpus) writes it. */
  public String goldSolverAnswer(Task task) {
    return switch (task.type()) {
      case DEDUCTION -> task.output() + "\n";
      case ABDUCTION -> task.input() + "\n";
      case INDUCTION -> withFinalNewline(task.program());
    };
  }

  /**
   * Extracts the solver's answer from its text: one non-empty line for deduction and
   * abduction, a program for induction. Whether it parses as Python is the executor's call.
   */
  public Parsed<String> parseSolverAnswer(TaskType type, String text) {
    if (type == TaskType.INDUCTION) {
      return text.startsWith("def f(")
          ? Parsed.ok(withFinalNewline(text))
          : Parsed.malformed("the program does not start with 'def f('");
    }
    String answer = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (answer.isBlank()) {
      return Parsed.malformed("empty answer");
    }
    if (answer.contains("\n")) {
      return Parsed.malformed("the answer spans several lines");
    }
    if (answer.length() > MAX_ANSWER_LINE_CHARS) {
      return Parsed.malformed("the answer is longer than " + MAX_ANSWER_LINE_CHARS + " chars");
    }
    return Parsed.ok(answer.strip());
  }

  private static String withFinalNewline(String text) {
    return text.endsWith("\n") ? text : text + "\n";
  }

  private static String abbreviate(String line) {
    return line.length() <= 40 ? line : line.substring(0, 40) + "...";
  }
}
