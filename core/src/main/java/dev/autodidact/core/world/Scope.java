package dev.autodidact.core.world;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The variables visible at one point of the function being generated, and what is known of them. */
final class Scope {
  /**
   * An index expression known to be in range for a sequence, such as {@code i} inside
   * {@code for i in range(len(xs))}.
   */
  record SafeIndex(String sequence, String text, String variable) {}

  private final Map<String, Variable> variables;
  private final List<SafeIndex> safeIndexes;

  Scope() {
    this(new LinkedHashMap<>(), new ArrayList<>());
  }

  private Scope(Map<String, Variable> variables, List<SafeIndex> safeIndexes) {
    this.variables = variables;
    this.safeIndexes = safeIndexes;
  }

  Scope copy() {
    return new Scope(new LinkedHashMap<>(variables), new ArrayList<>(safeIndexes));
  }

  /** Makes this scope equal to another, after a trial on a copy succeeded. */
  void replaceWith(Scope other) {
    variables.clear();
    variables.putAll(other.variables);
    safeIndexes.clear();
    safeIndexes.addAll(other.safeIndexes);
  }

  void define(Variable variable) {
    variables.put(variable.name(), variable);
  }

  Variable get(String name) {
    return variables.get(name);
  }

  boolean has(String name) {
    return variables.containsKey(name);
  }

  Set<String> names() {
    return variables.keySet();
  }

  void hide(String name) {
    variables.put(name, variables.get(name).hide());
  }

  List<Variable> readable(ValueType type) {
    List<Variable> found = new ArrayList<>();
    for (Variable v : variables.values()) {
      if (!v.hidden() && v.type() == type) {
        found.add(v);
      }
    }
    return found;
  }

  List<Variable> assignable() {
    List<Variable> found = new ArrayList<>();
    for (Variable v : variables.values()) {
      if (v.assignable()) {
        found.add(v);
      }
    }
    return found;
  }

  void addSafeIndex(String sequence, String text, String variable) {
    safeIndexes.add(new SafeIndex(sequence, text, variable));
  }

  List<SafeIndex> safeIndexes(String sequence) {
    List<SafeIndex> found = new ArrayList<>();
    for (SafeIndex index : safeIndexes) {
      if (index.sequence().equals(sequence)) {
        found.add(index);
      }
    }
    return found;
  }
}
