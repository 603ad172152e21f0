package dev.autodidact.cli;

import java.util.List;

/**
 * One design's pass over a list of check programs in {@code bench sandbox}.
 *
 * @param passed  per check, in order: did it run to its end
 * @param seconds the time the design took for all of them (what counts is design specific)
 */
record DesignRun(List<Boolean> passed, double seconds) {

  DesignRun {
    passed = List.copyOf(passed);
  }

  double checksPerSecond() {
    return passed.size() / seconds;
  }

  long passes() {
    return passed.stream().filter(Boolean::booleanValue).count();
  }
}
