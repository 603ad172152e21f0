package dev.autodidact.model.djl;

import dev.autodidact.model.Completion;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.model.sampling.BatchSampler;
import java.util.List;

/**
 * Batched Gumbel-max sampling ({@link BatchSampler}, shared with every engine) on this engine's
 * {@link KvDecoder}. Tokens depend only on a request's stream and the weights (checked by the
 * tests for mixed batches of up to 24 rows, and for one versus two decoding threads).
 */
final class Sampler {
  /**
   * Rows decoded together. Bounds the key/value cache (about 270 MB for the small model at full
   * context) and the prefill's attention scores.
   */
  static final int MAX_ROWS = 64;

  private Sampler() {}

  static List<Completion> sample(GptParameters params, List<SampleRequest> requests) {
    return new BatchSampler(
        params.config().contextLength(), params.config().vocabSize(), MAX_ROWS,
        () -> new KvDecoder(params))
        .sample(requests);
  }
}
