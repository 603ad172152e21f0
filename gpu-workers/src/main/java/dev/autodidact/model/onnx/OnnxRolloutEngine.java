package dev.autodidact.model.onnx;

import dev.autodidact.model.Completion;
import dev.autodidact.model.OnnxSignature;
import dev.autodidact.model.RolloutEngine;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.model.sampling.BatchSampler;
import dev.autodidact.model.sampling.Sequences;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Rollouts on ONNX Runtime from a policy's exported weights ({@link OnnxSignature}): the same
 * sampling loop and rules as the trainable policy ({@link BatchSampler}, {@link Sequences}), so
 * a request gets the same tokens from either engine up to float32 rounding in near-ties.
 * Inference only: ONNX Runtime cannot train, so a learner keeps its DJL policy and rollout
 * workers get a fresh engine per policy version.
 *
 * <p>One session per engine, with a configurable number of intra-op threads; a batch is
 * decoded in one pass per token (at most {@link #MAX_ROWS} rows at a time). Calls are
 * serialised.
 */
public final class OnnxRolloutEngine implements RolloutEngine {
  /** Rows decoded together, as in the DJL engine: bounds the cache and the prefill. */
  static final int MAX_ROWS = 64;

  /** Padded positions per teacher-forced scoring pass. */
  static final int SCORE_TOKENS_PER_PASS = 8192;

  private final OnnxSession session;
  private final OnnxSession.Shape shape;
  private boolean closed;

  private OnnxRolloutEngine(OnnxSession session) {
    this.session = session;
    this.shape = session.shape();
  }

  /**
   * An engine over a model written by {@code Policies.exportOnnx}.
   *
   * @param threads ONNX Runtime intra-op threads
   * @throws IllegalArgumentException in one line if the bytes are not such a model
   */
  public static OnnxRolloutEngine create(byte[] onnxModel, int threads) {
    return new OnnxRolloutEngine(OnnxSession.open(onnxModel, threads));
  }

  @Override
  public int vocabSize() {
    return shape.vocab();
  }

  @Override
  public int contextLength() {
    return shape.contextLength();
  }

  @Override
  public long version() {
    return shape.version();
  }

  /** The execution provider the session runs on: {@code "CPU"} or {@code "CUDA"}. */
  public String provider() {
    return session.provider();
  }

  @Override
  public synchronized List<Completion> sample(List<SampleRequest> batch) {
    ensureOpen();
    batch.forEach(r -> requireVocabulary(r.prompt(), "prompt"));
    return new BatchSampler(
        shape.contextLength(), shape.vocab(), MAX_ROWS, () -> new OnnxKvDecoder(session))
        .sample(batch);
  }

  @Override
  public synchronized List<float[]> logProbs(List<int[]> prompts, List<int[]> completions) {
    ensureOpen();
    if (prompts.size() != completions.size()) {
      throw new IllegalArgumentException(
          prompts.size() + " prompts but " + completions.size() + " completions");
    }
    List<int[]> sequences = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      requireVocabulary(prompts.get(i), "prompt");
      requireVocabulary(completions.get(i), "completion");
      sequences.add(Sequences.scored(prompts.get(i), completions.get(i), shape.contextLength()));
    }
    float[][] out = new float[sequences.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[completions.get(i).length];
    }
    for (int[] group : groups(sequences, out)) {
      score(sequences, group, out);
    }
    return List.of(out);
  }

  /**
   * Rows with something to score, longest first, in groups of at most
   * {@link #SCORE_TOKENS_PER_PASS} padded positions (at least one row).
   */
  private static List<int[]> groups(List<int[]> sequences, float[][] out) {
    int[] order = IntStream.range(0, sequences.size())
        .filter(i -> out[i].length > 0)
        .boxed()
        .sorted(Comparator.comparingInt((Integer i) -> sequences.get(i).length).reversed())
        .mapToInt(Integer::intValue)
        .toArray();
    List<int[]> groups = new ArrayList<>();
    int start = 0;
    while (start < order.length) {
      int width = sequences.get(order[start]).length - 1;
      int count = Math.max(1, Math.min(order.length - start, SCORE_TOKENS_PER_PASS / width));
      groups.add(Arrays.copyOfRange(order, start, start + count));
      start += count;
    }
    return groups;
  }

  /**
   * One teacher-forced pass over right-padded rows that start at position 0: input column
   * {@code j} predicts token {@code j + 1}, and the causal mask keeps padding out of sight.
   */
  private void score(List<int[]> sequences, int[] rows, float[][] out) {
    int width = sequences.get(rows[0]).length - 1;
    long[] ids = new long[rows.length * width];
    long[] positions = new long[rows.length * width];
    long[] mask = new long[rows.length * width];
    for (int r = 0; r < rows.length; r++) {
      int[] tokens = sequences.get(rows[r]);
      for (int j = 0; j < width; j++) {
        positions[r * width + j] = j;
        if (j < tokens.length - 1) {
          ids[r * width + j] = tokens[j];
          mask[r * width + j] = 1;
        }
      }
    }
    OnnxSession.Pass pass = session.run(ids, positions, mask, rows.length, null, OnnxSignature.LOG_PROBS);
    pass.present().close();
    int vocab = shape.vocab();
    for (int r = 0; r < rows.length; r++) {
      int[] tokens = sequences.get(rows[r]);
      float[] target = out[rows[r]];
      int firstTarget = tokens.length - target.length;
      for (int k = 0; k < target.length; k++) {
        int column = firstTarget - 1 + k;
        target[k] = pass.scores()[(r * width + column) * vocab + tokens[firstTarget + k]];
      }
    }
  }

  /**
   * Raw logits {@code [rows, width, vocab]} of one pass without a cache, for tests that compare
   * engines; rows are given as the session sees them.
   */
  synchronized float[] logits(long[] ids, long[] positions, long[] mask, int rows) {
    ensureOpen();
    OnnxSession.Pass pass = session.run(ids, positions, mask, rows, null, OnnxSignature.LOGITS);
    pass.present().close();
    return pass.scores();
  }

  /** A decoder over this engine's session returning {@code scores}, for tests of the cache. */
  OnnxKvDecoder decoder(String scores) {
    ensureOpen();
    return new OnnxKvDecoder(session, scores);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      session.close();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("rollout engine is closed");
    }
  }

  private void requireVocabulary(int[] ids, String what) {
    for (int id : ids) {
      if (id < 0 || id >= shape.vocab()) {
        throw new IllegalArgumentException(
            what + " holds token id " + id + " outside [0, " + shape.vocab() + ")");
      }
    }
  }
}
