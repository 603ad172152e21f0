package dev.autodidact.core.world;

/**
 * What the generator knows about a value before running anything: its type and bounds.
 *
 * <p>For INT and BOOL, [lo, hi] bounds the value (a BOOL as 0 or 1). For STR and the lists,
 * [minLen, maxLen] bounds the length; for INT_LIST, [lo, hi] also bounds every element, and
 * for STR_LIST, hi bounds every element's length. For STR, lo is 1 when the text is numeric
 * (digits and punctuation but no letters, as {@code str(n)} makes) and 0 otherwise, so that the
 * grammar looks for digits rather than letters in it. The bounds are sound over-approximations,
 * which is what lets the grammar make every operation safe by construction: an index is only
 * written when the sequence is known to be long enough, and an arithmetic operator only when
 * its result stays within {@link #INT_LIMIT}.
 */
record Shape(ValueType type, long lo, long hi, int minLen, int maxLen) {
  /** Integers stay well inside what a small model can read and Python prints exactly. */
  static final long INT_LIMIT = 1_000_000L;

  static final int LENGTH_LIMIT = 48;

  static Shape ofInt(long lo, long hi) {
    return new Shape(ValueType.INT, lo, hi, 0, 0);
  }

  static Shape ofBool() {
    return new Shape(ValueType.BOOL, 0, 1, 0, 0);
  }

  static Shape ofBool(boolean value) {
    int v = value ? 1 : 0;
    return new Shape(ValueType.BOOL, v, v, 0, 0);
  }

  static Shape ofStr(int minLen, int maxLen) {
    return new Shape(ValueType.STR, 0, 0, minLen, maxLen);
  }

  static Shape ofNumericStr(int minLen, int maxLen) {
    return new Shape(ValueType.STR, 1, 0, minLen, maxLen);
  }

  static Shape ofIntList(int minLen, int maxLen, long lo, long hi) {
    return new Shape(ValueType.INT_LIST, lo, hi, minLen, maxLen);
  }

  static Shape ofStrList(int minLen, int maxLen, int elementMaxLen) {
    return new Shape(ValueType.STR_LIST, 0, elementMaxLen, minLen, maxLen);
  }

  static Shape ofTuple() {
    return new Shape(ValueType.TUPLE, 0, 0, 0, 0);
  }

  /** Bounds that hold for a value having either shape. */
  Shape join(Shape other) {
    if (other.type != type) {
      throw new IllegalArgumentException("cannot join " + type + " with " + other.type);
    }
    return new Shape(
        type,
        Math.min(lo, other.lo),
        Math.max(hi, other.hi),
        Math.min(minLen, other.minLen),
        Math.max(maxLen, other.maxLen));
  }

  /** Whether only one value fits: such an expression is a constant computed the long way. */
  boolean isPoint() {
    return switch (type) {
      case INT, BOOL -> lo == hi;
      case STR, INT_LIST, STR_LIST -> maxLen == 0;
      case TUPLE -> false;
    };
  }

  boolean withinLimits() {
    return Math.abs(lo) <= INT_LIMIT && Math.abs(hi) <= INT_LIMIT && maxLen <= LENGTH_LIMIT;
  }

  /** For STR: whether the text holds no letters, only digits and punctuation. */
  boolean numeric() {
    return type == ValueType.STR && lo == 1;
  }

  boolean nonEmpty() {
    return minLen >= 1;
  }

  long maxAbs() {
    return Math.max(Math.abs(lo), Math.abs(hi));
  }

  /** The shape of one element of a sequence. */
  Shape element() {
    return switch (type) {
      case STR -> new Shape(ValueType.STR, lo, 0, 1, 1);
      case INT_LIST -> ofInt(lo, hi);
      case STR_LIST -> ofStr(0, (int) hi);
      default -> throw new IllegalStateException(type + " has no elements");
    };
  }

  Shape withLength(int newMinLen, int newMaxLen) {
    return new Shape(type, lo, hi, Math.max(0, newMinLen), Math.max(0, newMaxLen));
  }

  /** A list shape with one more element of the given shape. */
  Shape plusElement(Shape element) {
    long newLo = maxLen == 0 ? element.lo : Math.min(lo, element.lo);
    long newHi = maxLen == 0 ? element.hi : Math.max(hi, element.hi);
    return new Shape(type, newLo, newHi, minLen + 1, maxLen + 1);
  }

  /** {@code a + b} for two sequences of the same type. */
  Shape concat(Shape other) {
    long newLo = maxLen == 0 ? other.lo : other.maxLen == 0 ? lo : Math.min(lo, other.lo);
    long newHi = maxLen == 0 ? other.hi : other.maxLen == 0 ? hi : Math.max(hi, other.hi);
    return new Shape(type, newLo, newHi, minLen + other.minLen, maxLen + other.maxLen);
  }

  /** {@code a * k} for a sequence and a positive constant. */
  Shape repeat(int k) {
    return withLength(minLen * k, maxLen * k);
  }

  Shape plus(Shape other) {
    return ofInt(lo + other.lo, hi + other.hi);
  }

  Shape minus(Shape other) {
    return ofInt(lo - other.hi, hi - other.lo);
  }

  Shape times(Shape other) {
    long a = lo * other.lo;
    long b = lo * other.hi;
    long c = hi * other.lo;
    long d = hi * other.hi;
    return ofInt(Math.min(Math.min(a, b), Math.min(c, d)), Math.max(Math.max(a, b), Math.max(c, d)));
  }

  /** {@code a // k} for a positive constant k. */
  Shape floorDiv(long k) {
    return ofInt(Math.floorDiv(lo, k), Math.floorDiv(hi, k));
  }

  /** {@code a % k} for a positive constant k. */
  Shape floorMod(long k) {
    if (hi - lo < k && Math.floorMod(lo, k) <= Math.floorMod(hi, k)) {
      return ofInt(Math.floorMod(lo, k), Math.floorMod(hi, k));
    }
    return ofInt(0, k - 1);
  }

  /** {@code a // (abs(b) + 1)}: the divisor is at least 1, so the result lies between a and 0. */
  Shape floorDivByGuarded() {
    return ofInt(Math.min(lo, 0), Math.max(hi, 0));
  }

  /** {@code a % (abs(b) + 1)}: in [0, abs(b)], and at most a when a is not negative. */
  Shape floorModByGuarded(Shape divisorOperand) {
    long top = divisorOperand.maxAbs();
    return ofInt(0, lo >= 0 ? Math.min(hi, top) : top);
  }

  Shape abs() {
    if (lo >= 0) {
      return this;
    }
    if (hi <= 0) {
      return ofInt(-hi, -lo);
    }
    return ofInt(0, Math.max(-lo, hi));
  }

  Shape negate() {
    return ofInt(-hi, -lo);
  }

  Shape min(Shape other) {
    return ofInt(Math.min(lo, other.lo), Math.min(hi, other.hi));
  }

  Shape max(Shape other) {
    return ofInt(Math.max(lo, other.lo), Math.max(hi, other.hi));
  }

  /** Whether every value of this int shape lies in [from, to]. */
  boolean within(long from, long to) {
    return lo >= from && hi <= to;
  }

  /** Decimal digits of the largest magnitude, plus one for a possible minus sign. */
  int printedLength() {
    return Long.toString(maxAbs()).length() + (lo < 0 ? 1 : 0);
  }
}
