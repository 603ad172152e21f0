package dev.autodidact.model.onnx;

import dev.autodidact.model.OnnxSignature;
import dev.autodidact.model.sampling.IncrementalDecoder;
import java.util.Arrays;

/**
 * Incremental decoding of a batch of rows on ONNX Runtime, with the same conventions as the DJL
 * engine's decoder: rows of different lengths are left-padded, row {@code b} with
 * {@code pad[b]} padding columns has its token at column {@code j} at position
 * {@code j - pad[b]}, and the attention mask hides padding columns from every query. Each call
 * returns the log-softmax (or, for tests, the logits) at every row's newest position,
 * {@code [B * V]}.
 */
final class OnnxKvDecoder implements IncrementalDecoder {
  private final OnnxSession session;
  private final String scores;
  private final int vocab;
  private KvCache cache;
  private int[] pad;
  private long[] nextPosition;
  private int columns;

  /** Returns log-probs, as sampling needs. */
  OnnxKvDecoder(OnnxSession session) {
    this(session, OnnxSignature.LOG_PROBS);
  }

  /** @param scores the output each call returns: {@code LOG_PROBS} or, for tests, {@code LOGITS} */
  OnnxKvDecoder(OnnxSession session, String scores) {
    this.session = session;
    this.scores = scores;
    this.vocab = session.shape().vocab();
  }

  int rows() {
    return nextPosition == null ? 0 : nextPosition.length;
  }

  @Override
  public float[] prefill(int[][] inputs, int maxSteps) {
    int rows = inputs.length;
    int width = 0;
    for (int[] row : inputs) {
      width = Math.max(width, row.length);
    }
    long[] ids = new long[rows * width];
    long[] positions = new long[rows * width];
    pad = new int[rows];
    nextPosition = new long[rows];
    for (int r = 0; r < rows; r++) {
      pad[r] = width - inputs[r].length;
      for (int j = pad[r]; j < width; j++) {
        ids[r * width + j] = inputs[r][j - pad[r]];
        positions[r * width + j] = j - pad[r];
      }
      nextPosition[r] = inputs[r].length;
    }
    columns = width;
    OnnxSession.Pass pass = session.run(ids, positions, mask(), rows, null, scores);
    cache = pass.present();
    return lastPositions(pass.scores(), rows, width);
  }

  @Override
  public float[] step(int[] tokens) {
    int rows = tokens.length;
    if (rows != rows()) {
      throw new IllegalArgumentException(rows + " tokens for " + rows() + " rows");
    }
    long lastPosition = session.shape().contextLength() - 1;
    long[] ids = new long[rows];
    long[] positions = new long[rows];
    for (int r = 0; r < rows; r++) {
      ids[r] = tokens[r];
      positions[r] = Math.min(nextPosition[r], lastPosition);
      nextPosition[r]++;
    }
    columns++;
    OnnxSession.Pass pass = session.run(ids, positions, mask(), rows, cache, scores);
    cache.close();
    cache = pass.present();
    return pass.scores();
  }

  @Override
  public void retain(int[] rows) {
    KvCache kept = cache.select(session.env(), rows);
    cache.close();
    cache = kept;
    int[] keptPad = new int[rows.length];
    long[] keptPositions = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      keptPad[i] = pad[rows[i]];
      keptPositions[i] = nextPosition[rows[i]];
    }
    pad = keptPad;
    nextPosition = keptPositions;
  }

  /** {@code [rows, columns]}: 0 on each row's padding columns, 1 elsewhere. */
  private long[] mask() {
    long[] mask = new long[pad.length * columns];
    for (int r = 0; r < pad.length; r++) {
      Arrays.fill(mask, r * columns + pad[r], (r + 1) * columns, 1L);
    }
    return mask;
  }

  /** The {@code [rows * V]} scores of each row's last column out of {@code [rows, width, V]}. */
  private float[] lastPositions(float[] scores, int rows, int width) {
    float[] last = new float[rows * vocab];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(scores, ((r + 1) * width - 1) * vocab, last, r * vocab, vocab);
    }
    return last;
  }

  @Override
  public void close() {
    if (cache != null) {
      cache.close();
      cache = null;
    }
  }
}
