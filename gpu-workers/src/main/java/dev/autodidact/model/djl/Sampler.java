package dev.autodidact.model.djl;

import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.Completion;
import dev.autodidact.model.SampleRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched autoregressive sampling with the Gumbel-max trick.
 *
 * <p>At every generated position a request draws one Gumbel per vocabulary entry, in
 * vocabulary order, from its own stream, and takes {@code argmax(logp / temperature + g)}.
 * Its tokens therefore depend only on its stream and the weights, not on the batch it shares
 * (checked by the tests for mixed batches of up to 24 rows, and for one versus two decoding
 * threads). Its log-probs agree across batches to about 1e-6 but not bit for bit: batch shape
 * and left padding change the order of floating-point reductions. Finished rows leave the
 * batch in a few compactions, so long completions do not pay for short ones.
 */
final class Sampler {
  /**
   * Rows decoded together. Bounds the key/value cache (about 270 MB for the small model at full
   * context) and the prefill's attention scores.
   */
  static final int MAX_ROWS = 64;

  /**
   * Finished rows stay in the batch (fed a dummy token) until the live share falls to this:
   * dropping them copies the whole cache, so it is done a few times, not once per row.
   */
  private static final double COMPACT_WHEN_LIVE_AT_MOST = 0.75;

  private Sampler() {}

  static List<Completion> sample(GptParameters params, List<SampleRequest> requests) {
    List<Completion> out = new ArrayList<>(requests.size());
    for (int from = 0; from < requests.size(); from += MAX_ROWS) {
      int to = Math.min(requests.size(), from + MAX_ROWS);
      out.addAll(sampleChunk(params, requests.subList(from, to)));
    }
    return out;
  }

  /**
   * The model input for a prompt: BOS + prompt, losing prompt tokens from the left when it
   * would not leave one position to generate from.
   */
  static int[] modelInput(int[] fullPrompt, int contextLength) {
    int[] prompt = TrainingRows.promptBody(fullPrompt);
    int kept = Math.min(prompt.length, contextLength - 1);
    int[] input = new int[kept + 1];
    input[0] = CharTokenizer.BOS;
    System.arraycopy(prompt, prompt.length - kept, input, 1, kept);
    return input;
  }

  private static List<Completion> sampleChunk(GptParameters params, List<SampleRequest> requests) {
    int n = requests.size();
    int contextLength = params.config().contextLength();
    int vocab = params.config().vocabSize();
    int[][] inputs = new int[n][];
    int[] budget = new int[n];
    Generation[] generations = new Generation[n];
    List<Integer> live = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SampleRequest request = requests.get(i);
      inputs[i] = modelInput(request.prompt(), contextLength);
      // The whole sequence may hold contextLength + 1 tokens: the last one is never fed back.
      budget[i] = Math.min(request.maxNewTokens(), contextLength + 1 - inputs[i].length);
      generations[i] = new Generation(budget[i]);
      if (budget[i] > 0) {
        live.add(i);
      }
    }
    if (!live.isEmpty()) {
      int[] rows = live.stream().mapToInt(Integer::intValue).toArray();
      decode(params, requests, inputs, budget, generations, rows, vocab);
    }
    List<Completion> out = new ArrayList<>(n);
    for (Generation g : generations) {
      out.add(g.toCompletion());
    }
    return out;
  }

  private static void decode(
      GptParameters params,
      List<SampleRequest> requests,
      int[][] inputs,
      int[] budget,
      Generation[] generations,
      int[] active,
      int vocab) {
    try (KvDecoder decoder = new KvDecoder(params)) {
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
  static int choose(float[] logProbs, int offset, int vocab, float temperature, SeedStream noise) {
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
      tokens = new int[Math.max(capacity, 0)];
      logProbs = new float[tokens.length];
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
