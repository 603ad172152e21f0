package dev.autodidact.actors;

import dev.autodidact.model.Completion;
import dev.autodidact.model.SampleRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The InferenceWorker's dynamic batching, without the model: which waiting rows go into the
 * next forward pass, and which requests are complete once it has run.
 *
 * <p>Requests are served first come, first served. A batch takes rows from the oldest waiting
 * request on, across requests, up to {@code maxRows}; a request larger than that spans
 * several batches. Every row of one batch uses the same checkpoint, so a batch stops at the
 * first request that names another one: a new policy version starts at a batch boundary,
 * never in the middle of a forward pass.
 *
 * @param <R> what the caller needs to answer a request (its message)
 */
final class SampleBatcher<R> {

  /** A request's rows {@code [from, to)} inside one batch. */
  record Slice<R>(Waiting<R> owner, int from, int to) {
    int size() {
      return to - from;
    }
  }

  /** The rows of the next forward pass, all under {@code checkpoint}, in request order. */
  record Batch<R>(String checkpoint, List<Slice<R>> slices, List<SampleRequest> rows) {}

  /** A request whose every row has been sampled: its completions in request order. */
  record Finished<R>(R request, List<Completion> completions) {}

  /** One waiting request and the completions it has so far. */
  static final class Waiting<R> {
    private final R request;
    private final String checkpoint;
    private final List<SampleRequest> rows;
    private final Completion[] completions;
    private int nextRow;
    private int answeredRows;

    private Waiting(R request, String checkpoint, List<SampleRequest> rows) {
      this.request = request;
      this.checkpoint = checkpoint;
      this.rows = List.copyOf(rows);
      this.completions = new Completion[rows.size()];
    }

    R request() {
      return request;
    }
  }

  private final Deque<Waiting<R>> waiting = new ArrayDeque<>();
  private int waitingRows;

  /**
   * Queues a request. A request without rows is complete at once and is returned; otherwise
   * null.
   */
  Finished<R> add(R request, String checkpoint, List<SampleRequest> rows) {
    if (rows.isEmpty()) {
      return new Finished<>(request, List.of());
    }
    waiting.addLast(new Waiting<>(request, checkpoint, rows));
    waitingRows += rows.size();
    return null;
  }

  /** Rows not yet taken into a batch. */
  int waitingRows() {
    return waitingRows;
  }

  boolean hasWaitingRows() {
    return waitingRows > 0;
  }

  /** Takes up to {@code maxRows} waiting rows under the oldest waiting request's checkpoint. */
  Batch<R> next(int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be >= 1: " + maxRows);
    }
    List<Slice<R>> slices = new ArrayList<>();
    List<SampleRequest> rows = new ArrayList<>();
    String checkpoint = null;
    for (Waiting<R> w : waiting) {
      if (w.nextRow == w.rows.size()) {
        continue; // all its rows are in an earlier batch that has not been completed
      }
      if (checkpoint == null) {
        checkpoint = w.checkpoint;
      } else if (!checkpoint.equals(w.checkpoint)) {
        break;
      }
      int take = Math.min(maxRows - rows.size(), w.rows.size() - w.nextRow);
      slices.add(new Slice<>(w, w.nextRow, w.nextRow + take));
      rows.addAll(w.rows.subList(w.nextRow, w.nextRow + take));
      w.nextRow += take;
      if (rows.size() == maxRows) {
        break;
      }
    }
    if (checkpoint == null) {
      throw new IllegalStateException("no waiting rows");
    }
    waitingRows -= rows.size();
    return new Batch<>(checkpoint, List.copyOf(slices), List.copyOf(rows));
  }

  /**
   * Hands a batch's completions to their requests and returns the requests now complete, in
   * arrival order (batches are taken oldest rows first, so requests complete in order).
   *
   * @throws IllegalStateException when the engine answered a different number of rows than
   *     it was given: the answers cannot be matched to requests, so none is used
   */
  List<Finished<R>> complete(Batch<R> batch, List<Completion> completions) {
    if (completions.size() != batch.rows().size()) {
      throw new IllegalStateException("the engine answered " + completions.size() + " of "
          + batch.rows().size() + " rows of a batch");
    }
    int k = 0;
    for (Slice<R> slice : batch.slices()) {
      for (int row = slice.from(); row < slice.to(); row++) {
        slice.owner().completions[row] = completions.get(k++);
      }
      slice.owner().answeredRows += slice.size();
    }
    List<Finished<R>> finished = new ArrayList<>();
    while (!waiting.isEmpty() && waiting.peekFirst().answeredRows == waiting.peekFirst().rows.size()) {
      Waiting<R> done = waiting.removeFirst();
      finished.add(new Finished<>(done.request, Arrays.asList(done.completions)));
    }
    return finished;
  }

  /** Every request not answered yet, in arrival order; the batcher is empty afterwards. */
  List<R> drain() {
    Set<R> out = new LinkedHashSet<>();
    waiting.forEach(w -> out.add(w.request));
    waiting.clear();
    waitingRows = 0;
    return List.copyOf(out);
  }
}
