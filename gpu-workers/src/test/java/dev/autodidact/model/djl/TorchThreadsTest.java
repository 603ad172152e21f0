package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The intra-op thread count asked for is the one work runs with, even on a thread new to
 * PyTorch while another thread asks for a different count: PyTorch would otherwise initialise
 * the new thread at its first parallel op from the other thread's count (1 and 2 threads differ
 * in the last bits of a reduction, so a run would not replay bit for bit).
 */
class TorchThreadsTest {

  @Test
  void aNewThreadKeepsItsCountWhileAnotherThreadSetsADifferentOne() throws Exception {
    Torch.engine();
    CountDownLatch countSet = new CountDownLatch(1);
    CountDownLatch otherCountSet = new CountDownLatch(1);
    AtomicInteger runsWith = new AtomicInteger();
    Thread learner = new Thread(() -> runsWith.set(Torch.inference(2, () -> {
      countSet.countDown();
      awaitQuietly(otherCountSet);
      try (NDManager manager = NDManager.newBaseManager(Torch.device(), Torch.engine().getEngineName());
          NDArray ones = manager.ones(new Shape(1000, 1000));
          NDArray sum = ones.sum()) {
        sum.getFloat(); // the thread's first parallel op
      }
      return JniUtils.getNumThreads();
    })), "new-to-pytorch");
    learner.start();
    countSet.await();
    Torch.inference(1, () -> null); // a sampler on another thread sets its own count meanwhile
    otherCountSet.countDown();
    learner.join();
    assertThat(runsWith.get()).isEqualTo(2);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
