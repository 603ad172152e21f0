package dev.autodidact.core.world;

import dev.autodidact.core.random.SeedStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one function {@code f}: a signature, a body of statements and a final return.
 *
 * <p>Statements are assignments, updates, {@code if} statements, guarded early returns and
 * {@code for} loops. A loop runs over a sequence or a small range, at most
 * {@link #ITERATION_BUDGET} iterations over the whole function, and only updates
 * accumulators declared before it. Those accumulators are hidden from the loop's own
 * expressions, and their bounds after the loop are found by running the updates' bound
 * functions once per possible iteration, so that code after the loop stays safe.
 *
 * <p>One writer draws one function; it is not reused.
 */
final class FunctionWriter {
  static final String INDENT = "    ";
  private static final int ITERATION_BUDGET = 100;
  private static final int MAX_FAILURES = 30;
  private static final int RETURN_TRIES = 40;
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![.\\w])[A-Za-z_]\\w*");
  private static final Pattern ASSIGNMENT = Pattern.compile("\\s*[A-Za-z_]\\w* = (.*)");

  /** A drawn function and the parameters it actually reads. */
  record Draft(String source, List<Parameter> parameters) {}

  /**
   * A statement's lines and the variables it writes. A removable statement does nothing else,
   * so it can be dropped when nothing after it reads what it writes; one that overwrites its
   * variables makes their earlier values dead.
   */
  private record Block(List<String> lines, Set<String> writes, boolean removable, boolean overwrites) {
    static Block writing(List<String> lines, Set<String> writes) {
      return new Block(lines, Set.copyOf(writes), true, false);
    }

    static Block defining(List<String> lines, String name) {
      return new Block(lines, Set.of(name), true, true);
    }
  }

  /**
   * One update of a variable: its source line and what it does to the variable's bounds.
   *
   * @param repeats whether doing it again changes the variable again ({@code acc += v} does,
   *     {@code best = max(best, v)} does not unless v changed); in a loop, an update that does
   *     not repeat must depend on the loop variable or it is pointless
   */
  private record Update(
      String target, String text, UnaryOperator<Shape> transfer, Expr value, boolean repeats) {
    boolean varies() {
      return value != null && value.varies();
    }
  }

  /** A {@code for} line with the variables it binds and how often it may run. */
  private record LoopHeader(
      String line, List<Variable> variables, List<Scope.SafeIndex> safeIndexes, long iterations, Expr source) {}

  private final SeedStream rng;
  private final Difficulty difficulty;
  private final ExpressionGrammar grammar;
  private ValueType returnType;
  private int statementsLeft;
  private int iterationsLeft;
  /** The variable most recently assigned; later expressions prefer to read it. */
  private String focus;

  FunctionWriter(SeedStream rng, Difficulty difficulty) {
    this.rng = rng;
    this.difficulty = difficulty;
    this.grammar = new ExpressionGrammar(rng, difficulty);
  }

  /** Draws a function; null when this draw could not make the result depend on the input. */
  Draft write() {
    List<Parameter> parameters = drawParameters();
    Scope scope = new Scope();
    for (Parameter p : parameters) {
      scope.define(Variable.parameter(p.name(), p.shape()));
    }
    returnType = drawReturnType();
    statementsLeft = drawStatementCount();
    iterationsLeft = ITERATION_BUDGET;
    List<Block> blocks = new ArrayList<>();
    int failures = 0;
    while (statementsLeft > 0 && failures < MAX_FAILURES) {
      Block block = statement(scope);
      if (block == null) {
        failures++;
      } else {
        blocks.add(block);
      }
    }
    Expr result = returnValue(scope);
    if (result == null) {
      return null;
    }
    List<String> body = withoutDeadDefinitions(blocks, "return " + result.text());
    Set<String> read = identifiers(body);
    List<Parameter> kept = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Parameter p : parameters) {
      if (read.contains(p.name())) {
        kept.add(p);
        names.add(p.name());
      }
    }
    StringBuilder source = new StringBuilder("def f(").append(String.join(", ", names)).append("):\n");
    for (String line : body) {
      source.append(INDENT).append(line).append('\n');
    }
    return new Draft(source.toString(), List.copyOf(kept));
  }

  /**
   * The body's lines without statements whose writes nothing reads. Expressions have no side
   * effects and lists are never aliased, so dropping such a statement never changes the
   * result; code whose result nobody uses only teaches the model to skip lines.
   */
  private static List<String> withoutDeadDefinitions(List<Block> blocks, String returnLine) {
    List<String> body = new ArrayList<>(List.of(returnLine));
    Set<String> readLater = reads(body);
    for (int i = blocks.size() - 1; i >= 0; i--) {
      Block block = blocks.get(i);
      if (block.removable() && Collections.disjoint(block.writes(), readLater)) {
        continue;
      }
      body.addAll(0, block.lines());
      if (block.overwrites()) {
        readLater.removeAll(block.writes());
      }
      readLater.addAll(reads(block.lines()));
    }
    return body;
  }

  /** The names the lines read: all identifiers, except the target of a plain assignment. */
  private static Set<String> reads(List<String> lines) {
    Set<String> found = new HashSet<>();
    for (String line : lines) {
      Matcher assignment = ASSIGNMENT.matcher(line);
      found.addAll(identifiers(List.of(assignment.matches() ? assignment.group(1) : line)));
    }
    return found;
  }

  // ---------------------------------------------------------------- draws

  private List<Parameter> drawParameters() {
    int count = rng.nextIntBetween(1, difficulty.maxParameters());
    Set<String> taken = new HashSet<>();
    List<Parameter> parameters = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ValueType type =
          switch (Draw.weighted(rng, 4, on(difficulty.strings(), 3), on(difficulty.lists(), 3))) {
            case 0 -> ValueType.INT;
            case 1 -> ValueType.STR;
            default -> ValueType.INT_LIST;
          };
      List<String> pool = Names.parameters(type);
      String name = null;
      if (type == ValueType.INT && rng.nextBoolean(0.3) && !taken.contains("n")) {
        name = "n";
      }
      for (int j = 0; name == null; j++) {
        if (!taken.contains(pool.get(j))) {
          name = pool.get(j);
        }
      }
      taken.add(name);
      parameters.add(new Parameter(name, parameterShape(type, name)));
    }
    return parameters;
  }

  /** Inputs' bounds: {@code n} is never negative; some strings and lists are never empty. */
  private Shape parameterShape(ValueType type, String name) {
    int max = difficulty.maxLiteral();
    return switch (type) {
      case INT -> name.equals("n") ? Shape.ofInt(0, max) : Shape.ofInt(-max, max);
      case STR -> Shape.ofStr(rng.nextBoolean(0.25) ? 1 : 0, InputGenerator.MAX_STRING_LENGTH);
      default -> {
        int element = Math.min(max, 20);
        yield Shape.ofIntList(rng.nextBoolean(0.5) ? 1 : 0, InputGenerator.MAX_LIST_LENGTH, -element, element);
      }
    };
  }

  private ValueType drawReturnType() {
    boolean strings = difficulty.strings();
    boolean lists = difficulty.lists();
    return switch (Draw.weighted(rng, 8, 2, on(strings, 4), on(lists, 3), on(strings, 1), 1)) {
      case 0 -> ValueType.INT;
      case 1 -> ValueType.BOOL;
      case 2 -> ValueType.STR;
      case 3 -> ValueType.INT_LIST;
      case 4 -> ValueType.STR_LIST;
      default -> ValueType.TUPLE;
    };
  }

  private int drawStatementCount() {
    int max = difficulty.maxStatements();
    return rng.nextIntBetween(max / 3, max);
  }

  private int drawDepth() {
    return 1 + rng.nextInt(difficulty.maxExpressionDepth());
  }

  /** The type of a new local variable. */
  private ValueType drawValueType() {
    return switch (Draw.weighted(
        rng, 5, on(difficulty.strings(), 2), on(difficulty.lists(), 2), on(difficulty.conditionals(), 1))) {
      case 0 -> ValueType.INT;
      case 1 -> ValueType.STR;
      case 2 -> ValueType.INT_LIST;
      default -> ValueType.BOOL;
    };
  }

  private static int on(boolean enabled, int weight) {
    return enabled ? weight : 0;
  }

  // ---------------------------------------------------------------- statements

  /** One statement, or null; the scope and budgets change only on success. */
  private Block statement(Scope scope) {
    Scope trial = scope.copy();
    int statements = statementsLeft;
    int iterations = iterationsLeft;
    String focused = focus;
    boolean conditionals = difficulty.conditionals();
    int kind =
        Draw.weighted(
            rng,
            4, // assignment
            on(!updatable(trial).isEmpty(), 2), // update
            on(conditionals, 2), // if/else assigning a new variable
            on(conditionals, 1), // if/else updating variables
            on(conditionals, 1), // early return
            on(difficulty.loops(), 5)); // loop
    Block block =
        switch (kind) {
          case 0 -> assignment(trial);
          case 1 -> update(trial);
          case 2 -> branchAssignment(trial);
          case 3 -> branchUpdate(trial);
          case 4 -> earlyReturn(trial);
          default -> loop(trial);
        };
    if (block == null || statementsLeft < 0) {
      statementsLeft = statements;
      iterationsLeft = iterations;
      focus = focused;
      return null;
    }
    scope.replaceWith(trial);
    return block;
  }

  /** An expression that reads the focus variable when it can. */
  private Expr focused(ValueType type, Scope scope, int depth) {
    if (focus != null && scope.has(focus) && rng.nextBoolean(0.6)) {
      Expr e = grammar.expressionMentioning(type, scope, depth, Set.of(focus));
      if (e != null) {
        return e;
      }
    }
    return grammar.expression(type, scope, depth);
  }

  private static boolean storable(Expr e) {
    return e != null && !e.isConstant() && !e.isName() && (e.type() != ValueType.INT_LIST || e.fresh());
  }

  private Block assignment(Scope scope) {
    ValueType type = drawValueType();
    Expr e = focused(type, scope, drawDepth());
    String name = Names.fresh(rng, Names.locals(type), scope.names());
    if (!storable(e) || name == null) {
      return null;
    }
    scope.define(Variable.local(name, e.shape(), e.varies()));
    statementsLeft--;
    focus = name;
    return Block.defining(List.of(name + " = " + e.text()), name);
  }

  private static List<Variable> updatable(Scope scope) {
    List<Variable> found = new ArrayList<>();
    for (Variable v : scope.assignable()) {
      if (v.type() != ValueType.STR_LIST && v.type() != ValueType.TUPLE) {
        found.add(v);
      }
    }
    return found;
  }

  private Variable pickTarget(List<Variable> targets) {
    int[] weights = new int[targets.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = targets.get(i).role() == Variable.Role.LOCAL ? 2 : 1;
    }
    return targets.get(Draw.weighted(rng, weights));
  }

  /** An update outside loops: its value may read anything but the target itself. */
  private Update topLevelUpdate(Variable target, Scope scope, boolean guarded) {
    Scope values = scope.copy();
    values.hide(target.name());
    Set<String> preferred = focus == null || focus.equals(target.name()) ? Set.of() : Set.of(focus);
    return drawUpdate(target, values, guarded, false, preferred);
  }

  private Block update(Scope scope) {
    List<Variable> targets = updatable(scope);
    if (targets.isEmpty()) {
      return null;
    }
    Variable target = pickTarget(targets);
    Update u = topLevelUpdate(target, scope, false);
    if (u == null) {
      return null;
    }
    Shape next = u.transfer().apply(target.shape());
    if (!next.withinLimits()) {
      return null;
    }
    boolean overwrite = ASSIGNMENT.matcher(u.text()).matches() && !reads(List.of(u.text())).contains(target.name());
    scope.define(target.assigned(next, u.varies() || target.varies() && !overwrite));
    statementsLeft--;
    focus = target.name();
    return overwrite
        ? Block.defining(List.of(u.text()), target.name())
        : Block.writing(List.of(u.text()), Set.of(target.name()));
  }

  /** {@code if}/{@code elif}/{@code else} arms that each assign the same new variable. */
  private Block branchAssignment(Scope scope) {
    if (statementsLeft < 2) {
      return null;
    }
    int arms = statementsLeft >= 3 && rng.nextBoolean(0.3) ? 3 : 2;
    ValueType type = drawValueType();
    String name = Names.fresh(rng, Names.locals(type), scope.names());
    if (name == null) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    Set<String> texts = new HashSet<>();
    Shape shape = null;
    boolean varies = false;
    for (int arm = 0; arm < arms; arm++) {
      if (arm < arms - 1) {
        Expr c = grammar.condition(scope, drawDepth());
        if (c == null || !texts.add(c.text())) {
          return null;
        }
        lines.add((arm == 0 ? "if " : "elif ") + c.text() + ":");
        varies |= c.varies();
      } else {
        lines.add("else:");
      }
      Expr value = focused(type, scope, drawDepth());
      if (value == null || type == ValueType.INT_LIST && !value.fresh()) {
        return null;
      }
      texts.add(value.text());
      lines.add(INDENT + name + " = " + value.text());
      shape = shape == null ? value.shape() : shape.join(value.shape());
      varies |= value.varies();
    }
    if (texts.size() < 2 * arms - 1) {
      return null;
    }
    scope.define(Variable.local(name, shape, varies));
    statementsLeft -= arms;
    focus = name;
    return Block.defining(lines, name);
  }

  /** {@code if c: update} with an optional {@code else: update}. */
  private Block branchUpdate(Scope scope) {
    List<Variable> targets = updatable(scope);
    if (targets.isEmpty()) {
      return null;
    }
    Expr c = grammar.condition(scope, drawDepth());
    if (c == null) {
      return null;
    }
    Variable first = pickTarget(targets);
    Update u1 = topLevelUpdate(first, scope, true);
    if (u1 == null) {
      return null;
    }
    List<String> lines = new ArrayList<>(List.of("if " + c.text() + ":", INDENT + u1.text()));
    Variable second = null;
    Update u2 = null;
    if (statementsLeft >= 2 && rng.nextBoolean(0.45)) {
      second = pickTarget(targets);
      u2 = topLevelUpdate(second, scope, true);
      if (u2 != null) {
        lines.add("else:");
        lines.add(INDENT + u2.text());
      }
    }
    Map<String, Shape> after = new HashMap<>();
    if (u2 == null) {
      after.put(first.name(), first.shape().join(u1.transfer().apply(first.shape())));
    } else if (first.name().equals(second.name())) {
      Shape s = first.shape();
      after.put(first.name(), u1.transfer().apply(s).join(u2.transfer().apply(s)));
    } else {
      after.put(first.name(), first.shape().join(u1.transfer().apply(first.shape())));
      after.put(second.name(), second.shape().join(u2.transfer().apply(second.shape())));
    }
    for (Map.Entry<String, Shape> entry : after.entrySet()) {
      if (!entry.getValue().withinLimits()) {
        return null;
      }
      Variable target = scope.get(entry.getKey());
      boolean varies = target.varies() || c.varies() || u1.varies() || u2 != null && u2.varies();
      scope.define(target.assigned(entry.getValue(), varies));
    }
    statementsLeft -= u2 == null ? 1 : 2;
    focus = first.name();
    return Block.writing(lines, after.keySet());
  }

  private Block earlyReturn(Scope scope) {
    Expr c = grammar.condition(scope, drawDepth());
    Expr value = grammar.expression(returnType, scope, drawDepth());
    if (value != null && value.isConstant() && rng.nextBoolean(0.7)) {
      value = grammar.expression(returnType, scope, drawDepth());
    }
    if (c == null || value == null) {
      return null;
    }
    statementsLeft--;
    return new Block(List.of("if " + c.text() + ":", INDENT + "return " + value.text()), Set.of(), false, false);
  }

  // ---------------------------------------------------------------- updates

  /** An update of the target whose value never reads the target, or null. */
  private Update drawUpdate(
      Variable target, Scope values, boolean guarded, boolean inLoop, Set<String> preferred) {
    int depth = Math.max(1, drawDepth() - 1);
    return switch (target.type()) {
      case INT -> intUpdate(target.name(), target.shape(), values, depth, guarded, inLoop, preferred);
      case STR -> strUpdate(target.name(), target.shape(), values, depth, guarded, inLoop, preferred);
      case INT_LIST -> listUpdate(target.name(), target.shape(), values, depth, guarded, inLoop, preferred);
      case BOOL -> boolUpdate(target.name(), target.shape(), values, depth, guarded, preferred);
      default -> null;
    };
  }

  private Expr updateValue(ValueType type, Scope values, int depth, Set<String> preferred) {
    if (!preferred.isEmpty()) {
      Expr e = grammar.expressionMentioning(type, values, depth, preferred);
      if (e != null) {
        return e;
      }
    }
    return grammar.expression(type, values, depth);
  }

  private Update intUpdate(
      String v, Shape current, Scope values, int depth, boolean guarded, boolean inLoop, Set<String> preferred) {
    int form = Draw.weighted(rng, 5, 2, 2, 2, 1, 1, 1, on(!inLoop, 1), 1);
    if (form == 4) {
      int k = rng.nextIntBetween(2, 3);
      return new Update(v, v + " *= " + k, s -> s.times(Shape.ofInt(k, k)), null, true);
    }
    if (form == 7) {
      int k = rng.nextIntBetween(2, 5);
      if (rng.nextBoolean(0.5)) {
        return new Update(v, v + " //= " + k, s -> s.floorDiv(k), null, true);
      }
      return current.within(0, k - 1) ? null : new Update(v, v + " %= " + k, s -> s.floorMod(k), null, false);
    }
    boolean counting = (form == 0 || form == 1) && (guarded || inLoop) && rng.nextBoolean(0.35);
    Expr e = counting ? Expr.intLiteral(rng.nextIntBetween(1, 2)) : updateValue(ValueType.INT, values, depth, preferred);
    // Adding a negation reads badly ("acc += -v"); the subtracting forms say it directly.
    if (e == null || isZero(e) || e.precedence() == Expr.UNARY && form != 2 && form != 3) {
      return null;
    }
    Shape es = e.shape();
    switch (form) {
      case 0:
        return new Update(v, v + " += " + e.text(), s -> s.plus(es), e, true);
      case 1:
        return new Update(v, v + " -= " + e.text(), s -> s.minus(es), e, true);
      case 2:
        if (rng.nextBoolean(0.5)) {
          return new Update(v, v + " = max(" + v + ", " + e.text() + ")", s -> s.max(es), e, false);
        }
        return new Update(v, v + " = min(" + v + ", " + e.text() + ")", s -> s.min(es), e, false);
      case 3:
        if (!guarded && e.isConstant()) {
          return null;
        }
        return new Update(v, v + " = " + e.text(), s -> es, e, false);
      case 5:
        {
          int k = rng.nextIntBetween(2, 3);
          String text = v + " = " + v + " * " + k + " + " + e.at(Expr.PRODUCT);
          return new Update(v, text, s -> s.times(Shape.ofInt(k, k)).plus(es), e, true);
        }
      case 6:
        {
          int m = rng.pick(List.of(7, 10, 11, 100));
          String text = v + " = (" + v + " + " + e.at(Expr.PRODUCT) + ") % " + m;
          return new Update(v, text, s -> s.plus(es).floorMod(m), e, true);
        }
      default:
        return new Update(v, v + " = " + e.at(Expr.SUM) + " - " + v, s -> es.minus(s), e, true);
    }
  }

  private static boolean isZero(Expr e) {
    return e.isLiteral() && e.text().equals("0");
  }

  private Update strUpdate(
      String v, Shape current, Scope values, int depth, boolean guarded, boolean inLoop, Set<String> preferred) {
    int form = Draw.weighted(rng, 5, 2, 2, 1, on(!inLoop, 1));
    if (form == 3) {
      String[] r = grammar.replacementFor(current);
      if (r == null) {
        return null;
      }
      String text =
          v + " = " + v + ".replace(" + ExpressionGrammar.quote(r[0]) + ", " + ExpressionGrammar.quote(r[1]) + ")";
      return new Update(v, text, s -> ExpressionGrammar.replaced(s, r[0], r[1]), null, false);
    }
    if (form == 4) {
      boolean reverse = current.numeric() || rng.nextBoolean(0.5);
      String text = reverse ? v + " = " + v + "[::-1]" : v + " = " + v + ".upper()";
      return new Update(v, text, s -> s, null, reverse);
    }
    Expr e = updateValue(ValueType.STR, values, depth, preferred);
    if (e == null) {
      return null;
    }
    Shape es = e.shape();
    return switch (form) {
      case 0 -> new Update(v, v + " += " + e.text(), s -> s.concat(es), e, true);
      case 1 -> new Update(v, v + " = " + e.at(Expr.SUM) + " + " + v, s -> es.concat(s), e, true);
      default -> !guarded && e.isConstant() ? null : new Update(v, v + " = " + e.text(), s -> es, e, false);
    };
  }

  private Update listUpdate(
      String v, Shape current, Scope values, int depth, boolean guarded, boolean inLoop, Set<String> preferred) {
    int form = Draw.weighted(rng, 5, 1, 1, 1, on(!inLoop && current.maxLen() >= 2, 1));
    if (form == 4) {
      boolean sort = rng.nextBoolean(0.6);
      return new Update(v, v + (sort ? ".sort()" : ".reverse()"), s -> s, null, !sort);
    }
    if (form == 3) {
      Expr e = updateValue(ValueType.INT_LIST, values, depth, preferred);
      if (e == null || !e.fresh() || !guarded && e.isConstant()) {
        return null;
      }
      Shape es = e.shape();
      return new Update(v, v + " = " + e.text(), s -> es, e, false);
    }
    Expr e = updateValue(ValueType.INT, values, depth, preferred);
    if (e == null) {
      return null;
    }
    Shape es = e.shape();
    String text =
        switch (form) {
          case 0 -> v + ".append(" + e.text() + ")";
          case 1 -> v + ".insert(0, " + e.text() + ")";
          default -> v + " = [" + e.text() + "] + " + v;
        };
    return new Update(v, text, s -> s.plusElement(es), e, true);
  }

  private Update boolUpdate(
      String v, Shape current, Scope values, int depth, boolean guarded, Set<String> preferred) {
    if (guarded && rng.nextBoolean(0.6)) {
      boolean value = current.isPoint() ? current.lo() == 0 : rng.nextBoolean(0.5);
      Expr literal = Expr.literal(value ? "True" : "False", Shape.ofBool(value));
      return new Update(v, v + " = " + literal.text(), s -> literal.shape(), literal, false);
    }
    if (rng.nextBoolean(0.2)) {
      return new Update(v, v + " = not " + v, s -> Shape.ofBool(), null, true);
    }
    Expr e = null;
    for (int attempt = 0; attempt < 4 && e == null; attempt++) {
      Expr candidate = updateValue(ValueType.BOOL, values, depth, preferred);
      e = candidate == null || candidate.isConstant() ? null : candidate;
    }
    if (e == null) {
      return null;
    }
    // "or" cannot change a value that is always true, nor "and" one that is always false.
    boolean canRise = current.lo() == 0;
    boolean canFall = current.hi() == 1;
    String op = canRise && (!canFall || rng.nextBoolean(0.5)) ? " or " : " and ";
    int precedence = op.equals(" or ") ? Expr.OR + 1 : Expr.AND + 1;
    return new Update(v, v + " = " + v + op + e.at(precedence), s -> Shape.ofBool(), e, false);
  }

  // ---------------------------------------------------------------- loops

  private Block loop(Scope scope) {
    if (iterationsLeft < 2) {
      return null;
    }
    Scope body = scope.copy();
    LoopHeader outer = header(body, iterationsLeft);
    if (outer == null) {
      return null;
    }
    enter(body, outer);
    LoopHeader inner = null;
    if (difficulty.maxStatements() >= 5 && outer.iterations() <= 6 && rng.nextBoolean(0.15)) {
      inner = header(body, iterationsLeft / outer.iterations());
      if (inner != null) {
        enter(body, inner);
      }
    }
    long iterations = outer.iterations() * (inner == null ? 1 : inner.iterations());
    Set<String> loopNames = new HashSet<>();
    Set<String> fixed = new HashSet<>(outer.source().refs());
    boolean headerVaries = outer.source().varies();
    for (LoopHeader h : inner == null ? List.of(outer) : List.of(outer, inner)) {
      for (Variable v : h.variables()) {
        loopNames.add(v.name());
      }
      fixed.addAll(h.source().refs());
      headerVaries |= h.source().varies();
    }

    List<String> lines = new ArrayList<>();
    List<Variable> accumulators = accumulators(scope, body, fixed, lines);
    if (accumulators == null) {
      return null;
    }
    int used = lines.size();
    for (Variable acc : accumulators) {
      body.hide(acc.name());
    }

    List<String> bodyLines = new ArrayList<>();
    String tempName = null;
    Set<String> preferred = new HashSet<>(loopNames);
    if (statementsLeft - used > accumulators.size() && rng.nextBoolean(0.2)) {
      ValueType type = difficulty.strings() && rng.nextBoolean(0.3) ? ValueType.STR : ValueType.INT;
      Expr e = grammar.expressionMentioning(type, body, drawDepth(), loopNames);
      String name = Names.fresh(rng, Names.locals(type), body.names());
      if (storable(e) && name != null) {
        body.define(Variable.local(name, e.shape(), e.varies()));
        bodyLines.add(name + " = " + e.text());
        tempName = name;
        preferred.add(name);
        used++;
      }
    }

    List<Update> updates = new ArrayList<>();
    List<Boolean> guarded = new ArrayList<>();
    for (Variable acc : accumulators) {
      boolean guard = difficulty.conditionals() && rng.nextBoolean(0.45);
      Update u = null;
      for (int attempt = 0; attempt < 3 && u == null; attempt++) {
        Update candidate = drawUpdate(acc, body, guard, true, preferred);
        boolean useful =
            candidate != null
                && (guard || candidate.repeats() || candidate.value() != null && candidate.value().mentions(preferred));
        u = useful ? candidate : null;
      }
      if (u == null) {
        return null;
      }
      updates.add(u);
      guarded.add(guard);
      used++;
    }
    Map<String, Shape> after = widen(accumulators, updates, iterations);
    if (after == null) {
      return null;
    }
    boolean valuesVary = headerVaries;
    for (Update u : updates) {
      valuesVary |= u.varies();
    }
    for (Variable acc : accumulators) {
      body.define(acc.assigned(after.get(acc.name()), acc.varies() || valuesVary));
    }

    List<String> updateLines = new ArrayList<>();
    boolean guardsVary = false;
    for (int i = 0; i < updates.size(); i++) {
      Update u = updates.get(i);
      if (!guarded.get(i)) {
        updateLines.add(u.text());
        continue;
      }
      Update otherwise = i + 1 < updates.size() && guarded.get(i + 1) && rng.nextBoolean(0.5) ? updates.get(i + 1) : null;
      // A guard reading what it guards makes self-fulfilling code ("if found: found = True").
      Scope guardScope = body.copy();
      guardScope.hide(u.target());
      boolean needsLoopVariable = !u.repeats();
      if (otherwise != null) {
        guardScope.hide(otherwise.target());
        needsLoopVariable |= !otherwise.repeats();
      }
      Expr c =
          needsLoopVariable
              ? grammar.conditionMentioning(guardScope, drawDepth(), preferred)
              : guardCondition(guardScope, preferred);
      if (c == null) {
        return null;
      }
      guardsVary |= c.varies();
      updateLines.add("if " + c.text() + ":");
      updateLines.add(INDENT + u.text());
      if (otherwise != null) {
        updateLines.add("else:");
        updateLines.add(INDENT + otherwise.text());
        i++;
      }
    }

    List<String> exit = new ArrayList<>();
    if (difficulty.conditionals() && statementsLeft - used >= 1 && rng.nextBoolean(0.2)) {
      Expr c = guardCondition(body, preferred);
      Expr value = rng.nextBoolean(0.5) ? null : grammar.expression(returnType, body, drawDepth());
      if (c != null) {
        exit.add("if " + c.text() + ":");
        exit.add(INDENT + (value == null ? "break" : "return " + value.text()));
        guardsVary |= c.varies();
        used++;
      }
    }
    if (!bodyLines.isEmpty() && !reads(updateLines).contains(tempName) && !reads(exit).contains(tempName)) {
      bodyLines.clear();
      used--;
    }
    boolean exitFirst = rng.nextBoolean(0.4);
    if (exitFirst) {
      bodyLines.addAll(exit);
    }
    bodyLines.addAll(updateLines);
    if (!exitFirst) {
      bodyLines.addAll(exit);
    }

    lines.add(outer.line());
    String pad = INDENT;
    if (inner != null) {
      lines.add(INDENT + inner.line());
      pad = INDENT + INDENT;
    }
    for (String line : bodyLines) {
      lines.add(pad + line);
    }
    boolean varies = valuesVary || guardsVary;
    if (!varies) {
      return null;
    }
    for (Variable acc : accumulators) {
      scope.define(acc.assigned(after.get(acc.name()), acc.varies() || varies));
    }
    statementsLeft -= used;
    iterationsLeft -= (int) iterations;
    focus = accumulators.get(0).name();
    Set<String> written = new HashSet<>();
    for (Variable acc : accumulators) {
      written.add(acc.name());
    }
    return new Block(lines, written, exit.isEmpty() || !exit.get(1).contains("return "), false);
  }

  private Expr guardCondition(Scope body, Set<String> preferred) {
    Expr c = grammar.conditionMentioning(body, drawDepth(), preferred);
    return c != null ? c : grammar.condition(body, drawDepth());
  }

  /**
   * One or two variables the loop will update: existing ones the header does not read, or new
   * ones whose initialisation lines are added to {@code lines}. Null when none fits the budget.
   */
  private List<Variable> accumulators(Scope scope, Scope body, Set<String> fixed, List<String> lines) {
    int wanted = statementsLeft >= 4 && rng.nextBoolean(0.3) ? 2 : 1;
    List<Variable> accumulators = new ArrayList<>();
    for (int k = 0; k < wanted; k++) {
      Variable acc = null;
      if (rng.nextBoolean(0.35)) {
        List<Variable> candidates = new ArrayList<>();
        for (Variable v : updatable(scope)) {
          if (!fixed.contains(v.name()) && !accumulators.contains(v)) {
            candidates.add(v);
          }
        }
        acc = candidates.isEmpty() ? null : pickTarget(candidates);
      }
      if (acc == null) {
        ValueType type = drawAccumulatorType();
        String name = Names.fresh(rng, Names.accumulators(type), body.names());
        Expr init = accumulatorInit(type, scope);
        if (name == null || init == null) {
          continue;
        }
        lines.add(name + " = " + init.text());
        acc = Variable.local(name, init.shape(), init.varies());
        body.define(acc);
      }
      accumulators.add(acc);
    }
    if (accumulators.isEmpty() || statementsLeft < lines.size() + accumulators.size()) {
      return null;
    }
    return accumulators;
  }

  private ValueType drawAccumulatorType() {
    return switch (Draw.weighted(
        rng, 6, on(difficulty.strings(), 3), on(difficulty.lists(), 3), on(difficulty.conditionals(), 1))) {
      case 0 -> ValueType.INT;
      case 1 -> ValueType.STR;
      case 2 -> ValueType.INT_LIST;
      default -> ValueType.BOOL;
    };
  }

  private Expr accumulatorInit(ValueType type, Scope scope) {
    switch (type) {
      case INT:
        {
          int form = Draw.weighted(rng, 6, 1, 3);
          if (form == 2) {
            Expr e = grammar.expression(ValueType.INT, scope, 1);
            if (e != null && !e.isLiteral()) {
              return e;
            }
          }
          return Expr.intLiteral(form == 1 ? 1 : 0);
        }
      case STR:
        {
          if (rng.nextBoolean(0.3)) {
            Expr e = grammar.expression(ValueType.STR, scope, 1);
            if (e != null && !e.isName()) {
              return e;
            }
          }
          return Expr.literal("''", Shape.ofStr(0, 0));
        }
      case INT_LIST:
        {
          if (rng.nextBoolean(0.15)) {
            Expr e = grammar.expression(ValueType.INT_LIST, scope, 1);
            if (e != null && e.fresh()) {
              return e;
            }
          }
          return Expr.literal("[]", Shape.ofIntList(0, 0, 0, 0));
        }
      default:
        {
          boolean value = rng.nextBoolean(0.3);
          return Expr.literal(value ? "True" : "False", Shape.ofBool(value));
        }
    }
  }

  /**
   * Bounds of the accumulators after the loop: each update's bound function applied once per
   * possible iteration, joined with the bounds before, so any number of iterations, skipped
   * guarded updates and early exits are covered. Null when a bound leaves the limits.
   */
  private static Map<String, Shape> widen(List<Variable> accumulators, List<Update> updates, long iterations) {
    Map<String, Shape> state = new HashMap<>();
    for (Variable acc : accumulators) {
      state.put(acc.name(), acc.shape());
    }
    for (long n = 0; n < iterations; n++) {
      boolean changed = false;
      for (Update u : updates) {
        Shape before = state.get(u.target());
        Shape next = before.join(u.transfer().apply(before));
        if (!next.withinLimits()) {
          return null;
        }
        if (!next.equals(before)) {
          state.put(u.target(), next);
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
    return state;
  }

  private static void enter(Scope body, LoopHeader header) {
    for (Variable v : header.variables()) {
      body.define(v);
    }
    for (Scope.SafeIndex index : header.safeIndexes()) {
      body.addSafeIndex(index.sequence(), index.text(), index.variable());
    }
  }

  private LoopHeader header(Scope scope, long budget) {
    List<Variable> strs = sequences(scope, ValueType.STR);
    List<Variable> lists = sequences(scope, ValueType.INT_LIST);
    List<Variable> both = new ArrayList<>(strs);
    both.addAll(lists);
    LoopHeader h =
        switch (Draw.weighted(
            rng,
            on(difficulty.strings(), 3), // for ch in s
            on(difficulty.lists(), 3), // for v in xs
            1, // for i in range(k)
            on(!both.isEmpty(), 2), // for i in range(len(s))
            on(!lists.isEmpty(), 1), // for i in range(1, len(xs))
            1, // for i in range(<int expression>)
            on(!both.isEmpty(), 2), // for i, v in enumerate(xs)
            on(strs.size() >= 2 || lists.size() >= 2, 1))) { // for a, b in zip(s, t)
          case 0 -> elements(scope, strs, ValueType.STR, Names.CHARS);
          case 1 -> elements(scope, lists, ValueType.INT_LIST, Names.ELEMENTS);
          case 2 -> constantRange(scope, budget);
          case 3 -> rangeOfLength(scope, both, false);
          case 4 -> rangeOfLength(scope, lists, true);
          case 5 -> expressionRange(scope, budget);
          case 6 -> enumerated(scope, both);
          default -> zipped(scope, strs.size() >= 2 && (lists.size() < 2 || rng.nextBoolean(0.5)) ? strs : lists);
        };
    return h == null || h.iterations() < 1 || h.iterations() > budget ? null : h;
  }

  private static List<Variable> sequences(Scope scope, ValueType type) {
    List<Variable> found = new ArrayList<>();
    for (Variable v : scope.readable(type)) {
      if (v.shape().maxLen() >= 2) {
        found.add(v);
      }
    }
    return found;
  }

  private LoopHeader elements(Scope scope, List<Variable> vars, ValueType type, List<String> names) {
    Expr source =
        !vars.isEmpty() && rng.nextBoolean(0.75)
            ? Expr.variable(rng.pick(vars))
            : grammar.expression(type, scope, 1);
    String name = Names.fresh(rng, names, scope.names());
    if (source == null || source.isConstant() || name == null || source.shape().maxLen() < 2) {
      return null;
    }
    if (!source.isName() && source.shape().minLen() == source.shape().maxLen()) {
      return null;
    }
    Variable v = Variable.loop(name, source.shape().element(), source.varies());
    return new LoopHeader(
        "for " + name + " in " + source.text() + ":", List.of(v), List.of(), source.shape().maxLen(), source);
  }

  private LoopHeader constantRange(Scope scope, long budget) {
    String name = Names.fresh(rng, Names.INDEXES, scope.names());
    if (name == null || budget < 2) {
      return null;
    }
    int k = rng.nextIntBetween(2, (int) Math.min(6, budget));
    Variable i = Variable.loop(name, Shape.ofInt(0, k - 1), false);
    return new LoopHeader(
        "for " + name + " in range(" + k + "):", List.of(i), List.of(), k, Expr.intLiteral(k));
  }

  private LoopHeader rangeOfLength(Scope scope, List<Variable> vars, boolean fromOne) {
    String name = Names.fresh(rng, Names.INDEXES, scope.names());
    if (name == null || vars.isEmpty()) {
      return null;
    }
    Variable seq = rng.pick(vars);
    int max = seq.shape().maxLen();
    Expr source = Expr.variable(seq);
    if (fromOne) {
      Variable i = Variable.loop(name, Shape.ofInt(1, Math.max(1, max - 1)), seq.varies());
      List<Scope.SafeIndex> safe =
          List.of(
              new Scope.SafeIndex(seq.name(), name, name),
              new Scope.SafeIndex(seq.name(), name + " - 1", name));
      return new LoopHeader(
          "for " + name + " in range(1, len(" + seq.name() + ")):", List.of(i), safe, max - 1, source);
    }
    Variable i = Variable.loop(name, Shape.ofInt(0, max - 1), seq.varies());
    return new LoopHeader(
        "for " + name + " in range(len(" + seq.name() + ")):",
        List.of(i),
        List.of(new Scope.SafeIndex(seq.name(), name, name)),
        max,
        source);
  }

  private LoopHeader expressionRange(Scope scope, long budget) {
    String name = Names.fresh(rng, Names.INDEXES, scope.names());
    Expr bound = grammar.expression(ValueType.INT, scope, 1);
    if (name == null || bound == null || bound.isConstant()) {
      return null;
    }
    long top = bound.shape().hi();
    if (top < 2 || top > Math.min(12, budget)) {
      return null;
    }
    Variable i = Variable.loop(name, Shape.ofInt(0, top - 1), bound.varies());
    return new LoopHeader("for " + name + " in range(" + bound.text() + "):", List.of(i), List.of(), top, bound);
  }

  private LoopHeader enumerated(Scope scope, List<Variable> vars) {
    if (vars.isEmpty()) {
      return null;
    }
    Variable seq = rng.pick(vars);
    String index = Names.fresh(rng, Names.INDEXES, scope.names());
    List<String> pool = seq.type() == ValueType.STR ? Names.CHARS : Names.ELEMENTS;
    String item = Names.fresh(rng, pool, scope.names());
    if (index == null || item == null) {
      return null;
    }
    int max = seq.shape().maxLen();
    List<Variable> bound =
        List.of(
            Variable.loop(index, Shape.ofInt(0, max - 1), seq.varies()),
            Variable.loop(item, seq.shape().element(), seq.varies()));
    return new LoopHeader(
        "for " + index + ", " + item + " in enumerate(" + seq.name() + "):",
        bound,
        List.of(new Scope.SafeIndex(seq.name(), index, index)),
        max,
        Expr.variable(seq));
  }

  private LoopHeader zipped(Scope scope, List<Variable> vars) {
    List<String> pair = grammar.freePair(scope);
    if (vars.size() < 2 || pair == null) {
      return null;
    }
    Variable a = rng.pick(vars);
    Variable b = rng.pick(vars);
    if (a.name().equals(b.name())) {
      return null;
    }
    Expr source =
        Expr.compose(
            "zip(" + a.name() + ", " + b.name() + ")",
            Expr.ATOM,
            a.shape(),
            Expr.variable(a),
            Expr.variable(b));
    List<Variable> bound =
        List.of(
            Variable.loop(pair.get(0), a.shape().element(), a.varies()),
            Variable.loop(pair.get(1), b.shape().element(), b.varies()));
    long iterations = Math.min(a.shape().maxLen(), b.shape().maxLen());
    return new LoopHeader(
        "for " + pair.get(0) + ", " + pair.get(1) + " in " + source.text() + ":",
        bound,
        List.of(),
        iterations,
        source);
  }

  // ---------------------------------------------------------------- return

  private Expr returnValue(Scope scope) {
    Variable last = focus == null ? null : scope.get(focus);
    if (last != null && last.type() == returnType && last.varies() && rng.nextBoolean(0.4)) {
      return Expr.variable(last);
    }
    Set<String> preferred = last == null ? Set.of() : Set.of(last.name());
    for (int attempt = 0; attempt < RETURN_TRIES; attempt++) {
      int depth = drawDepth();
      Expr e =
          attempt < RETURN_TRIES / 2 && !preferred.isEmpty()
              ? grammar.expressionMentioning(returnType, scope, depth, preferred)
              : grammar.expression(returnType, scope, depth);
      if (e != null && e.varies()) {
        return e;
      }
    }
    return null;
  }

  private static Set<String> identifiers(List<String> lines) {
    Set<String> found = new HashSet<>();
    for (String line : lines) {
      Matcher m = IDENTIFIER.matcher(line.replaceAll("'[^']*'", "''"));
      while (m.find()) {
        found.add(m.group());
      }
    }
    return found;
  }
}
