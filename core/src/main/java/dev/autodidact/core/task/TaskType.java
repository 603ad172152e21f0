package dev.autodidact.core.task;

/** The three code-reasoning task types of AZR (METHOD.md, "Tasks"). */
public enum TaskType {
  /** Given program and input, predict the output. */
  DEDUCTION("D"),
  /** Given program and output, find an input that produces it. */
  ABDUCTION("A"),
  /** Given input/output pairs and a message, write the program. */
  INDUCTION("I");

  private final String code;

  TaskType(String code) {
    this.code = code;
  }

  /** The one-letter code used in prompts and logs. */
  public String code() {
    return code;
  }

  public static TaskType fromCode(String code) {
    for (TaskType type : values()) {
      if (type.code.equals(code)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown task type code: " + code);
  }
}
