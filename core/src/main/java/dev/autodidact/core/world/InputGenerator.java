package dev.autodidact.core.world;

import dev.autodidact.core.random.SeedStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Draws argument lists for a function's parameters, as Python source in {@code repr} style.
 *
 * <p>Every value lies inside its parameter's {@link Shape}, which is what the program's safety
 * was proved against. Integers are mostly small; strings are mostly made of the letters the
 * grammar's literals use, so that tests such as {@code 'a' in s} go both ways.
 */
final class InputGenerator {
  static final int MAX_STRING_LENGTH = 8;
  static final int MAX_LIST_LENGTH = 6;
  private static final String OTHER_LETTERS = "fghijklmnopqrstuvwxyz";
  private static final String DIGITS = "0123456789";
  private static final int SMALL = 9;

  private InputGenerator() {}

  /** How many distinct argument lists exist, saturating at {@link Long#MAX_VALUE}. */
  static long space(List<Parameter> parameters) {
    long total = 1;
    for (Parameter p : parameters) {
      long values =
          p.shape().type() == ValueType.INT ? p.shape().hi() - p.shape().lo() + 1 : Long.MAX_VALUE;
      total = values > Long.MAX_VALUE / total ? Long.MAX_VALUE : total * values;
    }
    return total;
  }

  /** {@code count} distinct argument lists, or null when the draws kept repeating. */
  static List<String> distinct(SeedStream rng, List<Parameter> parameters, int count) {
    Set<String> inputs = new LinkedHashSet<>();
    int attempts = 50 * count + 100;
    for (int i = 0; i < attempts && inputs.size() < count; i++) {
      inputs.add(argumentList(rng, parameters));
    }
    return inputs.size() < count ? null : new ArrayList<>(inputs);
  }

  static String argumentList(SeedStream rng, List<Parameter> parameters) {
    List<String> values = new ArrayList<>();
    for (Parameter p : parameters) {
      values.add(value(rng, p.shape()));
    }
    return String.join(", ", values);
  }

  private static String value(SeedStream rng, Shape shape) {
    return switch (shape.type()) {
      case INT -> Long.toString(smallBiased(rng, shape.lo(), shape.hi()));
      case STR -> "'" + string(rng, rng.nextIntBetween(shape.minLen(), shape.maxLen())) + "'";
      case INT_LIST -> {
        int length = rng.nextIntBetween(shape.minLen(), shape.maxLen());
        List<String> items = new ArrayList<>();
        for (int i = 0; i < length; i++) {
          items.add(Long.toString(smallBiased(rng, shape.lo(), shape.hi())));
        }
        yield "[" + String.join(", ", items) + "]";
      }
      default -> throw new IllegalArgumentException("no inputs of type " + shape.type());
    };
  }

  /** Uniform in [lo, hi], but mostly in [-9, 9] when the range is wider. */
  private static long smallBiased(SeedStream rng, long lo, long hi) {
    long from = lo;
    long to = hi;
    if (hi - lo > 2 * SMALL && rng.nextBoolean(0.75)) {
      from = Math.max(lo, -SMALL);
      to = Math.min(hi, SMALL);
    }
    return from + rng.nextInt((int) (to - from + 1));
  }

  private static String string(SeedStream rng, int length) {
    boolean digitsOnly = length > 0 && rng.nextBoolean(0.08);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      if (digitsOnly) {
        text.append(Draw.charOf(rng, DIGITS));
        continue;
      }
      double r = rng.nextDouble();
      String alphabet = r < 0.7 ? ExpressionGrammar.COMMON_LETTERS : r < 0.96 ? OTHER_LETTERS : DIGITS;
      text.append(Draw.charOf(rng, alphabet));
    }
    return text.toString();
  }
}
