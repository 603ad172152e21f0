package dev.autodidact.model.sampling;

import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.Completion;
import dev.autodidact.model.SampleRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Batched autoregressive sampling with the Gumbel-max trick, for any engine's
 * {@link IncrementalDecoder}.
 *
 * <p>At every generated position a request draws one Gumbel per vocabulary entry, in
 * vocabulary order, from its own stream, and takes {@code argmax(logp / temperature + g)}.
 * Its tokens therefore depend only on its stream and the weights, not on the batch it shares.
 * Its log-probs agree across batches to about 1e-6 but not bit for bit: batch shape and left
 * padding change the order of floating-point reductions. Finished rows leave the batch in a
 * few compactions, so long completions do not pay for short ones.
 */
public final class BatchSampler {
  /**
   * Finished rows stay in the batch (fed a dummy token) until the live share falls to this:
   * dropping them copies the whole cache, so it is done a few times, not once per row.
   */
  private static final double COMPACT_WHEN_LIVE_AT_MOST = 0.75;

  private final int contextLength;
  private final int vocab;
  private final int maxRows;
  private final Supplier<? extends IncrementalDecoder> decoders;

  /**
   * @param maxRows rows decoded together: bounds the cache and the prefill's attention scores
   * @param decoders a fresh decoder per group of at most {@code maxRows} requests
   */
  public BatchSampler(
      int contextLength, int vocab, int maxRows, Supplier<? extends IncrementalDecoder> decoders) {
    this.contextLength = contextLength;
    this.vocab = vocab;
    this.maxRows = maxRows;
    this.decoders = decoders;
  }

  /** One completion per request, in order. */
  public List<Completion> sample(List<SampleRequest> requests) {
    List<Completion> out = new ArrayList<>(requests.size());
    for (int from = 0; from < requests.size(); from += maxRows) {
      int to = Math.min(requests.size(), from + maxRows);
      out.addAll(sampleChunk(requests.subList(from, to)));
    }
    return out;
  }

  private List<Completion> sampleChunk(List<SampleRequest> requests) {
    int n = requests.size();
    int[][] inputs = new int[n][];
    int[] budget = new int[n];
    Generation[] generations = new Generation[n];
    List<Integer> live = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SampleRequest request = requests.get(i);
      inputs[i] = Sequences.modelInput(request.prompt(), contextLength);
      budget[i] = Sequences.budget(request, inputs[i].length, contextLength);
      generations[i] = new Generation(budget[i]);
      if (budget[i] > 0) {
        live.add(i);
      }
    }
    if (!live.isEmpty()) {
      int[] rows = live.stream().mapToInt(Integer::intValue).toArray();
      decode(requests, inputs, budget, generations, rows);
    }
    List<Completion> out = new ArrayList<>(n);
    for (Generation g : generations) {
      out.add(g.toCompletion());
    }
    return out;
  }

  private void decode(
      List<SampleRequest> requests,
      int[][] inputs,
      int[] budget,
      Generation[] generations,
      int[] active) {
    try (IncrementalDecoder decoder = decoders.get()) {
      int[][] activeInputs = new int[active.length][];
      int maxSteps = 0;
      for (int r = 0; r < active.length; r++) {
        activeInputs[r] = inputs[active[r]];
        maxSteps = Math.max(maxSteps, budget[active[r]] - 1);
      }
      // active[r] is the request decoded in row r, or -1 once it needs no more tokens.
      float[] logProbs = decoder.prefill(activeInputs, maxSteps);
      while (true) {
        int[] next = new int[active.length];
        int live = 0;
        for (int r = 0; r < active.length; r++) {
          int request = active[r];
          if (request < 0) {
            continue;
          }
          SampleRequest req = requests.get(request);
          int token = choose(logProbs, r * vocab, vocab, req.temperature(), req.noise());
          Generation g = generations[request];
          g.add(token, logProbs[r * vocab + token]);
          if (token != CharTokenizer.EOS && g.size() < budget[request]) {
            next[r] = token;
            live++;
          } else {
            active[r] = -1;
          }
        }
        if (live == 0) {
          return;
        }
        if (live <= active.length * COMPACT_WHEN_LIVE_AT_MOST) {
          int[] rows = new int[live];
          int[] requestsOfRows = new int[live];
          int[] tokens = new int[live];
          for (int r = 0, i = 0; r < active.length; r++) {
            if (active[r] >= 0) {
              rows[i] = r;
              requestsOfRows[i] = active[r];
              tokens[i] = next[r];
              i++;
            }
          }
          decoder.retain(rows);
          active = requestsOfRows;
          next = tokens;
        }
        logProbs = decoder.step(next);
      }
    }
  }

  /** Gumbel-max over one row of log-probs; greedy (no draws) at temperature 0. */
  public static int choose(
      float[] logProbs, int offset, int vocab, float temperature, SeedStream noise) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      double score = temperature == 0
          ? logProbs[offset + v]
          : logProbs[offset + v] / (double) temperature + noise.nextGumbel();
      if (score > bestScore) {
        bestScore = score;
        best = v;
      }
    }
    return best;
  }

  /** The tokens of one request so far. */
  private static final class Generation {
    private final int[] tokens;
    private final float[] logProbs;
    private int size;

    Generation(int capacity) {
      tokens = new int[capacity];
      logProbs = new float[capacity];
    }

    void add(int token, float logProb) {
      tokens[size] = token;
      logProbs[size] = logProb;
      size++;
    }

    int size() {
      return size;
    }

    Completion toCompletion() {
      boolean finished = size > 0 && tokens[size - 1] == CharTokenizer.EOS;
      return new Completion(Arrays.copyOf(tokens, size), Arrays.copyOf(logProbs, size), finished);
    }
  }
}
