package dev.autodidact.core.world;

import dev.autodidact.core.random.SeedStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Short, readable variable names by role and type; {@code f} is never one of them. */
final class Names {
  static final List<String> INDEXES = List.of("i", "j", "k");
  static final List<String> CHARS = List.of("ch", "c");
  static final List<String> ELEMENTS = List.of("v", "e", "num");
  static final List<String> WORDS = List.of("w", "part");
  static final List<List<String>> PAIRS =
      List.of(List.of("a", "b"), List.of("p", "q"), List.of("g", "h"));

  private Names() {}

  static List<String> parameters(ValueType type) {
    return switch (type) {
      case INT -> List.of("x", "y", "n");
      case STR -> List.of("s", "t", "w");
      case INT_LIST -> List.of("xs", "ys", "zs");
      default -> throw new IllegalArgumentException("no parameters of type " + type);
    };
  }

  static List<String> locals(ValueType type) {
    return switch (type) {
      case INT -> List.of("a", "b", "c", "m", "d", "q");
      case STR -> List.of("u", "r", "p", "word", "z");
      case INT_LIST -> List.of("vals", "out", "nums", "res", "ws");
      case BOOL -> List.of("ok", "flag", "big", "done");
      default -> throw new IllegalArgumentException("no locals of type " + type);
    };
  }

  static List<String> accumulators(ValueType type) {
    return switch (type) {
      case INT -> List.of("acc", "total", "count", "best", "res");
      case STR -> List.of("res", "out", "acc", "word");
      case INT_LIST -> List.of("out", "res", "acc", "vals");
      case BOOL -> List.of("found", "seen", "ok");
      default -> throw new IllegalArgumentException("no accumulators of type " + type);
    };
  }

  /** An unused name of the pool, usually its first; null when all are taken. */
  static String fresh(SeedStream rng, List<String> pool, Set<String> taken) {
    List<String> free = new ArrayList<>();
    for (String name : pool) {
      if (!taken.contains(name)) {
        free.add(name);
      }
    }
    if (free.isEmpty()) {
      return null;
    }
    return free.get(free.size() > 1 && rng.nextBoolean(0.3) ? 1 : 0);
  }
}
