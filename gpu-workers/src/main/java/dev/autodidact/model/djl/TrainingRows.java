package dev.autodidact.model.djl;

import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.sampling.Sequences;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Sequences prepared for a teacher-forced pass and packed into right-padded micro-batches.
 *
 * <p>A row's input is {@code tokens[0 .. n-2]} at positions {@code 0 .. n-2}; input position
 * {@code j} predicts {@code tokens[j + 1]}. Only targets from {@code firstTarget} on are
 * trained (or scored).
 */
final class TrainingRows {
  /**
   * One sequence.
   *
   * @param tokens BOS + prompt + completion, at most {@code contextLength + 1} long
   * @param firstTarget index in {@code tokens} of the first trained token
   * @param behaviourLogProbs one per trained token, or null
   * @param advantage applied to every trained token
   */
  record Row(int[] tokens, int firstTarget, float[] behaviourLogProbs, float advantage) {
    int trainedTokens() {
      return tokens.length - firstTarget;
    }

    int width() {
      return tokens.length - 1;
    }
  }

  /**
   * Right-padded arrays {@code [rows, width]}, flattened row-major.
   *
   * @param rowIds the index of each row in the list that was packed
   */
  record MicroBatch(
      int rows,
      int width,
      long[] inputs,
      long[] targets,
      float[] mask,
      float[] advantages,
      float[] behaviourLogProbs,
      int[] rowIds) {

    /** Flat index of the input position that predicts trained token {@code k} of a row. */
    int index(int row, Row source, int k) {
      return row * width + source.firstTarget() - 1 + k;
    }
  }

  private TrainingRows() {}

  /** BOS + prompt + completion; the prompt loses tokens from the left to fit the context. */
  static Row completionRow(
      int[] fullPrompt, int[] completion, float[] behaviour, float advantage, int contextLength) {
    int[] tokens = Sequences.scored(fullPrompt, completion, contextLength);
    return new Row(tokens, tokens.length - completion.length, behaviour, advantage);
  }

  /** BOS + sequence + EOS, every token after BOS trained; a long sequence keeps its head. */
  static Row pretrainingRow(int[] sequence, int contextLength) {
    int length = Math.min(sequence.length + 2, contextLength + 1);
    int[] tokens = new int[length];
    tokens[0] = CharTokenizer.BOS;
    int copied = Math.min(sequence.length, length - 1);
    System.arraycopy(sequence, 0, tokens, 1, copied);
    if (copied + 1 < length) {
      tokens[length - 1] = CharTokenizer.EOS;
    }
    return new Row(tokens, 1, null, 0f);
  }

  static int trainedTokens(List<Row> rows) {
    return rows.stream().mapToInt(Row::trainedTokens).sum();
  }

  /**
   * Packs the rows that have trained tokens, longest first, into micro-batches of at most
   * {@code rowsForWidth(width)} rows (at least one).
   */
  static List<MicroBatch> pack(List<Row> rows, IntUnaryOperator rowsForWidth) {
    int[] order = IntStream.range(0, rows.size())
        .filter(i -> rows.get(i).trainedTokens() > 0)
        .boxed()
        .sorted(Comparator.comparingInt((Integer i) -> rows.get(i).width()).reversed())
        .mapToInt(Integer::intValue)
        .toArray();
    List<MicroBatch> batches = new ArrayList<>();
    int start = 0;
    while (start < order.length) {
      int width = rows.get(order[start]).width();
      int count = Math.max(1, Math.min(order.length - start, rowsForWidth.applyAsInt(width)));
      int[] ids = new int[count];
      System.arraycopy(order, start, ids, 0, count);
      batches.add(microBatch(rows, ids, width));
      start += count;
    }
    return batches;
  }

  private static MicroBatch microBatch(List<Row> rows, int[] ids, int width) {
    int n = ids.length * width;
    long[] inputs = new long[n];
    long[] targets = new long[n];
    float[] mask = new float[n];
    float[] advantages = new float[n];
    float[] behaviour = new float[n];
    for (int r = 0; r < ids.length; r++) {
      Row row = rows.get(ids[r]);
      int[] tokens = row.tokens();
      int base = r * width;
      for (int j = 0; j < tokens.length - 1; j++) {
        inputs[base + j] = tokens[j];
        targets[base + j] = tokens[j + 1];
      }
      for (int k = 0; k < row.trainedTokens(); k++) {
        int at = base + row.firstTarget() - 1 + k;
        mask[at] = 1f;
        advantages[at] = row.advantage();
        if (row.behaviourLogProbs() != null) {
          behaviour[at] = row.behaviourLogProbs()[k];
        }
      }
    }
    return new MicroBatch(ids.length, width, inputs, targets, mask, advantages, behaviour, ids);
  }
}
