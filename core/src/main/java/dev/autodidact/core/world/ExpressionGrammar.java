package dev.autodidact.core.world;

import static dev.autodidact.core.world.Expr.AND;
import static dev.autodidact.core.world.Expr.ATOM;
import static dev.autodidact.core.world.Expr.COMPARE;
import static dev.autodidact.core.world.Expr.NOT;
import static dev.autodidact.core.world.Expr.OR;
import static dev.autodidact.core.world.Expr.PRODUCT;
import static dev.autodidact.core.world.Expr.SUM;
import static dev.autodidact.core.world.Expr.TERNARY;
import static dev.autodidact.core.world.Expr.UNARY;

import dev.autodidact.core.random.SeedStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Random typed expression trees over the variables of a {@link Scope}.
 *
 * <p>Every production knows the bounds of its operands and only writes operations that cannot
 * raise for any value inside them: divisors are positive constants or {@code abs(...) + 1},
 * an index needs a sequence known to be long enough or an index proved in range, {@code max}
 * of a list needs it non-empty or a default, and no result may leave {@link Shape#INT_LIMIT}.
 *
 * <p>A compound expression that cannot vary (only literals, or a single possible value) is
 * rejected, so generated code never computes a constant the long way; nor does it write
 * identities such as {@code abs} of a non-negative value or {@code % k} of a value below k.
 */
final class ExpressionGrammar {
  static final String COMMON_LETTERS = "abcde";
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final String DIGITS = "0123456789";
  private static final List<String> COMPARISONS = List.of("<", "<=", ">", ">=", "==", "!=");
  private static final int TRIES = 6;
  private static final double LEAF_CHANCE = 0.2;

  /** A comprehension variable bound over a source, with the scope its body sees. */
  private record Binding(Expr source, String name, Scope inner) {}

  private final SeedStream rng;
  private final Difficulty difficulty;
  /** How many comprehensions enclose the production being built. */
  private int comprehensions;

  ExpressionGrammar(SeedStream rng, Difficulty difficulty) {
    this.rng = rng;
    this.difficulty = difficulty;
  }

  /** An expression of the type with at most {@code depth} nested operators, or null. */
  Expr expression(ValueType type, Scope scope, int depth) {
    for (int attempt = 0; attempt < TRIES; attempt++) {
      Expr e =
          depth <= 0 || rng.nextBoolean(LEAF_CHANCE) ? leaf(type, scope) : compound(type, scope, depth);
      if (e != null && e.shape().withinLimits()) {
        return e;
      }
    }
    return leaf(type, scope);
  }

  /** Like {@link #expression}, but reading at least one of the names; null when none came. */
  Expr expressionMentioning(ValueType type, Scope scope, int depth, Set<String> names) {
    for (int attempt = 0; attempt < TRIES; attempt++) {
      Expr e = expression(type, scope, depth);
      if (e != null && e.mentions(names)) {
        return e;
      }
    }
    return null;
  }

  /** A condition whose outcome is not decided by the bounds alone, or null. */
  Expr condition(Scope scope, int depth) {
    for (int attempt = 0; attempt < TRIES; attempt++) {
      Expr e = expression(ValueType.BOOL, scope, Math.max(1, depth));
      if (e != null && !e.isConstant()) {
        return e;
      }
    }
    return null;
  }

  /** Like {@link #condition}, but reading at least one of the names. */
  Expr conditionMentioning(Scope scope, int depth, Set<String> names) {
    for (int attempt = 0; attempt < TRIES; attempt++) {
      Expr e = condition(scope, depth);
      if (e != null && e.mentions(names)) {
        return e;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- leaves and literals

  private Expr leaf(ValueType type, Scope scope) {
    List<Variable> vars = scope.readable(type);
    double literalChance =
        switch (type) {
          case INT -> 0.25;
          case STR -> 0.15;
          case INT_LIST -> 0.05;
          default -> 0.0;
        };
    if (!vars.isEmpty() && !rng.nextBoolean(literalChance)) {
      return Expr.variable(pickVariable(vars));
    }
    return switch (type) {
      case INT -> Expr.intLiteral(smallInt());
      case STR -> strLiteral(false);
      case INT_LIST -> listLiteral();
      default -> null;
    };
  }

  /** Loop and local variables are picked more often, so fresh results get used. */
  private Variable pickVariable(List<Variable> vars) {
    int[] weights = new int[vars.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] =
          switch (vars.get(i).role()) {
            case LOOP -> 5;
            case LOCAL -> 4;
            case PARAMETER -> 3;
          };
    }
    return vars.get(Draw.weighted(rng, weights));
  }

  private int smallInt() {
    int top = Math.min(9, difficulty.maxLiteral());
    return rng.nextBoolean(0.85) ? rng.nextIntBetween(0, top) : rng.nextIntBetween(0, difficulty.maxLiteral());
  }

  private int positiveInt() {
    int top = Math.min(9, difficulty.maxLiteral());
    return rng.nextBoolean(0.85) ? rng.nextIntBetween(1, top) : rng.nextIntBetween(1, difficulty.maxLiteral());
  }

  private int multiplier() {
    return rng.nextIntBetween(2, difficulty.maxLiteral() > 9 ? 9 : 5);
  }

  private int divisor() {
    return rng.nextBoolean(0.15) ? 10 : rng.nextIntBetween(2, difficulty.maxLiteral() > 9 ? 9 : 5);
  }

  /** A character for a literal: a digit to look for in numeric text, else mostly a common letter. */
  private char literalChar(boolean numeric) {
    if (numeric) {
      return Draw.charOf(rng, DIGITS);
    }
    double r = rng.nextDouble();
    if (r < 0.8) {
      return Draw.charOf(rng, COMMON_LETTERS);
    }
    return r < 0.95 ? Draw.charOf(rng, LETTERS) : Draw.charOf(rng, DIGITS);
  }

  private Expr charLiteral(boolean numeric) {
    return Expr.literal(quote(String.valueOf(literalChar(numeric))), Shape.ofStr(1, 1));
  }

  private Expr strLiteral(boolean numeric) {
    int length = 1 + Draw.weighted(rng, 6, 3, 1);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(literalChar(numeric));
    }
    Shape shape = numeric ? Shape.ofNumericStr(length, length) : Shape.ofStr(length, length);
    return Expr.literal(quote(text.toString()), shape);
  }

  private Expr listLiteral() {
    int length = rng.nextIntBetween(1, 3);
    List<String> items = new ArrayList<>();
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (int i = 0; i < length; i++) {
      int value = rng.nextBoolean(0.8) ? smallInt() : -smallInt();
      items.add(Integer.toString(value));
      lo = Math.min(lo, value);
      hi = Math.max(hi, value);
    }
    return Expr.literal("[" + String.join(", ", items) + "]", Shape.ofIntList(length, length, lo, hi));
  }

  static String quote(String s) {
    return "'" + s + "'";
  }

  // ---------------------------------------------------------------- compound expressions

  private Expr compound(ValueType type, Scope scope, int depth) {
    Expr e =
        switch (type) {
          case INT -> intCompound(scope, depth);
          case BOOL -> boolCompound(scope, depth);
          case STR -> strCompound(scope, depth);
          case INT_LIST -> listCompound(scope, depth);
          case STR_LIST -> strListCompound(scope, depth);
          case TUPLE -> tuple(scope, depth);
        };
    return e == null || e.isConstant() ? null : e;
  }

  private Expr sub(ValueType type, Scope scope, int depth) {
    int child = depth - 1;
    if (child > 0 && rng.nextBoolean(0.3)) {
      child--;
    }
    return expression(type, scope, child);
  }

  /** A sub-expression that reads some variable, or null. */
  private Expr operand(ValueType type, Scope scope, int depth) {
    Expr e = sub(type, scope, depth);
    return e == null || e.isLiteral() ? null : e;
  }

  /**
   * A sequence operand that may hold two or more items: slicing, searching or sorting a single
   * character or a one-element list is legal but teaches nothing.
   */
  private Expr sequence(ValueType type, Scope scope, int depth) {
    Expr e = operand(type, scope, depth);
    return e == null || e.shape().maxLen() < 2 ? null : e;
  }

  /** Runs a comprehension production unless one is already being built: they do not nest. */
  private Expr unnested(Supplier<Expr> production) {
    if (comprehensions > 0) {
      return null;
    }
    comprehensions++;
    try {
      return production.get();
    } finally {
      comprehensions--;
    }
  }

  private static int on(boolean enabled, int weight) {
    return enabled ? weight : 0;
  }

  private boolean strings() {
    return difficulty.strings();
  }

  private boolean lists() {
    return difficulty.lists();
  }

  private boolean loops() {
    return difficulty.loops();
  }

  private boolean conditionals() {
    return difficulty.conditionals();
  }

  /** STR or INT_LIST, whichever is enabled; at least one must be. */
  private ValueType sequenceType() {
    if (strings() && lists()) {
      return rng.nextBoolean(0.55) ? ValueType.STR : ValueType.INT_LIST;
    }
    return strings() ? ValueType.STR : ValueType.INT_LIST;
  }

  private Expr ternary(ValueType type, Scope scope, int depth) {
    Expr c = condition(scope, depth - 1);
    Expr a = sub(type, scope, depth);
    Expr b = sub(type, scope, depth);
    if (c == null || a == null || b == null || a.text().equals(b.text()) || a.isLiteral() && b.isLiteral()) {
      return null;
    }
    String text = a.at(OR) + " if " + c.at(OR) + " else " + b.at(TERNARY);
    Expr e = Expr.compose(text, TERNARY, a.shape().join(b.shape()), a, b, c);
    return a.fresh() && b.fresh() ? e : e.aliasing();
  }

  private Binding bind(ValueType sourceType, Scope scope, int depth) {
    Expr source = sequence(sourceType, scope, depth);
    if (source == null || source.shape().minLen() == source.shape().maxLen()) {
      return null;
    }
    List<String> pool =
        switch (sourceType) {
          case STR -> Names.CHARS;
          case STR_LIST -> Names.WORDS;
          default -> Names.ELEMENTS;
        };
    String name = Names.fresh(rng, pool, scope.names());
    if (name == null) {
      return null;
    }
    Scope inner = scope.copy();
    inner.define(Variable.loop(name, source.shape().element(), source.varies()));
    return new Binding(source, name, inner);
  }

  private String forClause(Binding b) {
    return " for " + b.name() + " in " + b.source().at(OR);
  }

  /** A sequence expression, indexed safely; null when no safe index is known. */
  private Expr indexed(ValueType sequenceType, Scope scope, int depth) {
    Expr seq = sequence(sequenceType, scope, depth);
    if (seq == null || seq.text().startsWith("[")) {
      return null;
    }
    Shape element = seq.shape().element();
    if (seq.isName()) {
      List<Scope.SafeIndex> safe = scope.safeIndexes(seq.text());
      if (!safe.isEmpty() && rng.nextBoolean(0.8)) {
        Scope.SafeIndex index = rng.pick(safe);
        Expr indexVar = Expr.variable(scope.get(index.variable()));
        return Expr.compose(seq.text() + "[" + index.text() + "]", ATOM, element, seq, indexVar);
      }
    }
    if (seq.shape().nonEmpty()) {
      List<Expr> ints = new ArrayList<>();
      for (Variable v : scope.readable(ValueType.INT)) {
        if (!v.shape().isPoint()) {
          ints.add(Expr.variable(v));
        }
      }
      int form =
          Draw.weighted(
              rng, 3, 2, on(seq.shape().minLen() >= 2, 1), on(seq.isName(), 1), on(seq.isName() && !ints.isEmpty(), 2));
      Expr index =
          switch (form) {
            case 0 -> Expr.intLiteral(0);
            case 1 -> Expr.literal("-1", Shape.ofInt(-1, -1));
            case 2 -> Expr.intLiteral(1);
            case 3 -> Expr.literal("len(" + seq.text() + ") // 2", Shape.ofInt(0, 0));
            default -> {
              Expr i = rng.pick(ints);
              yield Expr.compose(
                  i.at(PRODUCT) + " % len(" + seq.text() + ")",
                  PRODUCT,
                  Shape.ofInt(0, Math.max(0, seq.shape().maxLen() - 1)),
                  i);
            }
          };
      return Expr.compose(seq.at(ATOM) + "[" + index.text() + "]", ATOM, element, seq, index);
    }
    if (seq.isName()) {
      boolean text = sequenceType == ValueType.STR;
      String empty = text ? "''" : "0";
      String end = rng.nextBoolean(0.6) ? "0" : "-1";
      Shape shape = text ? Shape.ofStr(0, 1) : element.join(Shape.ofInt(0, 0));
      return Expr.compose(
          seq.text() + "[" + end + "] if " + seq.text() + " else " + empty, TERNARY, shape, seq);
    }
    return null;
  }

  /** Slices that can never raise, with the bounds of their length. */
  private Expr slice(ValueType type, Scope scope, int depth) {
    Expr a = sequence(type, scope, depth);
    if (a == null) {
      return null;
    }
    int min = a.shape().minLen();
    int max = a.shape().maxLen();
    String receiver = a.at(ATOM);
    int k = rng.nextIntBetween(1, 3);
    switch (rng.nextInt(9)) {
      case 0:
        if (a.text().endsWith("[::-1]")) {
          return null;
        }
        return Expr.compose(receiver + "[::-1]", ATOM, a.shape(), a);
      case 1:
        return Expr.compose(receiver + "[::2]", ATOM, a.shape().withLength((min + 1) / 2, (max + 1) / 2), a);
      case 2:
        return Expr.compose(receiver + "[1:]", ATOM, a.shape().withLength(min - 1, max - 1), a);
      case 3:
        return Expr.compose(receiver + "[:-1]", ATOM, a.shape().withLength(min - 1, max - 1), a);
      case 4:
        return Expr.compose(
            receiver + "[:" + k + "]", ATOM, a.shape().withLength(Math.min(min, k), Math.min(max, k)), a);
      case 5:
        if (rng.nextBoolean(0.5)) {
          return Expr.compose(
              receiver + "[-" + k + ":]", ATOM, a.shape().withLength(Math.min(min, k), Math.min(max, k)), a);
        }
        return Expr.compose(receiver + "[" + k + ":]", ATOM, a.shape().withLength(min - k, max - k), a);
      case 6:
      case 7:
        {
          Expr bound = operand(ValueType.INT, scope, depth - 1);
          if (bound == null) {
            return null;
          }
          String text = receiver + (rng.nextBoolean(0.5) ? "[:" + bound.text() + "]" : "[" + bound.text() + ":]");
          return Expr.compose(text, ATOM, a.shape().withLength(0, max), a, bound);
        }
      default:
        {
          int from = rng.nextIntBetween(1, 2);
          int to = from + rng.nextIntBetween(1, 3);
          Shape shape = a.shape().withLength(0, Math.max(0, Math.min(max, to) - from));
          return Expr.compose(receiver + "[" + from + ":" + to + "]", ATOM, shape, a);
        }
    }
  }

  // ---------------------------------------------------------------- int

  private Expr intCompound(Scope scope, int depth) {
    boolean sequences = strings() || lists();
    return switch (Draw.weighted(
        rng,
        6, // sum or difference
        3, // product
        3, // division or remainder by a constant
        2, // guarded division
        2, // abs or negation
        2, // min or max
        on(sequences, 3), // len
        on(lists(), 2), // sum of a list
        on(lists(), 2), // max or min of a list
        on(lists(), 2), // list index
        on(sequences, 2), // count or find
        on(conditionals(), 1), // conditional expression
        1, // digit reversal
        on(loops() && sequences, 2))) { // counting comprehension
      case 0 -> sumOrDifference(scope, depth);
      case 1 -> product(scope, depth);
      case 2 -> divisionByConstant(scope, depth);
      case 3 -> guardedDivision(scope, depth);
      case 4 -> absOrNegation(scope, depth);
      case 5 -> minOrMax(scope, depth);
      case 6 -> length(scope, depth);
      case 7 -> listSum(scope, depth);
      case 8 -> listExtremum(scope, depth);
      case 9 -> indexed(ValueType.INT_LIST, scope, depth);
      case 10 -> countOrFind(scope, depth);
      case 11 -> ternary(ValueType.INT, scope, depth);
      case 12 -> digitReversal(scope, depth);
      default -> unnested(() -> countingComprehension(scope, depth));
    };
  }

  private static boolean isZero(Expr e) {
    return e.isLiteral() && e.text().equals("0");
  }

  private Expr sumOrDifference(Scope scope, int depth) {
    Expr a = sub(ValueType.INT, scope, depth);
    Expr b = rng.nextBoolean(0.4) ? Expr.intLiteral(positiveInt()) : sub(ValueType.INT, scope, depth);
    if (a == null || b == null || isZero(a) || isZero(b)) {
      return null;
    }
    if (rng.nextBoolean(0.2)) {
      Expr swap = a;
      a = b;
      b = swap;
    }
    boolean plus = rng.nextBoolean(0.55);
    if (!plus && a.text().equals(b.text()) || b.precedence() == UNARY) {
      return null;
    }
    Shape shape = plus ? a.shape().plus(b.shape()) : a.shape().minus(b.shape());
    return Expr.compose(a.at(SUM) + (plus ? " + " : " - ") + b.at(PRODUCT), SUM, shape, a, b);
  }

  private Expr product(Scope scope, int depth) {
    Expr a = operand(ValueType.INT, scope, depth);
    Expr b = rng.nextBoolean(0.7) ? Expr.intLiteral(multiplier()) : sub(ValueType.INT, scope, depth);
    if (a == null || b == null || b.isLiteral() && b.shape().within(-1, 1)) {
      return null;
    }
    Shape shape = a.shape().times(b.shape());
    if (b.isLiteral() && rng.nextBoolean(0.3)) {
      return Expr.compose(b.at(PRODUCT) + " * " + a.at(UNARY), PRODUCT, shape, a, b);
    }
    return Expr.compose(a.at(PRODUCT) + " * " + b.at(UNARY), PRODUCT, shape, a, b);
  }

  private Expr divisionByConstant(Scope scope, int depth) {
    Expr a = operand(ValueType.INT, scope, depth);
    if (a == null) {
      return null;
    }
    int k = divisor();
    if (rng.nextBoolean(0.5)) {
      return Expr.compose(a.at(PRODUCT) + " // " + k, PRODUCT, a.shape().floorDiv(k), a);
    }
    if (a.shape().within(0, k - 1)) {
      return null;
    }
    return Expr.compose(a.at(PRODUCT) + " % " + k, PRODUCT, a.shape().floorMod(k), a);
  }

  private Expr guardedDivision(Scope scope, int depth) {
    Expr a = operand(ValueType.INT, scope, depth);
    Expr b = operand(ValueType.INT, scope, depth);
    if (a == null || b == null || a.text().equals(b.text())) {
      return null;
    }
    String divisor = b.shape().lo() >= 0 ? "(" + b.at(SUM) + " + 1)" : "(abs(" + b.text() + ") + 1)";
    if (rng.nextBoolean(0.5)) {
      return Expr.compose(a.at(PRODUCT) + " // " + divisor, PRODUCT, a.shape().floorDivByGuarded(), a, b);
    }
    return Expr.compose(
        a.at(PRODUCT) + " % " + divisor, PRODUCT, a.shape().floorModByGuarded(b.shape()), a, b);
  }

  private Expr absOrNegation(Scope scope, int depth) {
    Expr a = operand(ValueType.INT, scope, depth);
    if (a == null) {
      return null;
    }
    if (rng.nextBoolean(0.8)) {
      if (a.shape().lo() >= 0) {
        return null;
      }
      return Expr.compose("abs(" + a.text() + ")", ATOM, a.shape().abs(), a);
    }
    if (a.text().startsWith("-")) {
      return null;
    }
    return Expr.compose("-" + a.at(UNARY), UNARY, a.shape().negate(), a);
  }

  private Expr minOrMax(Scope scope, int depth) {
    Expr a = sub(ValueType.INT, scope, depth);
    Expr b = rng.nextBoolean(0.4) ? Expr.intLiteral(smallInt()) : sub(ValueType.INT, scope, depth);
    if (a == null || b == null || a.text().equals(b.text())) {
      return null;
    }
    if (a.shape().hi() <= b.shape().lo() || b.shape().hi() <= a.shape().lo()) {
      return null;
    }
    boolean max = rng.nextBoolean(0.5);
    Shape shape = max ? a.shape().max(b.shape()) : a.shape().min(b.shape());
    return Expr.compose((max ? "max(" : "min(") + a.text() + ", " + b.text() + ")", ATOM, shape, a, b);
  }

  /** Whether the expression only reorders or recases its operand, so its length is the operand's. */
  private static boolean keepsLength(Expr e) {
    String t = e.text();
    return t.startsWith("sorted(") || t.startsWith("list(reversed(") || t.startsWith("''.join(sorted(")
        || t.endsWith("[::-1]") || t.endsWith("()") && e.type() == ValueType.STR;
  }

  private Expr length(Scope scope, int depth) {
    Expr a = operand(sequenceType(), scope, depth);
    if (a == null || keepsLength(a)) {
      return null;
    }
    Shape shape = Shape.ofInt(a.shape().minLen(), a.shape().maxLen());
    return Expr.compose("len(" + a.text() + ")", ATOM, shape, a);
  }

  static Shape sumShape(Shape list) {
    long lo = Math.min(list.minLen() * list.lo(), list.maxLen() * list.lo());
    long hi = Math.max(list.minLen() * list.hi(), list.maxLen() * list.hi());
    return Shape.ofInt(Math.min(lo, 0), Math.max(hi, 0));
  }

  private Expr listSum(Scope scope, int depth) {
    Expr a = sequence(ValueType.INT_LIST, scope, depth);
    if (a == null) {
      return null;
    }
    return Expr.compose("sum(" + a.text() + ")", ATOM, sumShape(a.shape()), a);
  }

  private Expr listExtremum(Scope scope, int depth) {
    Expr a = sequence(ValueType.INT_LIST, scope, depth);
    if (a == null) {
      return null;
    }
    String fn = rng.nextBoolean(0.5) ? "max" : "min";
    Shape element = a.shape().element();
    if (a.shape().nonEmpty()) {
      return Expr.compose(fn + "(" + a.text() + ")", ATOM, element, a);
    }
    Shape guarded = element.join(Shape.ofInt(0, 0));
    if (a.isName() && rng.nextBoolean(0.5)) {
      return Expr.compose(fn + "(" + a.text() + ") if " + a.text() + " else 0", TERNARY, guarded, a);
    }
    return Expr.compose(fn + "(" + a.text() + ", default=0)", ATOM, guarded, a);
  }

  /**
   * A needle to look for in text: a literal of the text's kind (digits in numeric text), or a
   * character variable such as a loop's {@code ch}.
   */
  private Expr needle(Scope scope, boolean numeric) {
    List<Variable> chars = new ArrayList<>();
    for (Variable v : scope.readable(ValueType.STR)) {
      if (v.shape().minLen() == 1 && v.shape().maxLen() == 1 && v.shape().numeric() == numeric) {
        chars.add(v);
      }
    }
    if (!chars.isEmpty() && rng.nextBoolean(0.5)) {
      return Expr.variable(rng.pick(chars));
    }
    if (rng.nextBoolean(0.15)) {
      String two = "" + literalChar(numeric) + literalChar(numeric);
      return Expr.literal(quote(two), Shape.ofStr(2, 2));
    }
    return charLiteral(numeric);
  }

  private Expr countOrFind(Scope scope, int depth) {
    if (sequenceType() == ValueType.STR) {
      Expr hay = sequence(ValueType.STR, scope, depth);
      if (hay == null) {
        return null;
      }
      Expr needle = needle(scope, hay.shape().numeric());
      int max = hay.shape().maxLen();
      if (rng.nextBoolean(0.65)) {
        return Expr.compose(
            hay.at(ATOM) + ".count(" + needle.text() + ")", ATOM, Shape.ofInt(0, max), hay, needle);
      }
      return Expr.compose(
          hay.at(ATOM) + ".find(" + needle.text() + ")", ATOM, Shape.ofInt(-1, max - 1), hay, needle);
    }
    Expr hay = sequence(ValueType.INT_LIST, scope, depth);
    Expr needle = rng.nextBoolean(0.6) ? Expr.intLiteral(smallInt()) : sub(ValueType.INT, scope, depth);
    if (hay == null || needle == null) {
      return null;
    }
    return Expr.compose(
        hay.at(ATOM) + ".count(" + needle.text() + ")", ATOM, Shape.ofInt(0, hay.shape().maxLen()), hay, needle);
  }

  private Expr digitReversal(Scope scope, int depth) {
    Expr a = operand(ValueType.INT, scope, depth);
    if (a == null || a.shape().maxAbs() < 10) {
      return null;
    }
    String digits = a.shape().lo() >= 0 ? a.text() : "abs(" + a.text() + ")";
    long top = 1;
    for (int i = 0; i < Long.toString(a.shape().maxAbs()).length(); i++) {
      top *= 10;
    }
    return Expr.compose("int(str(" + digits + ")[::-1])", ATOM, Shape.ofInt(0, top - 1), a);
  }

  private Expr countingComprehension(Scope scope, int depth) {
    boolean overList = lists() && (!strings() || rng.nextBoolean(0.5));
    Binding b = bind(overList ? ValueType.INT_LIST : ValueType.STR, scope, depth);
    if (b == null) {
      return null;
    }
    Shape source = b.source().shape();
    Set<String> bound = Set.of(b.name());
    int form = rng.nextInt(overList ? 4 : 3);
    if (form == 3 || form == 2 && !overList) {
      Expr e = expressionMentioning(ValueType.INT, b.inner(), depth - 1, bound);
      if (e == null || e.isName()) {
        return null;
      }
      Shape shape = sumShape(Shape.ofIntList(source.minLen(), source.maxLen(), e.shape().lo(), e.shape().hi()));
      return Expr.compose("sum(" + e.at(TERNARY) + forClause(b) + ")", ATOM, shape, b.source(), e.binding(b.name()));
    }
    Expr c = conditionMentioning(b.inner(), depth - 1, bound);
    if (c == null) {
      return null;
    }
    Expr cond = c.binding(b.name());
    String filter = " if " + c.at(OR);
    return switch (form) {
      case 0 -> Expr.compose(
          "sum(1" + forClause(b) + filter + ")", ATOM, Shape.ofInt(0, source.maxLen()), b.source(), cond);
      case 1 -> Expr.compose(
          "len([" + b.name() + forClause(b) + filter + "])",
          ATOM,
          Shape.ofInt(0, source.maxLen()),
          b.source(),
          cond);
      default -> Expr.compose(
          "sum(" + b.name() + forClause(b) + filter + ")",
          ATOM,
          sumShape(source.withLength(0, source.maxLen())),
          b.source(),
          cond);
    };
  }

  // ---------------------------------------------------------------- str

  private Expr strCompound(Scope scope, int depth) {
    return switch (Draw.weighted(
        rng,
        5, // concatenation
        3, // case method
        1, // strip
        2, // replace
        4, // slice
        2, // repetition
        3, // str of an int
        2, // join
        2, // index
        on(conditionals(), 1), // conditional expression
        1, // min or max
        on(loops(), 2))) { // joined comprehension
      case 0 -> concatenation(scope, depth);
      case 1 -> caseMethod(scope, depth);
      case 2 -> strip(scope, depth);
      case 3 -> replace(scope, depth);
      case 4 -> slice(ValueType.STR, scope, depth);
      case 5 -> repetition(ValueType.STR, scope, depth);
      case 6 -> strOfInt(scope, depth);
      case 7 -> join(scope, depth);
      case 8 -> indexed(ValueType.STR, scope, depth);
      case 9 -> ternary(ValueType.STR, scope, depth);
      case 10 -> strMinOrMax(scope, depth);
      default -> unnested(() -> joinedComprehension(scope, depth));
    };
  }

  private Expr concatenation(Scope scope, int depth) {
    Expr a = sub(ValueType.STR, scope, depth);
    Expr b = rng.nextBoolean(0.5) ? strLiteral(false) : sub(ValueType.STR, scope, depth);
    if (a == null || b == null || a.text().equals(b.text()) && rng.nextBoolean(0.8)) {
      return null;
    }
    if (rng.nextBoolean(0.35)) {
      Expr swap = a;
      a = b;
      b = swap;
    }
    return Expr.compose(a.at(SUM) + " + " + b.at(PRODUCT), SUM, a.shape().concat(b.shape()), a, b);
  }

  private Expr caseMethod(Scope scope, int depth) {
    Expr a = operand(ValueType.STR, scope, depth);
    if (a == null || a.shape().numeric()) {
      return null;
    }
    String method =
        switch (Draw.weighted(rng, 5, 1, 1, 1, 1)) {
          case 0 -> "upper";
          case 1 -> "capitalize";
          case 2 -> "swapcase";
          case 3 -> "title";
          default -> "lower";
        };
    if (a.text().endsWith("." + method + "()")) {
      return null;
    }
    return Expr.compose(a.at(ATOM) + "." + method + "()", ATOM, a.shape(), a);
  }

  private Expr strip(Scope scope, int depth) {
    Expr a = sequence(ValueType.STR, scope, depth);
    if (a == null) {
      return null;
    }
    String method = switch (rng.nextInt(3)) {
      case 0 -> "strip";
      case 1 -> "lstrip";
      default -> "rstrip";
    };
    String text = a.at(ATOM) + "." + method + "(" + charLiteral(a.shape().numeric()).text() + ")";
    return Expr.compose(text, ATOM, a.shape().withLength(0, a.shape().maxLen()), a);
  }

  /** The bounds of {@code s.replace(old, replacement)}. */
  static Shape replaced(Shape s, String old, String replacement) {
    int oldLength = old.length();
    int newLength = replacement.length();
    int max = newLength <= oldLength ? s.maxLen() : s.maxLen() + s.maxLen() / oldLength * (newLength - oldLength);
    int min = newLength >= oldLength ? s.minLen() : 0;
    boolean numeric = s.numeric() && replacement.chars().allMatch(Character::isDigit);
    return numeric ? Shape.ofNumericStr(min, max) : Shape.ofStr(min, max);
  }

  /** Text for {@code .replace(old, new)} with short literals, and its length change. */
  private String[] replacement(boolean numeric) {
    String old =
        rng.nextBoolean(0.2)
            ? "" + literalChar(numeric) + literalChar(numeric)
            : String.valueOf(literalChar(numeric));
    int newLength = Draw.weighted(rng, 1, 2, 1);
    StringBuilder with = new StringBuilder();
    for (int i = 0; i < newLength; i++) {
      with.append(literalChar(numeric && rng.nextBoolean(0.5)));
    }
    return new String[] {old, with.toString()};
  }

  private Expr replace(Scope scope, int depth) {
    Expr a = sequence(ValueType.STR, scope, depth);
    if (a == null) {
      return null;
    }
    String[] r = replacement(a.shape().numeric());
    if (r[0].equals(r[1])) {
      return null;
    }
    String text = a.at(ATOM) + ".replace(" + quote(r[0]) + ", " + quote(r[1]) + ")";
    return Expr.compose(text, ATOM, replaced(a.shape(), r[0], r[1]), a);
  }

  /** Old and new text for {@code .replace} on text of the given kind; null when they are equal. */
  String[] replacementFor(Shape text) {
    String[] r = replacement(text.numeric());
    return r[0].equals(r[1]) ? null : r;
  }

  private Expr repetition(ValueType type, Scope scope, int depth) {
    Expr a = operand(type, scope, depth);
    if (a == null || a.precedence() == PRODUCT) {
      return null;
    }
    int k = rng.nextIntBetween(2, 3);
    return Expr.compose(a.at(PRODUCT) + " * " + k, PRODUCT, a.shape().repeat(k), a);
  }

  private Expr strOfInt(Scope scope, int depth) {
    Expr a = operand(ValueType.INT, scope, depth);
    if (a == null) {
      return null;
    }
    return Expr.compose("str(" + a.text() + ")", ATOM, Shape.ofNumericStr(1, a.shape().printedLength()), a);
  }

  private Expr join(Scope scope, int depth) {
    Expr a = sequence(ValueType.STR, scope, depth);
    if (a == null) {
      return null;
    }
    if (rng.nextBoolean(0.5)) {
      if (a.text().startsWith("''.join(sorted(")) {
        return null;
      }
      return Expr.compose("''.join(sorted(" + a.text() + "))", ATOM, a.shape(), a);
    }
    String separator = quote(String.valueOf("-. ,".charAt(rng.nextInt(4))));
    int min = a.shape().minLen();
    int max = a.shape().maxLen();
    return Expr.compose(
        separator + ".join(" + a.text() + ")", ATOM, a.shape().withLength(2 * min - 1, 2 * max - 1), a);
  }

  private Expr strMinOrMax(Scope scope, int depth) {
    Expr a = operand(ValueType.STR, scope, depth);
    Expr b = operand(ValueType.STR, scope, depth);
    if (a == null || b == null || a.text().equals(b.text())) {
      return null;
    }
    String fn = rng.nextBoolean(0.5) ? "max(" : "min(";
    return Expr.compose(fn + a.text() + ", " + b.text() + ")", ATOM, a.shape().join(b.shape()), a, b);
  }

  private Expr joinedComprehension(Scope scope, int depth) {
    boolean overList = lists() && rng.nextBoolean(0.3);
    Binding b = bind(overList ? ValueType.INT_LIST : ValueType.STR, scope, depth);
    if (b == null) {
      return null;
    }
    Shape source = b.source().shape();
    Set<String> bound = Set.of(b.name());
    if (!overList && rng.nextBoolean(0.4)) {
      Expr c = conditionMentioning(b.inner(), depth - 1, bound);
      if (c == null) {
        return null;
      }
      String text = "''.join(" + b.name() + forClause(b) + " if " + c.at(OR) + ")";
      Shape shape = source.withLength(0, source.maxLen());
      return Expr.compose(text, ATOM, shape, b.source(), c.binding(b.name()));
    }
    Expr e = expressionMentioning(ValueType.STR, b.inner(), depth - 1, bound);
    if (e == null || e.isName()) {
      return null;
    }
    boolean dashed = overList && rng.nextBoolean(0.5);
    int max = source.maxLen() * e.shape().maxLen() + (dashed ? source.maxLen() : 0);
    String text = (dashed ? "'-'" : "''") + ".join(" + e.at(TERNARY) + forClause(b) + ")";
    int min = source.minLen() * e.shape().minLen();
    Shape shape = e.shape().numeric() ? Shape.ofNumericStr(min, max) : Shape.ofStr(min, max);
    return Expr.compose(text, ATOM, shape, b.source(), e.binding(b.name()));
  }

  // ---------------------------------------------------------------- list[int]

  private Expr listCompound(Scope scope, int depth) {
    return switch (Draw.weighted(
        rng,
        3, // sorted
        2, // reversed
        3, // slice
        3, // concatenation
        on(loops(), 4), // mapped comprehension
        on(loops(), 3), // filtered comprehension
        on(loops(), 1), // comprehension over a range
        on(loops(), 1), // comprehension over enumerate
        on(loops(), 1), // comprehension over zip
        on(loops() && strings(), 1), // comprehension over words or characters
        2, // display
        1, // repetition
        1, // list(range(n))
        on(conditionals(), 1))) { // conditional expression
      case 0 -> sorted(scope, depth);
      case 1 -> reversed(scope, depth);
      case 2 -> slice(ValueType.INT_LIST, scope, depth);
      case 3 -> listConcatenation(scope, depth);
      case 4 -> unnested(() -> mappedComprehension(scope, depth));
      case 5 -> unnested(() -> filteredComprehension(scope, depth));
      case 6 -> unnested(() -> rangeComprehension(scope, depth));
      case 7 -> unnested(() -> enumerateComprehension(scope, depth));
      case 8 -> unnested(() -> zipComprehension(scope, depth));
      case 9 -> unnested(() -> wordComprehension(scope, depth));
      case 10 -> display(scope, depth);
      case 11 -> repetition(ValueType.INT_LIST, scope, depth);
      case 12 -> listOfRange(scope, depth);
      default -> ternary(ValueType.INT_LIST, scope, depth);
    };
  }

  private Expr sorted(Scope scope, int depth) {
    Expr a = sequence(ValueType.INT_LIST, scope, depth);
    if (a == null || a.text().startsWith("sorted(")) {
      return null;
    }
    String text = rng.nextBoolean(0.7) ? "sorted(" + a.text() + ")" : "sorted(" + a.text() + ", reverse=True)";
    return Expr.compose(text, ATOM, a.shape(), a);
  }

  private Expr reversed(Scope scope, int depth) {
    Expr a = sequence(ValueType.INT_LIST, scope, depth);
    if (a == null || a.text().startsWith("list(reversed(") || a.text().endsWith("[::-1]")) {
      return null;
    }
    return Expr.compose("list(reversed(" + a.text() + "))", ATOM, a.shape(), a);
  }

  private Expr listConcatenation(Scope scope, int depth) {
    Expr a = sub(ValueType.INT_LIST, scope, depth);
    if (a == null) {
      return null;
    }
    int form = rng.nextInt(3);
    if (a.text().startsWith("[")) {
      return null;
    }
    if (form == 0) {
      Expr b = sub(ValueType.INT_LIST, scope, depth);
      if (b == null || b.text().startsWith("[") && rng.nextBoolean(0.5)) {
        return null;
      }
      return Expr.compose(a.at(SUM) + " + " + b.at(PRODUCT), SUM, a.shape().concat(b.shape()), a, b);
    }
    Expr e = sub(ValueType.INT, scope, depth);
    if (e == null) {
      return null;
    }
    Shape shape = a.shape().plusElement(e.shape());
    String item = "[" + e.text() + "]";
    if (form == 1) {
      return Expr.compose(a.at(SUM) + " + " + item, SUM, shape, a, e);
    }
    return Expr.compose(item + " + " + a.at(PRODUCT), SUM, shape, a, e);
  }

  private Expr mappedComprehension(Scope scope, int depth) {
    boolean overChars = strings() && rng.nextBoolean(0.25);
    Binding b = bind(overChars ? ValueType.STR : ValueType.INT_LIST, scope, depth);
    if (b == null) {
      return null;
    }
    Set<String> bound = Set.of(b.name());
    Expr e = expressionMentioning(ValueType.INT, b.inner(), depth - 1, bound);
    if (e == null || e.isName()) {
      return null;
    }
    Shape source = b.source().shape();
    Expr c = conditionals() && rng.nextBoolean(0.35) ? conditionMentioning(b.inner(), depth - 1, bound) : null;
    String filter = c == null ? "" : " if " + c.at(OR);
    Shape shape = Shape.ofIntList(c == null ? source.minLen() : 0, source.maxLen(), e.shape().lo(), e.shape().hi());
    String text = "[" + e.at(TERNARY) + forClause(b) + filter + "]";
    Expr body = e.binding(b.name());
    return c == null
        ? Expr.compose(text, ATOM, shape, b.source(), body)
        : Expr.compose(text, ATOM, shape, b.source(), body, c.binding(b.name()));
  }

  private Expr filteredComprehension(Scope scope, int depth) {
    Binding b = bind(ValueType.INT_LIST, scope, depth);
    if (b == null) {
      return null;
    }
    Expr c = conditionMentioning(b.inner(), depth - 1, Set.of(b.name()));
    if (c == null) {
      return null;
    }
    Shape source = b.source().shape();
    String text = "[" + b.name() + forClause(b) + " if " + c.at(OR) + "]";
    return Expr.compose(text, ATOM, source.withLength(0, source.maxLen()), b.source(), c.binding(b.name()));
  }

  /** A small range bound: a constant, or an int expression no larger than 8. */
  private Expr rangeBound(Scope scope) {
    if (rng.nextBoolean(0.4)) {
      return Expr.intLiteral(rng.nextIntBetween(2, 5));
    }
    Expr e = expression(ValueType.INT, scope, 1);
    if (e == null || e.isLiteral() || e.shape().hi() < 1 || e.shape().hi() > 8) {
      return null;
    }
    return e;
  }

  private Expr rangeComprehension(Scope scope, int depth) {
    Expr bound = rangeBound(scope);
    String name = Names.fresh(rng, Names.INDEXES, scope.names());
    if (bound == null || name == null) {
      return null;
    }
    long top = bound.shape().hi();
    Scope inner = scope.copy();
    inner.define(Variable.loop(name, Shape.ofInt(0, top - 1), bound.varies()));
    Expr e = expressionMentioning(ValueType.INT, inner, depth - 1, Set.of(name));
    if (e == null || e.isName()) {
      return null;
    }
    String text = "[" + e.at(TERNARY) + " for " + name + " in range(" + bound.text() + ")]";
    Shape shape = Shape.ofIntList((int) Math.max(0, bound.shape().lo()), (int) top, e.shape().lo(), e.shape().hi());
    return Expr.compose(text, ATOM, shape, bound, e.binding(name));
  }

  private Expr enumerateComprehension(Scope scope, int depth) {
    ValueType sourceType = strings() && rng.nextBoolean(0.3) ? ValueType.STR : ValueType.INT_LIST;
    Binding b = bind(sourceType, scope, depth);
    if (b == null) {
      return null;
    }
    String index = Names.fresh(rng, Names.INDEXES, b.inner().names());
    if (index == null) {
      return null;
    }
    Shape source = b.source().shape();
    b.inner().define(Variable.loop(index, Shape.ofInt(0, source.maxLen() - 1), b.source().varies()));
    Expr e = expressionMentioning(ValueType.INT, b.inner(), depth - 1, Set.of(index));
    if (e == null || e.isName()) {
      return null;
    }
    String text =
        "[" + e.at(TERNARY) + " for " + index + ", " + b.name() + " in enumerate(" + b.source().text() + ")]";
    Shape shape = Shape.ofIntList(source.minLen(), source.maxLen(), e.shape().lo(), e.shape().hi());
    return Expr.compose(text, ATOM, shape, b.source(), e.binding(b.name()).binding(index));
  }

  private Expr zipComprehension(Scope scope, int depth) {
    ValueType sourceType = strings() && rng.nextBoolean(0.3) ? ValueType.STR : ValueType.INT_LIST;
    Expr a = operand(sourceType, scope, depth);
    Expr b = operand(sourceType, scope, depth);
    if (a == null || b == null || a.text().equals(b.text())) {
      return null;
    }
    List<String> pair = freePair(scope);
    if (pair == null) {
      return null;
    }
    Scope inner = scope.copy();
    inner.define(Variable.loop(pair.get(0), a.shape().element(), a.varies()));
    inner.define(Variable.loop(pair.get(1), b.shape().element(), b.varies()));
    Expr e = expressionMentioning(ValueType.INT, inner, depth - 1, Set.of(pair.get(0)));
    if (e == null || !e.mentions(Set.of(pair.get(1)))) {
      return null;
    }
    String text =
        "[" + e.at(TERNARY) + " for " + pair.get(0) + ", " + pair.get(1) + " in zip(" + a.text() + ", " + b.text()
            + ")]";
    Shape shape =
        Shape.ofIntList(
            Math.min(a.shape().minLen(), b.shape().minLen()),
            Math.min(a.shape().maxLen(), b.shape().maxLen()),
            e.shape().lo(),
            e.shape().hi());
    return Expr.compose(text, ATOM, shape, a, b, e.binding(pair.get(0)).binding(pair.get(1)));
  }

  List<String> freePair(Scope scope) {
    List<List<String>> free = new ArrayList<>();
    for (List<String> pair : Names.PAIRS) {
      if (!scope.has(pair.get(0)) && !scope.has(pair.get(1))) {
        free.add(pair);
      }
    }
    return free.isEmpty() ? null : free.get(0);
  }

  private Expr wordComprehension(Scope scope, int depth) {
    Binding b = bind(ValueType.STR_LIST, scope, depth);
    if (b == null) {
      return null;
    }
    Expr e = expressionMentioning(ValueType.INT, b.inner(), depth - 1, Set.of(b.name()));
    if (e == null || e.isName()) {
      return null;
    }
    Shape source = b.source().shape();
    String text = "[" + e.at(TERNARY) + forClause(b) + "]";
    Shape shape = Shape.ofIntList(source.minLen(), source.maxLen(), e.shape().lo(), e.shape().hi());
    return Expr.compose(text, ATOM, shape, b.source(), e.binding(b.name()));
  }

  private Expr display(Scope scope, int depth) {
    int length = rng.nextIntBetween(1, 3);
    List<String> items = new ArrayList<>();
    Expr[] parts = new Expr[length];
    Shape elements = null;
    for (int i = 0; i < length; i++) {
      Expr e = sub(ValueType.INT, scope, depth);
      if (e == null || items.contains(e.at(TERNARY))) {
        return null;
      }
      parts[i] = e;
      items.add(e.at(TERNARY));
      elements = elements == null ? e.shape() : elements.join(e.shape());
    }
    Shape shape = Shape.ofIntList(length, length, elements.lo(), elements.hi());
    return Expr.compose("[" + String.join(", ", items) + "]", ATOM, shape, parts);
  }

  private Expr listOfRange(Scope scope, int depth) {
    Expr bound = operand(ValueType.INT, scope, depth);
    if (bound == null || bound.shape().hi() < 1 || bound.shape().hi() > 10) {
      return null;
    }
    long top = bound.shape().hi();
    Shape shape = Shape.ofIntList((int) Math.max(0, bound.shape().lo()), (int) top, 0, top - 1);
    return Expr.compose("list(range(" + bound.text() + "))", ATOM, shape, bound);
  }

  // ---------------------------------------------------------------- bool

  private Expr boolCompound(Scope scope, int depth) {
    boolean sequences = strings() || lists();
    return switch (Draw.weighted(
        rng,
        6, // int comparison
        2, // parity
        on(sequences, 2), // length comparison
        on(strings(), 2), // string comparison
        on(sequences, 3), // membership
        on(strings(), 2), // string predicate
        on(loops() && sequences, 2), // any or all
        on(sequences, 1), // sortedness
        1, // not
        2)) { // and, or
      case 0 -> intComparison(scope, depth);
      case 1 -> parity(scope, depth);
      case 2 -> lengthComparison(scope, depth);
      case 3 -> strComparison(scope, depth);
      case 4 -> membership(scope, depth);
      case 5 -> strPredicate(scope, depth);
      case 6 -> unnested(() -> anyOrAll(scope, depth));
      case 7 -> sortedness(scope);
      case 8 -> negation(scope, depth);
      default -> conjunction(scope, depth);
    };
  }

  /** Both sides read one and the same variable only: such a test is mostly a tautology. */
  private static boolean selfComparison(Expr a, Expr b) {
    return a.refs().size() == 1 && a.refs().equals(b.refs());
  }

  /** Whether the bounds alone decide {@code a op b}. */
  static boolean decided(Shape a, String op, Shape b) {
    return switch (op) {
      case "<" -> a.hi() < b.lo() || a.lo() >= b.hi();
      case "<=" -> a.hi() <= b.lo() || a.lo() > b.hi();
      case ">" -> b.hi() < a.lo() || b.lo() >= a.hi();
      case ">=" -> b.hi() <= a.lo() || b.lo() > a.hi();
      case "==", "!=" -> a.hi() < b.lo() || b.hi() < a.lo() || a.isPoint() && b.isPoint();
      default -> throw new IllegalArgumentException("not a comparison: " + op);
    };
  }

  private Expr intComparison(Scope scope, int depth) {
    Expr a = operand(ValueType.INT, scope, depth);
    if (a == null) {
      return null;
    }
    Expr b;
    if (rng.nextBoolean(0.5)) {
      long from = Math.max(a.shape().lo(), -20);
      long to = Math.min(a.shape().hi(), 20);
      long value = from <= to ? from + rng.nextInt((int) (to - from + 1)) : smallInt();
      b = Expr.intLiteral(value);
    } else {
      b = sub(ValueType.INT, scope, depth);
    }
    String op = rng.pick(COMPARISONS);
    if (b == null || selfComparison(a, b) || decided(a.shape(), op, b.shape())) {
      return null;
    }
    return Expr.compose(a.at(SUM) + " " + op + " " + b.at(SUM), COMPARE, Shape.ofBool(), a, b);
  }

  private Expr parity(Scope scope, int depth) {
    Expr a = operand(ValueType.INT, scope, depth);
    if (a == null) {
      return null;
    }
    int k = rng.nextBoolean(0.7) ? 2 : rng.nextIntBetween(3, 5);
    Shape remainder = a.shape().floorMod(k);
    if (remainder.isPoint() || a.shape().within(0, k - 1)) {
      return null;
    }
    long r = remainder.lo() + rng.nextInt((int) (remainder.hi() - remainder.lo() + 1));
    String op = rng.nextBoolean(0.75) ? " == " : " != ";
    return Expr.compose(a.at(PRODUCT) + " % " + k + op + r, COMPARE, Shape.ofBool(), a);
  }

  private Expr lengthComparison(Scope scope, int depth) {
    Expr a = operand(sequenceType(), scope, depth);
    if (a == null || a.shape().minLen() == a.shape().maxLen()) {
      return null;
    }
    Shape length = Shape.ofInt(a.shape().minLen(), a.shape().maxLen());
    long k = rng.nextIntBetween(a.shape().minLen(), Math.min(a.shape().maxLen(), a.shape().minLen() + 6));
    String op = rng.pick(COMPARISONS);
    if (decided(length, op, Shape.ofInt(k, k))) {
      return null;
    }
    return Expr.compose("len(" + a.text() + ") " + op + " " + k, COMPARE, Shape.ofBool(), a);
  }

  private Expr strComparison(Scope scope, int depth) {
    Expr a = operand(ValueType.STR, scope, depth);
    if (a == null) {
      return null;
    }
    if (rng.nextBoolean(0.25)) {
      if (a.shape().maxLen() < 2) {
        return null;
      }
      return Expr.compose(a.at(SUM) + " == " + a.at(ATOM) + "[::-1]", COMPARE, Shape.ofBool(), a);
    }
    Expr b = rng.nextBoolean(0.4) ? strLiteral(a.shape().numeric()) : sub(ValueType.STR, scope, depth);
    if (b == null || selfComparison(a, b)) {
      return null;
    }
    String op = switch (rng.nextInt(4)) {
      case 0, 1 -> " == ";
      case 2 -> " != ";
      default -> " < ";
    };
    Shape lengthA = Shape.ofInt(a.shape().minLen(), a.shape().maxLen());
    Shape lengthB = Shape.ofInt(b.shape().minLen(), b.shape().maxLen());
    if (!op.equals(" < ") && decided(lengthA, "==", lengthB)) {
      return null;
    }
    return Expr.compose(a.at(SUM) + op + b.at(SUM), COMPARE, Shape.ofBool(), a, b);
  }

  private Expr membership(Scope scope, int depth) {
    String op = rng.nextBoolean(0.75) ? " in " : " not in ";
    if (sequenceType() == ValueType.STR) {
      Expr needle;
      Expr hay;
      Expr chars = needle(scope, rng.nextBoolean(0.2));
      if (!chars.isLiteral() && rng.nextBoolean(0.35)) {
        needle = chars;
        String set = chars.shape().numeric() ? "13579" : rng.nextBoolean(0.6) ? "aeiou" : "abc";
        hay = Expr.literal(quote(set), Shape.ofStr(set.length(), set.length()));
      } else {
        hay = sequence(ValueType.STR, scope, depth);
        needle = hay == null ? null : needle(scope, hay.shape().numeric());
      }
      if (hay == null || selfComparison(needle, hay)) {
        return null;
      }
      return Expr.compose(needle.at(SUM) + op + hay.at(SUM), COMPARE, Shape.ofBool(), needle, hay);
    }
    Expr hay = sequence(ValueType.INT_LIST, scope, depth);
    Expr value = rng.nextBoolean(0.5) ? Expr.intLiteral(smallInt()) : sub(ValueType.INT, scope, depth);
    if (hay == null || value == null || selfComparison(value, hay)) {
      return null;
    }
    if (value.shape().hi() < hay.shape().lo() || hay.shape().hi() < value.shape().lo()) {
      return null;
    }
    return Expr.compose(value.at(SUM) + op + hay.at(SUM), COMPARE, Shape.ofBool(), value, hay);
  }

  private Expr strPredicate(Scope scope, int depth) {
    Expr a = operand(ValueType.STR, scope, depth);
    if (a == null) {
      return null;
    }
    boolean word = a.shape().maxLen() >= 2;
    boolean numeric = a.shape().numeric();
    String call = switch (Draw.weighted(rng, on(word, 3), on(word, 3), 1, on(!numeric, 1))) {
      case 0 -> ".startswith(" + charLiteral(numeric).text() + ")";
      case 1 -> ".endswith(" + charLiteral(numeric).text() + ")";
      case 2 -> ".isdigit()";
      default -> ".isalpha()";
    };
    return Expr.compose(a.at(ATOM) + call, ATOM, Shape.ofBool(), a);
  }

  private Expr anyOrAll(Scope scope, int depth) {
    ValueType sourceType = lists() && (!strings() || rng.nextBoolean(0.5)) ? ValueType.INT_LIST : ValueType.STR;
    Binding b = bind(sourceType, scope, depth);
    if (b == null) {
      return null;
    }
    Expr c = conditionMentioning(b.inner(), depth - 1, Set.of(b.name()));
    if (c == null) {
      return null;
    }
    String fn = rng.nextBoolean(0.5) ? "any(" : "all(";
    return Expr.compose(fn + c.at(TERNARY) + forClause(b) + ")", ATOM, Shape.ofBool(), b.source(), c.binding(b.name()));
  }

  private Expr sortedness(Scope scope) {
    ValueType type = sequenceType();
    List<Variable> vars = scope.readable(type);
    if (vars.isEmpty()) {
      return null;
    }
    Expr a = Expr.variable(rng.pick(vars));
    String sorted = type == ValueType.STR ? "''.join(sorted(" + a.text() + "))" : "sorted(" + a.text() + ")";
    return Expr.compose(a.text() + " == " + sorted, COMPARE, Shape.ofBool(), a);
  }

  private Expr negation(Scope scope, int depth) {
    Expr a = sub(ValueType.BOOL, scope, depth);
    if (a == null || a.precedence() <= NOT || a.precedence() == COMPARE) {
      return null;
    }
    return Expr.compose("not " + a.at(NOT), NOT, Shape.ofBool(), a);
  }

  private Expr conjunction(Scope scope, int depth) {
    Expr a = sub(ValueType.BOOL, scope, depth);
    Expr b = sub(ValueType.BOOL, scope, depth);
    if (a == null || b == null || a.text().equals(b.text()) || a.isConstant() || b.isConstant()) {
      return null;
    }
    if (rng.nextBoolean(0.5)) {
      return Expr.compose(a.at(AND) + " and " + b.at(AND + 1), AND, Shape.ofBool(), a, b);
    }
    return Expr.compose(a.at(OR) + " or " + b.at(OR + 1), OR, Shape.ofBool(), a, b);
  }

  // ---------------------------------------------------------------- list[str] and tuples

  private Expr strListCompound(Scope scope, int depth) {
    if (!strings()) {
      return null;
    }
    switch (Draw.weighted(rng, 3, 2, 1, on(loops(), 2))) {
      case 0:
        {
          Expr a = sequence(ValueType.STR, scope, depth);
          if (a == null) {
            return null;
          }
          int max = a.shape().maxLen();
          return Expr.compose(
              a.at(ATOM) + ".split(" + charLiteral(a.shape().numeric()).text() + ")",
              ATOM,
              Shape.ofStrList(1, max + 1, max),
              a);
        }
      case 1:
        {
          Expr a = sequence(ValueType.STR, scope, depth);
          if (a == null) {
            return null;
          }
          String fn = rng.nextBoolean(0.5) ? "list(" : "sorted(";
          Shape shape = Shape.ofStrList(a.shape().minLen(), a.shape().maxLen(), 1);
          return Expr.compose(fn + a.text() + ")", ATOM, shape, a);
        }
      case 2:
        {
          Expr a = sub(ValueType.STR, scope, depth);
          Expr b = sub(ValueType.STR, scope, depth);
          if (a == null || b == null || a.text().equals(b.text())) {
            return null;
          }
          Shape shape = Shape.ofStrList(2, 2, Math.max(a.shape().maxLen(), b.shape().maxLen()));
          return Expr.compose("[" + a.at(TERNARY) + ", " + b.at(TERNARY) + "]", ATOM, shape, a, b);
        }
      default:
        return unnested(() -> strListComprehension(scope, depth));
    }
  }

  private Expr strListComprehension(Scope scope, int depth) {
    Binding b = bind(rng.nextBoolean(0.6) ? ValueType.STR : ValueType.STR_LIST, scope, depth);
    if (b == null) {
      return null;
    }
    Shape source = b.source().shape();
    Set<String> bound = Set.of(b.name());
    if (rng.nextBoolean(0.4)) {
      Expr c = conditionMentioning(b.inner(), depth - 1, bound);
      if (c == null) {
        return null;
      }
      String text = "[" + b.name() + forClause(b) + " if " + c.at(OR) + "]";
      Shape shape = Shape.ofStrList(0, source.maxLen(), source.element().maxLen());
      return Expr.compose(text, ATOM, shape, b.source(), c.binding(b.name()));
    }
    Expr e = expressionMentioning(ValueType.STR, b.inner(), depth - 1, bound);
    if (e == null || e.isName()) {
      return null;
    }
    String text = "[" + e.at(TERNARY) + forClause(b) + "]";
    Shape shape = Shape.ofStrList(source.minLen(), source.maxLen(), e.shape().maxLen());
    return Expr.compose(text, ATOM, shape, b.source(), e.binding(b.name()));
  }

  private Expr tuple(Scope scope, int depth) {
    List<ValueType> types = new ArrayList<>(List.of(ValueType.INT, ValueType.BOOL));
    if (strings()) {
      types.add(ValueType.STR);
    }
    if (lists()) {
      types.add(ValueType.INT_LIST);
    }
    Expr a = sub(rng.pick(types), scope, depth + 1);
    Expr b = sub(rng.pick(types), scope, depth + 1);
    if (a == null || b == null || a.isLiteral() || b.isLiteral() || a.text().equals(b.text())) {
      return null;
    }
    return Expr.compose(a.at(OR) + ", " + b.at(OR), Expr.TUPLE, Shape.ofTuple(), a, b);
  }
}
