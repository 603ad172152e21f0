package dev.autodidact.model;

/**
 * The interface of the ONNX decoder that {@link Policies#exportOnnx} writes and the ONNX
 * Runtime rollout engine runs: one forward pass over new tokens, attending to a key/value
 * cache of earlier ones.
 *
 * <p>Inputs: {@value #INPUT_IDS} {@code [batch, sequence]} int64; {@value #POSITION_IDS}
 * {@code [batch, sequence]} int64 (each token's position, so rows may be left-padded);
 * {@value #ATTENTION_MASK} {@code [batch, past + sequence]} int64, 1 for a real token and 0
 * for padding no query may see; per layer {@code past_key_<l>} and {@code past_value_<l>}
 * {@code [batch, heads, past, headDim]} float32, where {@code past} may be 0.
 *
 * <p>Outputs: {@value #LOGITS} {@code [batch, sequence, vocab]} raw logits of every new
 * position, {@value #LOG_PROBS} their log-softmax, and per layer {@code present_key_<l>} and
 * {@code present_value_<l>} {@code [batch, heads, past + sequence, headDim]}: the cache to feed
 * back as the next call's past.
 *
 * <p>The model's metadata holds the policy version and the model's shape under the
 * {@code METADATA_*} keys.
 */
public final class OnnxSignature {
  /** The default ONNX operator set version the graph uses (17 brings LayerNormalization). */
  public static final int OPSET = 17;

  public static final String INPUT_IDS = "input_ids";
  public static final String POSITION_IDS = "position_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String LOGITS = "logits";
  public static final String LOG_PROBS = "log_probs";

  public static final String METADATA_POLICY_VERSION = "autodidact.policy_version";
  public static final String METADATA_VOCAB_SIZE = "autodidact.vocab_size";
  public static final String METADATA_CONTEXT_LENGTH = "autodidact.context_length";
  public static final String METADATA_EMBED_DIM = "autodidact.embed_dim";
  public static final String METADATA_LAYERS = "autodidact.layers";
  public static final String METADATA_HEADS = "autodidact.heads";

  private OnnxSignature() {}

  public static String pastKey(int layer) {
    return "past_key_" + layer;
  }

  public static String pastValue(int layer) {
    return "past_value_" + layer;
  }

  public static String presentKey(int layer) {
    return "present_key_" + layer;
  }

  public static String presentValue(int layer) {
    return "present_value_" + layer;
  }
}
