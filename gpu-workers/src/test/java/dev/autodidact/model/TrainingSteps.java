package dev.autodidact.model;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small self-contained RL loop on the public model API, run as its own JVM by
 * {@link ResumeAcrossJvmsIT}: each step samples rollouts from the policy with seeded streams,
 * rewards completions by how many of a target token they hold, and takes one REINFORCE++
 * step. Every draw is keyed by (seed, step, phase, index), so steps 11-20 are the same
 * whether or not the JVM stopped after step 10.
 *
 * <p>Usage: {@code TrainingSteps <checkpoint in | "fresh"> <first step> <last step> <checkpoint out>}
 */
public final class TrainingSteps {
  static final long SEED = 31;
  static final int THREADS = 2;
  static final int ROLLOUTS = 8;
  static final int TARGET_TOKEN = 40;

  private TrainingSteps() {}

  public static void main(String[] args) throws Exception {
    long first = Long.parseLong(args[1]);
    long last = Long.parseLong(args[2]);
    try (Policy policy = args[0].equals("fresh")
        ? Policies.create(GptConfig.tiny(), SEED, THREADS)
        : Policies.restore(Files.readAllBytes(Path.of(args[0])), THREADS)) {
      for (long step = first; step <= last; step++) {
        step(policy, step);
      }
      Files.write(Path.of(args[3]), policy.checkpoint());
    }
  }

  static void step(Policy policy, long step) {
    int[] prompt = {(int) (10 + step % 50), 12, 14};
    List<SampleRequest> requests = new ArrayList<>();
    for (int i = 0; i < ROLLOUTS; i++) {
      requests.add(new SampleRequest(prompt, 12, 1f, SeedStream.of(SEED, step, Phase.SOLVE, i)));
    }
    List<Completion> rollouts = policy.sample(requests);
    float[] rewards = new float[ROLLOUTS];
    float mean = 0;
    for (int i = 0; i < ROLLOUTS; i++) {
      for (int token : rollouts.get(i).tokens()) {
        rewards[i] += token == TARGET_TOKEN ? 1 : 0;
      }
      mean += rewards[i] / ROLLOUTS;
    }
    List<PolicySample> samples = new ArrayList<>();
    for (int i = 0; i < ROLLOUTS; i++) {
      Completion c = rollouts.get(i);
      samples.add(new PolicySample(prompt, c.tokens(), c.logProbs(), rewards[i] - mean + 0.01f * i));
    }
    policy.reinforceStep(samples, LossConfig.defaults(), OptimizerConfig.defaults().withLearningRate(3e-3f));
  }
}
