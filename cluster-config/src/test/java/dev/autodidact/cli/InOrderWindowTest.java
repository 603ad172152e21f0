package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InOrderWindowTest {

  @Test
  void handsResultsOverInSubmissionOrderWhateverOrderTheyFinishIn() throws Exception {
    List<String> handedOver = new CopyOnWriteArrayList<>();
    List<CompletableFuture<String>> jobs = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
        new CompletableFuture<>());
    try (InOrderWindow<String> window = new InOrderWindow<>(3, handedOver::add)) {
      for (CompletableFuture<String> job : jobs) {
        window.submit(() -> job);
      }
      jobs.get(2).complete("c");
      jobs.get(1).complete("b");
      assertThat(handedOver).isEmpty();
      jobs.get(0).complete("a");
      window.finish();
    }
    assertThat(handedOver).containsExactly("a", "b", "c");
  }

  @Test
  void aFullWindowHoldsTheSubmitterUntilTheOldestResultIsHandedOver() throws Exception {
    CompletableFuture<String> first = new CompletableFuture<>();
    CountDownLatch thirdStarted = new CountDownLatch(1);
    try (InOrderWindow<String> window = new InOrderWindow<>(2, result -> {})) {
      window.submit(() -> first);
      window.submit(() -> CompletableFuture.completedFuture("second"));
      Thread submitter = new Thread(() -> {
        try {
          window.submit(() -> {
            thirdStarted.countDown();
            return CompletableFuture.completedFuture("third");
          });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      submitter.start();
      assertThat(thirdStarted.await(200, TimeUnit.MILLISECONDS)).isFalse();
      first.complete("first");
      assertThat(thirdStarted.await(10, TimeUnit.SECONDS)).isTrue();
      submitter.join();
      window.finish();
    }
  }

  @Test
  void aFailedJobFailsTheWindow() throws Exception {
    try (InOrderWindow<String> window = new InOrderWindow<>(2, result -> {})) {
      window.submit(() -> CompletableFuture.failedFuture(new IllegalStateException("sandbox pool closed")));

      assertThatThrownBy(window::finish).isInstanceOf(IllegalStateException.class).hasMessage("sandbox pool closed");
    }
  }
}
