package dev.autodidact.model;

/**
 * Shape of the decoder-only transformer: pre-LayerNorm blocks with fused QKV, causal
 * attention, a 4x GELU MLP, learned positions, tied input and output embedding, final
 * LayerNorm.
 *
 * @param vocabSize number of token ids (99 for {@link CharTokenizer})
 * @param contextLength number of positions the model can attend over
 * @param embedDim width of the residual stream; must be a multiple of {@code heads}
 * @param layers number of transformer blocks
 * @param heads number of attention heads per block
 */
public record GptConfig(int vocabSize, int contextLength, int embedDim, int layers, int heads) {
  private static final int CHAR_VOCAB = new CharTokenizer().vocabSize();

  public GptConfig {
    requirePositive("vocabSize", vocabSize);
    requirePositive("contextLength", contextLength);
    requirePositive("embedDim", embedDim);
    requirePositive("layers", layers);
    requirePositive("heads", heads);
    if (embedDim % heads != 0) {
      throw new IllegalArgumentException(
          "embedDim " + embedDim + " is not a multiple of heads " + heads);
    }
  }

  /** For tests: about 37k parameters, context 256. */
  public static GptConfig tiny() {
    return new GptConfig(CHAR_VOCAB, 256, 32, 2, 2);
  }

  /** The default policy: about 0.87M parameters, context 512. */
  public static GptConfig small() {
    return new GptConfig(CHAR_VOCAB, 512, 128, 4, 4);
  }

  /** About 4.9M parameters, context 512. */
  public static GptConfig medium() {
    return new GptConfig(CHAR_VOCAB, 512, 256, 6, 8);
  }

  public int headDim() {
    return embedDim / heads;
  }

  /** Trainable scalars: embeddings, per block 12·d² + 13·d, final LayerNorm. */
  public long parameterCount() {
    long d = embedDim;
    long embeddings = (long) vocabSize * d + (long) contextLength * d;
    long perBlock = 12 * d * d + 13 * d;
    return embeddings + layers * perBlock + 2 * d;
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
