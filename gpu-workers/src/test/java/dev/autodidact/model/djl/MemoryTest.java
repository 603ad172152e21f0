package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
import dev.autodidact.model.LossConfig;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.PolicySample;
import dev.autodidact.model.SampleRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryTest {
  private static final int WARM_UP = 10;
  private static final int ROUNDS = 60;

  @Test
  void repeatedCallsLeaveNoArraysBehind() {
    try (DjlPolicy policy = TinyPolicies.create(9)) {
      int arraysAtStart = policy.liveArrays();
      for (int round = 0; round < WARM_UP; round++) {
        exercise(policy, round);
        assertThat(policy.liveArrays()).as("arrays after round %d", round).isEqualTo(arraysAtStart);
      }
    }
  }

  /**
   * Needs the pre-touched fixed heap the module's build configures (otherwise the Java heap's
   * own growth hides native memory).
   */
  @Test
  void residentMemoryStaysFlat() throws IOException {
    assumeThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
        .as("JVM runs with a pre-touched heap")
        .contains("-XX:+AlwaysPreTouch");
    try (DjlPolicy policy = TinyPolicies.create(9)) {
      long rssAfterWarmUp = 0;
      for (int round = 0; round < WARM_UP + ROUNDS; round++) {
        if (round == WARM_UP) {
          rssAfterWarmUp = residentKiB();
        }
        exercise(policy, round);
      }
      long growthKiB = residentKiB() - rssAfterWarmUp;
      assertThat(growthKiB).as("resident memory growth over %d rounds, KiB", ROUNDS)
          .isLessThan(32 * 1024);
    }
  }

  private static void exercise(DjlPolicy policy, int round) {
    List<SampleRequest> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      requests.add(new SampleRequest(TinyPolicies.randomTokens(round * 10L + i, 3 + 5 * i), 12, 1f,
          SeedStream.of(9, round, Phase.SOLVE, i)));
    }
    List<Completion> completions = policy.sample(requests);
    List<PolicySample> samples = new ArrayList<>();
    for (int i = 0; i < completions.size(); i++) {
      Completion c = completions.get(i);
      samples.add(new PolicySample(requests.get(i).prompt(), c.tokens(), c.logProbs(), i - 2.5f));
    }
    OptimizerConfig opt = OptimizerConfig.defaults();
    policy.reinforceStep(samples, LossConfig.defaults(), opt);
    policy.supervisedStep(TrainingTest.corpus(round, 3), opt);
    policy.logProbs(List.of(requests.get(0).prompt()), List.of(completions.get(0).tokens()));
    if (round % 10 == 0) {
      policy.checkpoint();
    }
  }

  private static long residentKiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
