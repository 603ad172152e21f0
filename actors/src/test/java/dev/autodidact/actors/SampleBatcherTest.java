package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodidact.model.Completion;
import dev.autodidact.model.SampleRequest;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SampleBatcherTest {

  /** A request of {@code rows} rows under checkpoint {@code checkpoint}; row r's prompt is {id, r}. */
  private record Request(int id, String checkpoint, List<SampleRequest> rows) {}

  private static Request request(int id, String checkpoint, int rows) {
    List<SampleRequest> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      out.add(new SampleRequest(new int[] {id, r}, 4, 0f, null));
    }
    return new Request(id, checkpoint, out);
  }

  /** The engine's answer to a row: it echoes the row's prompt, so answers are traceable. */
  private static List<Completion> echo(List<SampleRequest> rows) {
    return rows.stream().map(r -> new Completion(r.prompt().clone(), new float[2], true)).toList();
  }

  @Property
  void everyRequestIsAnsweredOnceInOrderWithItsOwnRows(
      @ForAll @Size(max = 12) List<@IntRange(max = 90) Integer> sizes,
      @ForAll @Size(max = 12) List<Boolean> secondCheckpoint,
      @ForAll @IntRange(min = 1, max = 64) int maxRows) {
    SampleBatcher<Request> batcher = new SampleBatcher<>();
    List<Request> sent = new ArrayList<>();
    List<Request> answered = new ArrayList<>();
    for (int i = 0; i < sizes.size(); i++) {
      String checkpoint = i < secondCheckpoint.size() && secondCheckpoint.get(i) ? "b" : "a";
      Request r = request(i, checkpoint, sizes.get(i));
      sent.add(r);
      SampleBatcher.Finished<Request> empty = batcher.add(r, checkpoint, r.rows());
      if (empty != null) {
        assertThat(r.rows()).isEmpty();
        assertThat(empty.completions()).isEmpty();
        answered.add(r);
      }
    }
    while (batcher.hasWaitingRows()) {
      SampleBatcher.Batch<Request> batch = batcher.next(maxRows);
      assertThat(batch.rows()).hasSizeBetween(1, maxRows);
      assertThat(batch.slices()).allSatisfy(s -> assertThat(s.owner().request().checkpoint()).isEqualTo(batch.checkpoint()));
      for (SampleBatcher.Finished<Request> done : batcher.complete(batch, echo(batch.rows()))) {
        Request r = done.request();
        assertThat(done.completions()).hasSize(r.rows().size());
        for (int row = 0; row < r.rows().size(); row++) {
          assertThat(done.completions().get(row).tokens()).containsExactly(r.id(), row);
        }
        answered.add(r);
      }
    }
    assertThat(answered).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(answered.stream().filter(r -> !r.rows().isEmpty()).toList())
        .isEqualTo(sent.stream().filter(r -> !r.rows().isEmpty()).toList());
  }

  @Test
  void smallRequestsShareOneBatchAndALargeOneSpansSeveral() {
    SampleBatcher<Request> batcher = new SampleBatcher<>();
    for (Request r : List.of(request(0, "a", 3), request(1, "a", 2), request(2, "a", 9))) {
      batcher.add(r, r.checkpoint(), r.rows());
    }
    assertThat(batcher.next(8).rows()).hasSize(8);
    assertThat(batcher.next(8).rows()).hasSize(6);
  }

  @Test
  void aBatchNeverMixesCheckpoints() {
    SampleBatcher<Request> batcher = new SampleBatcher<>();
    for (Request r : List.of(request(0, "old", 2), request(1, "new", 2), request(2, "old", 2))) {
      batcher.add(r, r.checkpoint(), r.rows());
    }
    SampleBatcher.Batch<Request> first = batcher.next(64);
    assertThat(first.checkpoint()).isEqualTo("old");
    assertThat(first.rows()).hasSize(2);
    batcher.complete(first, echo(first.rows()));
    assertThat(batcher.next(64).checkpoint()).isEqualTo("new");
  }

  @Test
  void anAnswerOfTheWrongLengthIsRefusedAndNothingIsAnswered() {
    SampleBatcher<Request> batcher = new SampleBatcher<>();
    Request r = request(0, "a", 3);
    batcher.add(r, "a", r.rows());
    SampleBatcher.Batch<Request> batch = batcher.next(8);
    assertThatThrownBy(() -> batcher.complete(batch, echo(batch.rows()).subList(0, 2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("answered 2 of 3 rows");
    assertThat(batcher.drain()).containsExactly(r);
    assertThat(batcher.hasWaitingRows()).isFalse();
  }
}
