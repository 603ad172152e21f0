package dev.autodidact.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hands the results of asynchronous jobs to a sink in the order the jobs were submitted, on a
 * thread of its own, as soon as each result and all earlier ones are in. At most
 * {@code maxPending} jobs are started and not yet handed over: a slow job holds back the output
 * behind it and, once the window is full, the submitter, so a huge input never piles up in
 * memory. The sink may block (a full pipe) without stalling the threads that complete the jobs.
 */
final class InOrderWindow<T> implements AutoCloseable {
  private final Semaphore room;
  private final Consumer<T> sink;
  private final ExecutorService handOver;
  private CompletableFuture<Void> lastHandedOver = CompletableFuture.completedFuture(null);

  InOrderWindow(int maxPending, Consumer<T> sink) {
    if (maxPending <= 0) {
      throw new IllegalArgumentException("maxPending must be positive: " + maxPending);
    }
    this.room = new Semaphore(maxPending);
    this.sink = sink;
    this.handOver = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "in-order-hand-over");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Waits for room in the window, then starts the job; rethrows the failure of an earlier job
   * or of the sink, after which nothing more is handed over.
   */
  void submit(Supplier<CompletableFuture<T>> job) throws InterruptedException {
    room.acquire();
    if (lastHandedOver.isCompletedExceptionally()) {
      room.release();
      finish();
    }
    CompletableFuture<T> result;
    try {
      result = job.get();
    } catch (RuntimeException e) {
      room.release();
      throw e;
    }
    lastHandedOver = lastHandedOver.thenCombineAsync(result, (previous, value) -> {
      sink.accept(value);
      return null;
    }, handOver);
    lastHandedOver.whenComplete((done, failure) -> room.release());
  }

  /** Waits until every submitted result was handed over; rethrows the first failure. */
  void finish() {
    try {
      lastHandedOver.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  @Override
  public void close() {
    handOver.shutdownNow();
  }
}
