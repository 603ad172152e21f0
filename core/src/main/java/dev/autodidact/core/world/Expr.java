package dev.autodidact.core.world;

import java.util.HashSet;
import java.util.Set;

/**
 * A generated Python expression: its source, how tightly it binds, its {@link Shape}, and
 * which variables it reads.
 *
 * @param precedence Python operator precedence of the outermost operator (higher binds tighter)
 * @param refs the variables the expression reads; empty for a constant expression
 * @param varies whether the value can change with the function's input
 * @param fresh for lists, whether the value is a new object rather than an alias of a variable;
 *     only fresh lists may be stored, so that mutating one variable never changes another
 */
record Expr(String text, int precedence, Shape shape, Set<String> refs, boolean varies, boolean fresh) {
  static final int TUPLE = 0;
  static final int TERNARY = 1;
  static final int OR = 2;
  static final int AND = 3;
  static final int NOT = 4;
  static final int COMPARE = 5;
  static final int SUM = 6;
  static final int PRODUCT = 7;
  static final int UNARY = 8;
  static final int ATOM = 9;

  Expr {
    refs = Set.copyOf(refs);
  }

  static Expr literal(String text, Shape shape) {
    int precedence = text.startsWith("-") ? UNARY : ATOM;
    return new Expr(text, precedence, shape, Set.of(), false, true);
  }

  static Expr intLiteral(long value) {
    return literal(Long.toString(value), Shape.ofInt(value, value));
  }

  static Expr variable(Variable v) {
    return new Expr(v.name(), ATOM, v.shape(), Set.of(v.name()), v.varies(), false);
  }

  /** An expression built from parts: it reads what they read and varies when one of them does. */
  static Expr compose(String text, int precedence, Shape shape, Expr... parts) {
    Set<String> refs = new HashSet<>();
    boolean varies = false;
    for (Expr part : parts) {
      refs.addAll(part.refs);
      varies |= part.varies;
    }
    return new Expr(text, precedence, shape, refs, varies && !shape.isPoint(), true);
  }

  /** This expression with a comprehension variable no longer counted as read from outside. */
  Expr binding(String name) {
    Set<String> outer = new HashSet<>(refs);
    outer.remove(name);
    return new Expr(text, precedence, shape, outer, varies, fresh);
  }

  Expr aliasing() {
    return new Expr(text, precedence, shape, refs, varies, false);
  }

  /** The source, parenthesised when it binds more loosely than its context needs. */
  String at(int minPrecedence) {
    return precedence >= minPrecedence ? text : "(" + text + ")";
  }

  ValueType type() {
    return shape.type();
  }

  boolean isLiteral() {
    return refs.isEmpty();
  }

  boolean isConstant() {
    return refs.isEmpty() || shape.isPoint();
  }

  /** Whether this is just a variable's name. */
  boolean isName() {
    return refs.size() == 1 && refs.contains(text);
  }

  boolean mentions(Set<String> names) {
    for (String name : names) {
      if (refs.contains(name)) {
        return true;
      }
    }
    return false;
  }
}
