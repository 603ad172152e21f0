package dev.autodidact.core.reward;

import dev.autodidact.core.random.SeedStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Which unsolved tasks of one step get an external solution (METHOD.md, step 5).
 *
 * <p>All of the step's unsolved tasks join the sliding buffer first, then each is scored
 * against it. Under {@link LimitBreakConfig.Selection#UTILITY} the tasks are taken in
 * descending z(x) while z(x) &gt; tau and the budget allows; under {@code RANDOM} each task is
 * taken with a fixed probability while the budget allows (the ablation at equal budget).
 */
public final class LimitBreaking {
  private LimitBreaking() {}

  /** The filter's decision for one unsolved task. */
  public record Decision(int candidate, double utility, boolean selected) {}

  /** The decisions, in candidate order, and the buffer after this step. */
  public record Result(List<Decision> decisions, List<Utility.Features> buffer) {
    public long selectedCount() {
      return decisions.stream().filter(Decision::selected).count();
    }
  }

  /**
   * @param candidates this step's unsolved tasks, in a fixed order
   * @param buffer recent unsolved tasks before this step, oldest first
   * @param used external solutions used so far in the run
   * @param validTasks valid tasks generated so far in the run, this step's included
   * @param randomStream the stream for candidate i in the random ablation
   */
  public static Result decide(
      List<Utility.Features> candidates,
      List<Utility.Features> buffer,
      long used,
      long validTasks,
      LimitBreakConfig config,
      IntFunction<SeedStream> randomStream) {
    List<Utility.Features> updated = new ArrayList<>(buffer);
    updated.addAll(candidates);
    if (updated.size() > config.bufferSize()) {
      updated = new ArrayList<>(updated.subList(updated.size() - config.bufferSize(), updated.size()));
    }
    double[] utilities = new double[candidates.size()];
    for (int i = 0; i < candidates.size(); i++) {
      utilities[i] = Utility.score(candidates.get(i), updated, config.gamma());
    }
    boolean[] selected = new boolean[candidates.size()];
    if (config.enabled()) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        order.add(i);
      }
      if (config.selection() == LimitBreakConfig.Selection.UTILITY) {
        order.sort(Comparator.<Integer>comparingDouble(i -> -utilities[i]).thenComparing(i -> i));
      }
      long usedNow = used;
      for (int i : order) {
        boolean wanted = config.selection() == LimitBreakConfig.Selection.UTILITY
            ? utilities[i] > config.tau()
            : randomStream.apply(i).nextBoolean(config.randomProbability());
        if (wanted && ExternalDataBudget.allowsOneMore(usedNow, validTasks, config.budgetFraction())) {
          selected[i] = true;
          usedNow++;
        }
      }
    }
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      decisions.add(new Decision(i, utilities[i], selected[i]));
    }
    return new Result(List.copyOf(decisions), List.copyOf(updated));
  }
}
