package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.Completion;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.model.sampling.BatchSampler;
import dev.autodidact.model.sampling.Sequences;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sampling WITHOUT a key/value cache, for any {@link LanguageModel}: every new token reruns the
 * full forward pass over each live row's whole sequence. It serves models that have no cache
 * (a user's TorchScript module) and is the baseline the GPT's cache is benchmarked against.
 * Same inputs, budgets and Gumbel-max choice ({@link BatchSampler#choose}) as {@link Sampler}, so it
 * draws the same noise per request; on the same weights its tokens may still differ from the
 * cached sampler's in rare near-ties (different reduction order).
 */
final class UncachedSampler {
  private UncachedSampler() {}

  static List<Completion> sample(LanguageModel model, List<SampleRequest> requests) {
    int n = requests.size();
    int contextLength = model.contextLength();
    int vocab = model.vocabSize();
    int[][] sequences = new int[n][];
    int[] lengths = new int[n];
    int[] budget = new int[n];
    int[] generated = new int[n];
    float[][] logProbsOut = new float[n][];
    List<Integer> live = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] input = Sequences.modelInput(requests.get(i).prompt(), contextLength);
      budget[i] = Sequences.budget(requests.get(i), input.length, contextLength);
      sequences[i] = Arrays.copyOf(input, input.length + budget[i]);
      lengths[i] = input.length;
      logProbsOut[i] = new float[budget[i]];
      if (budget[i] > 0) {
        live.add(i);
      }
    }
    NDManager manager = model.manager();
    while (!live.isEmpty()) {
      int rows = live.size();
      int width = 0;
      for (int i : live) {
        width = Math.max(width, lengths[i]);
      }
      // Right-padded rows starting at position 0: the causal mask keeps padding out of sight.
      long[] ids = new long[rows * width];
      long[] last = new long[rows];
      for (int r = 0; r < rows; r++) {
        int i = live.get(r);
        for (int j = 0; j < lengths[i]; j++) {
          ids[r * width + j] = sequences[i][j];
        }
        last[r] = (long) r * width + lengths[i] - 1;
      }
      float[] logProbs;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray logits = model.logits(manager.create(ids, new Shape(rows, width)));
        logProbs = logits.reshape((long) rows * width, vocab).get(manager.create(last))
            .logSoftmax(-1).toFloatArray();
      }
      List<Integer> still = new ArrayList<>(rows);
      for (int r = 0; r < rows; r++) {
        int i = live.get(r);
        SampleRequest req = requests.get(i);
        int token = BatchSampler.choose(logProbs, r * vocab, vocab, req.temperature(), req.noise());
        logProbsOut[i][generated[i]] = logProbs[r * vocab + token];
        generated[i]++;
        sequences[i][lengths[i]++] = token;
        if (token != CharTokenizer.EOS && generated[i] < budget[i]) {
          still.add(i);
        }
      }
      live = still;
    }
    List<Completion> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int[] tokens = Arrays.copyOfRange(sequences[i], lengths[i] - generated[i], lengths[i]);
      boolean finished = generated[i] > 0 && tokens[generated[i] - 1] == CharTokenizer.EOS;
      out.add(new Completion(tokens, Arrays.copyOf(logProbsOut[i], generated[i]), finished));
    }
    return out;
  }
}
