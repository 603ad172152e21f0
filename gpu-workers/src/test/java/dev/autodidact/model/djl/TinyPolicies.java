package dev.autodidact.model.djl;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.SampleRequest;

/** Shared fixtures: tiny policies and deterministic inputs. */
final class TinyPolicies {
  static final CharTokenizer TOKENIZER = new CharTokenizer();

  private TinyPolicies() {}

  static DjlPolicy create(long seed) {
    return DjlPolicy.create(GptConfig.tiny(), seed, 1);
  }

  static int[] encode(String text) {
    return TOKENIZER.encode(text);
  }

  /** Random ids from the printable range, from a stream of its own. */
  static int[] randomTokens(long seed, int length) {
    SeedStream stream = SeedStream.of(seed, 0, Phase.EVAL, 0);
    int[] ids = new int[length];
    for (int i = 0; i < length; i++) {
      ids[i] = 3 + stream.nextInt(96);
    }
    return ids;
  }

  static SampleRequest request(String prompt, int maxNewTokens, long noiseIndex) {
    return new SampleRequest(
        encode(prompt), maxNewTokens, 1f, SeedStream.of(7, 1, Phase.SOLVE, noiseIndex));
  }
}
