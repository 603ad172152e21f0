package dev.autodidact.core.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The bounds are what makes generated programs safe, so they must hold for every value. */
class ShapeTest {

  private static Shape range(int a, int b) {
    return Shape.ofInt(Math.min(a, b), Math.max(a, b));
  }

  /** A value inside the shape, picked by a fraction in [0, 1000]. */
  private static long inside(Shape s, int permille) {
    return s.lo() + (s.hi() - s.lo()) * permille / 1000;
  }

  private static void assertWithin(long value, Shape bounds) {
    assertThat(value).isBetween(bounds.lo(), bounds.hi());
  }

  @Property(tries = 2000)
  void arithmeticStaysWithinItsBounds(
      @ForAll @IntRange(min = -200, max = 200) int a1,
      @ForAll @IntRange(min = -200, max = 200) int a2,
      @ForAll @IntRange(min = -200, max = 200) int b1,
      @ForAll @IntRange(min = -200, max = 200) int b2,
      @ForAll @IntRange(min = 0, max = 1000) int pa,
      @ForAll @IntRange(min = 0, max = 1000) int pb,
      @ForAll @IntRange(min = 2, max = 11) int k) {
    Shape a = range(a1, a2);
    Shape b = range(b1, b2);
    long x = inside(a, pa);
    long y = inside(b, pb);
    assertWithin(x + y, a.plus(b));
    assertWithin(x - y, a.minus(b));
    assertWithin(x * y, a.times(b));
    assertWithin(Math.floorDiv(x, k), a.floorDiv(k));
    assertWithin(Math.floorMod(x, k), a.floorMod(k));
    assertWithin(Math.floorDiv(x, Math.abs(y) + 1), a.floorDivByGuarded());
    assertWithin(Math.floorMod(x, Math.abs(y) + 1), a.floorModByGuarded(b));
    assertWithin(Math.abs(x), a.abs());
    assertWithin(-x, a.negate());
    assertWithin(Math.min(x, y), a.min(b));
    assertWithin(Math.max(x, y), a.max(b));
    assertThat(Long.toString(x).length()).isLessThanOrEqualTo(a.printedLength());
  }

  @Property(tries = 2000)
  void aDecidedComparisonHasOneOutcome(
      @ForAll @IntRange(min = -20, max = 20) int a1,
      @ForAll @IntRange(min = -20, max = 20) int a2,
      @ForAll @IntRange(min = -20, max = 20) int b1,
      @ForAll @IntRange(min = -20, max = 20) int b2) {
    Shape a = range(a1, a2);
    Shape b = range(b1, b2);
    for (String op : List.of("<", "<=", ">", ">=", "==", "!=")) {
      if (!ExpressionGrammar.decided(a, op, b)) {
        continue;
      }
      boolean first = compare(a.lo(), op, b.lo());
      for (long x = a.lo(); x <= a.hi(); x++) {
        for (long y = b.lo(); y <= b.hi(); y++) {
          assertThat(compare(x, op, y)).as("%s %s %s", a, op, b).isEqualTo(first);
        }
      }
    }
  }

  private static boolean compare(long x, String op, long y) {
    return switch (op) {
      case "<" -> x < y;
      case "<=" -> x <= y;
      case ">" -> x > y;
      case ">=" -> x >= y;
      case "==" -> x == y;
      default -> x != y;
    };
  }

  @Property(tries = 1000)
  void sumsOfListsStayWithinTheirBounds(
      @ForAll @IntRange(min = 0, max = 6) int minLen,
      @ForAll @IntRange(min = 0, max = 6) int extra,
      @ForAll @IntRange(min = -20, max = 20) int e1,
      @ForAll @IntRange(min = -20, max = 20) int e2,
      @ForAll @IntRange(min = 0, max = 1000) int pick) {
    Shape list = Shape.ofIntList(minLen, minLen + extra, Math.min(e1, e2), Math.max(e1, e2));
    Shape sum = ExpressionGrammar.sumShape(list);
    int length = minLen + extra * pick / 1000;
    assertWithin((long) length * list.lo(), sum);
    assertWithin((long) length * list.hi(), sum);
  }

  @Test
  void joinsCoverBothSidesAndNumericTextStaysNumericOnlyWithDigits() {
    Shape joined = Shape.ofStr(2, 3).join(Shape.ofNumericStr(0, 5));
    assertThat(joined.minLen()).isZero();
    assertThat(joined.maxLen()).isEqualTo(5);
    assertThat(joined.numeric()).isFalse();
    Shape digits = Shape.ofNumericStr(1, 3);
    assertThat(digits.concat(Shape.ofNumericStr(1, 1)).numeric()).isTrue();
    assertThat(digits.concat(Shape.ofStr(1, 1)).numeric()).isFalse();
    assertThat(ExpressionGrammar.replaced(digits, "1", "7").numeric()).isTrue();
    assertThat(ExpressionGrammar.replaced(digits, "1", "ab").numeric()).isFalse();
    assertThat(ExpressionGrammar.replaced(digits, "1", "ab").maxLen()).isEqualTo(6);
  }
}
