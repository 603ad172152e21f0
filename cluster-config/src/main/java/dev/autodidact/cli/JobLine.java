package dev.autodidact.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One line of {@code sandbox run}'s input, {@code {"id", "code", "input"}}: a job, or the
 * reason the line cannot be one. Other fields are ignored, so CRUXEval's own
 * {@code cruxeval.jsonl} is valid input.
 */
sealed interface JobLine permits JobLine.Job, JobLine.Malformed {

  /** Trailing text after the object ({@code {} x}) makes a line malformed too. */
  ObjectMapper STRICT_JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The line's id as text (a number's id becomes its digits), null if it has none. */
  String id();

  /**
   * A program that defines {@code f} and the argument list to call it with, as Python source.
   *
   * @param input the arguments as written inside the call's parentheses, e.g. {@code "[1, 2], 3"}
   */
  record Job(String id, String code, String input) implements JobLine {
    String expression() {
      return "f(" + input + ")";
    }
  }

  /** A line that is not a job; the reason is one line that names the line number. */
  record Malformed(String id, String reason) implements JobLine {}

  /** Parses a line; never throws: whatever is wrong with it becomes a {@link Malformed}. */
  static JobLine parse(String line, long lineNumber) {
    JsonNode node;
    try {
      node = STRICT_JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return malformed(null, lineNumber, "not JSON (" + oneLine(e.getOriginalMessage()) + ")");
    }
    if (node == null || !node.isObject()) {
      return malformed(null, lineNumber, "not a JSON object");
    }
    JsonNode idNode = node.path("id");
    if (!(idNode.isMissingNode() || idNode.isNull() || idNode.isTextual() || idNode.isIntegralNumber())) {
      return malformed(null, lineNumber, "\"id\" must be a string or an integer");
    }
    String id = idNode.isMissingNode() || idNode.isNull() ? null : idNode.asText();
    for (String field : new String[] {"code", "input"}) {
      if (!node.path(field).isTextual()) {
        return malformed(id, lineNumber, "\"" + field + "\" must be a string");
      }
    }
    return new Job(id, node.get("code").asText(), node.get("input").asText());
  }

  private static Malformed malformed(String id, long lineNumber, String problem) {
    return new Malformed(id, "malformed line " + lineNumber + ": " + problem);
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", " ");
  }
}
