package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.autodidact.model.GptConfig;

/** The decoder-only transformer's forward pass as explicit tensor math. */
final class GptModel {
  /**
   * Added to the attention score of a key a query may not see. Finite, so a padding query
   * that sees no key still gets a finite (uniform) softmax instead of NaN.
   */
  static final float MASKED = -1e9f;

  private static final float LAYER_NORM_EPS = 1e-5f;

  private GptModel() {}

  /** Called per layer with the new keys and values; returns all keys and values to attend. */
  interface AttentionCache {
    NDArray[] extend(int layer, NDArray keys, NDArray values);
  }

  /**
   * Logits of every position of right-padded rows that all start at position 0.
   *
   * @param ids {@code [B, T]} int64 token ids
   * @return {@code [B, T, V]} raw logits
   */
  static NDArray logits(GptParameters p, NDArray ids) {
    long t = ids.getShape().get(1);
    NDManager manager = ids.getManager();
    NDArray positions = manager.arange(0, (int) t, 1, DataType.INT64); // [T]
    NDArray x = embed(p.tokenEmbedding(), ids).add(embed(p.positionEmbedding(), positions));
    for (int l = 0; l < p.config().layers(); l++) {
      x = block(p, l, x, null, null);
    }
    return head(p, x);
  }

  /** Additive causal mask {@code [T, T]}: query i may see keys 0..i. */
  static NDArray causalMask(NDManager manager, long t) {
    NDArray queries = manager.arange(0, (int) t, 1, DataType.INT64).reshape(t, 1);
    NDArray keys = manager.arange(0, (int) t, 1, DataType.INT64).reshape(1, t);
    return keys.gt(queries).toType(DataType.FLOAT32, false).mul(MASKED);
  }

  /** {@code [.., C]} rows of an embedding table for {@code [..]} int64 ids. */
  static NDArray embed(NDArray table, NDArray ids) {
    return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * One pre-LayerNorm block.
   *
   * @param x {@code [B, S, C]} residual stream
   * @param mask additive mask broadcastable to {@code [B, H, S, K]}; used only with a cache
   * @param cache where the keys and values of earlier positions live, or null for rows that
   *     start at position 0 (causal attention through {@link CausalAttention})
   * @return {@code [B, S, C]}
   */
  static NDArray block(GptParameters p, int layer, NDArray x, NDArray mask, AttentionCache cache) {
    GptConfig c = p.config();
    GptParameters.Block w = p.block(layer);
    long b = x.getShape().get(0);
    long s = x.getShape().get(1);
    long d = c.embedDim();
    long headDim = c.headDim();

    NDArray h = layerNorm(x, w.ln1Gain(), w.ln1Bias());
    NDArray qkv = Linear.linear(h, w.qkvWeight(), w.qkvBias()).singletonOrThrow(); // [B, S, 3C]
    qkv = qkv.reshape(b, s, 3, c.heads(), headDim).transpose(2, 0, 3, 1, 4); // [3, B, H, S, D]
    NDArray q = qkv.get(0);
    NDArray k = qkv.get(1);
    NDArray v = qkv.get(2);
    NDArray attended; // [B, H, S, D]
    if (cache == null) {
      attended = CausalAttention.apply(q, k, v);
    } else {
      NDArray[] all = cache.extend(layer, k, v); // [B, H, K, D] each
      NDArray scaled = q.mul(scalar(qkv.getManager(), (float) (1.0 / Math.sqrt(headDim))));
      attended = scaled.matMul(all[0].transpose(0, 1, 3, 2)).add(mask).softmax(-1).matMul(all[1]);
    }
    NDArray y = attended.transpose(0, 2, 1, 3).reshape(b, s, d); // [B, S, C]
    x = x.add(Linear.linear(y, w.projWeight(), w.projBias()).singletonOrThrow());

    h = layerNorm(x, w.ln2Gain(), w.ln2Bias());
    NDArray hidden = Activation.gelu(Linear.linear(h, w.fcWeight(), w.fcBias()).singletonOrThrow());
    return x.add(Linear.linear(hidden, w.outWeight(), w.outBias()).singletonOrThrow());
  }

  /**
   * A scalar operand for an operation autograd differentiates through. DJL's {@code mul(Number)}
   * and {@code div(Number)} wrap the number in an array over a Java direct buffer and close that
   * array as soon as the result exists, but autograd keeps it for the backward pass: a garbage
   * collection in between frees the buffer, and the gradient is scaled by whatever the memory
   * then holds (rare, irreproducible "non-finite gradient norm" steps). This array belongs to
   * {@code manager} and to the caller's {@link NDScope}, so it outlives the backward pass.
   */
  static NDArray scalar(NDManager manager, float value) {
    return manager.create(value);
  }

  /** Final LayerNorm and the tied output projection: {@code [.., C]} to {@code [.., V]}. */
  static NDArray head(GptParameters p, NDArray x) {
    NDArray normed = layerNorm(x, p.finalGain(), p.finalBias());
    return Linear.linear(normed, p.tokenEmbedding()).singletonOrThrow();
  }

  /** Normalises over the last axis only (DJL's LayerNorm block would use all non-batch axes). */
  private static NDArray layerNorm(NDArray x, NDArray gain, NDArray bias) {
    Shape last = new Shape(x.getShape().get(x.getShape().dimension() - 1));
    return LayerNorm.layerNorm(x, last, gain, bias, LAYER_NORM_EPS).singletonOrThrow();
  }
}
