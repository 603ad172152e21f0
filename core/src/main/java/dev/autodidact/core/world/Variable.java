package dev.autodidact.core.world;

/**
 * A variable in scope while generating.
 *
 * @param varies whether its value can change with the function's input
 * @param hidden true while a loop body is generated that updates it, so that no expression
 *     reads it with bounds that only held before the loop
 */
record Variable(String name, Shape shape, boolean varies, Role role, boolean hidden) {

  /** Where a variable comes from, which decides whether it may be assigned. */
  enum Role {
    PARAMETER,
    LOCAL,
    /** A loop or comprehension variable: read only. */
    LOOP
  }

  static Variable parameter(String name, Shape shape) {
    return new Variable(name, shape, true, Role.PARAMETER, false);
  }

  static Variable local(String name, Shape shape, boolean varies) {
    return new Variable(name, shape, varies && !shape.isPoint(), Role.LOCAL, false);
  }

  static Variable loop(String name, Shape shape, boolean varies) {
    return new Variable(name, shape, varies, Role.LOOP, false);
  }

  ValueType type() {
    return shape.type();
  }

  boolean assignable() {
    return role != Role.LOOP && !hidden;
  }

  Variable hide() {
    return new Variable(name, shape, varies, role, true);
  }

  /** The same variable after an assignment gave it new bounds. */
  Variable assigned(Shape newShape, boolean newVaries) {
    return new Variable(name, newShape, newVaries && !newShape.isPoint(), role, false);
  }
}
