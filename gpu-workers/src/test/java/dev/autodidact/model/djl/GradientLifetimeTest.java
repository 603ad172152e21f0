package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.LossConfig;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Everything the backward pass reads must stay alive until it has run. DJL on the CPU backs an
 * array it creates from Java values with a direct buffer that is freed once the array is closed
 * and collected; a garbage collection between forward and backward must not change a gradient.
 */
class GradientLifetimeTest {
  private static final GptConfig CONFIG = GptConfig.tiny();

  @Test
  void crossEntropyGradientsSurviveAGarbageCollectionBeforeBackward() {
    assertGradientsSurviveCollection(
        (params, step, mb, tokens) -> Objectives.crossEntropy(params, step, mb, tokens));
  }

  @Test
  void ppoGradientsSurviveAGarbageCollectionBeforeBackward() {
    assertGradientsSurviveCollection(
        (params, step, mb, tokens) -> Objectives.ppoClip(params, step, mb, LossConfig.defaults(), tokens));
  }

  private interface Objective {
    Objectives.Terms terms(GptParameters params, NDManager step, TrainingRows.MicroBatch mb, int tokens);
  }

  private static void assertGradientsSurviveCollection(Objective objective) {
    int[] sequence = TinyPolicies.randomTokens(5, 40);
    float[] behaviour = new float[sequence.length - 10];
    Arrays.fill(behaviour, -4f);
    List<TrainingRows.Row> rows = List.of(
        TrainingRows.pretrainingRow(sequence, CONFIG.contextLength()),
        TrainingRows.completionRow(TinyPolicies.encode("prompt"),
            Arrays.copyOf(sequence, behaviour.length), behaviour, 1.5f, CONFIG.contextLength()));
    TrainingRows.MicroBatch mb = TrainingRows.pack(rows, width -> rows.size()).get(0);
    int tokens = TrainingRows.trainedTokens(rows);
    try (NDManager manager = NDManager.newBaseManager(Torch.device(), Torch.engine().getEngineName())) {
      GptParameters params = GptParameters.initialise(CONFIG, 11, manager);
      List<float[]> undisturbed = gradients(params, objective, mb, tokens, false);
      List<float[]> collected = gradients(params, objective, mb, tokens, true);
      for (int i = 0; i < undisturbed.size(); i++) {
        assertThat(Arrays.equals(collected.get(i), undisturbed.get(i)))
            .as("gradient of %s after a collection starts %s, undisturbed %s", params.specs().get(i).name(),
                head(collected.get(i)), head(undisturbed.get(i)))
            .isTrue();
      }
    }
  }

  private static List<float[]> gradients(GptParameters params, Objective objective,
      TrainingRows.MicroBatch mb, int tokens, boolean collectBeforeBackward) {
    return Torch.training(1, () -> {
      params.tensors().forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
      try (GradientCollector collector = Torch.engine().newGradientCollector();
          NDManager step = params.manager().newSubManager();
          NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray loss = objective.terms(params, step, mb, tokens).objective();
        if (collectBeforeBackward) {
          freeUnreachableDirectBuffers();
        }
        collector.backward(loss);
        List<float[]> out = new ArrayList<>();
        for (NDArray p : params.tensors()) {
          out.add(p.getGradient().toFloatArray());
        }
        return out;
      }
    });
  }

  private static String head(float[] values) {
    return Arrays.toString(Arrays.copyOf(values, Math.min(3, values.length)));
  }

  /** Collects until the direct buffers that are unreachable now have been freed. */
  private static void freeUnreachableDirectBuffers() {
    BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
    ByteBuffer.allocateDirect(1); // unreachable at once: its release shows the collection ran
    long withProbe = direct.getCount();
    try {
      for (int i = 0; i < 200 && direct.getCount() >= withProbe; i++) {
        System.gc();
        Thread.sleep(5);
      }
      Thread.sleep(50); // the reference handler frees a collection's buffers in one batch
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
