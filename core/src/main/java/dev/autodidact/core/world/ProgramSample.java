package dev.autodidact.core.world;

import java.util.List;
import java.util.Objects;

/**
 * A generated program and inputs for it.
 *
 * @param program Python source of one function {@code f}: "def f(...):\n", 4-space indents,
 *     ending with a newline
 * @param inputs distinct argument lists as Python source, e.g. {@code 3, 'ab'} or
 *     {@code [1, 2], 4}
 */
public record ProgramSample(String program, List<String> inputs) {

  public ProgramSample {
    Objects.requireNonNull(program, "program");
    inputs = List.copyOf(inputs);
  }
}
