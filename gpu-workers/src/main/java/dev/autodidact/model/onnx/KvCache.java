package dev.autodidact.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.autodidact.model.OnnxSignature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Every layer's keys and values {@code [rows, heads, columns, headDim]} as ONNX Runtime tensors:
 * the {@code present_*} outputs of one pass, fed back unchanged (no copy through Java) as the
 * next pass's {@code past_*} inputs.
 */
final class KvCache implements AutoCloseable {
  private final OnnxTensor[] keys;
  private final OnnxTensor[] values;
  /** The pass result that owns the tensors, or null when this cache created them. */
  private final OrtSession.Result owner;

  private KvCache(OnnxTensor[] keys, OnnxTensor[] values, OrtSession.Result owner) {
    this.keys = keys;
    this.values = values;
    this.owner = owner;
  }

  /** The present tensors of a pass; closing the cache closes the whole result. */
  static KvCache of(OrtSession.Result result, int layers) {
    OnnxTensor[] keys = new OnnxTensor[layers];
    OnnxTensor[] values = new OnnxTensor[layers];
    for (int l = 0; l < layers; l++) {
      keys[l] = OnnxSession.output(result, OnnxSignature.presentKey(l));
      values[l] = OnnxSession.output(result, OnnxSignature.presentValue(l));
    }
    return new KvCache(keys, values, result);
  }

  /** A cache of no columns, for a first pass. */
  static KvCache empty(OrtEnvironment env, int rows, OnnxSession.Shape shape) {
    long[] dims = {rows, shape.heads(), 0, shape.headDim()};
    int layers = shape.layers();
    OnnxTensor[] keys = new OnnxTensor[layers];
    OnnxTensor[] values = new OnnxTensor[layers];
    KvCache cache = new KvCache(keys, values, null);
    try {
      for (int l = 0; l < layers; l++) {
        keys[l] = OnnxTensor.createTensor(env, FloatBuffer.allocate(0), dims);
        values[l] = OnnxTensor.createTensor(env, FloatBuffer.allocate(0), dims);
      }
      return cache;
    } catch (OrtException e) {
      cache.close();
      throw new IllegalStateException("cannot create an empty key/value cache: " + e.getMessage(), e);
    }
  }

  void addTo(Map<String, OnnxTensor> inputs) {
    for (int l = 0; l < keys.length; l++) {
      inputs.put(OnnxSignature.pastKey(l), keys[l]);
      inputs.put(OnnxSignature.pastValue(l), values[l]);
    }
  }

  /**
   * A new cache holding only the given rows, in the given order (a copy through Java: done a
   * few times per batch, when enough rows finished).
   */
  KvCache select(OrtEnvironment env, int[] rows) {
    int layers = keys.length;
    OnnxTensor[] selectedKeys = new OnnxTensor[layers];
    OnnxTensor[] selectedValues = new OnnxTensor[layers];
    KvCache selected = new KvCache(selectedKeys, selectedValues, null);
    try {
      for (int l = 0; l < layers; l++) {
        selectedKeys[l] = selectRows(env, keys[l], rows);
        selectedValues[l] = selectRows(env, values[l], rows);
      }
      return selected;
    } catch (OrtException e) {
      selected.close();
      throw new IllegalStateException("cannot compact the key/value cache: " + e.getMessage(), e);
    }
  }

  private static OnnxTensor selectRows(OrtEnvironment env, OnnxTensor source, int[] rows)
      throws OrtException {
    long[] dims = source.getInfo().getShape();
    int rowSize = Math.toIntExact(dims[1] * dims[2] * dims[3]);
    FloatBuffer all = source.getFloatBuffer();
    FloatBuffer kept = ByteBuffer.allocateDirect(4 * rowSize * rows.length)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (int row : rows) {
      kept.put(all.slice(row * rowSize, rowSize));
    }
    kept.flip();
    return OnnxTensor.createTensor(env, kept, new long[] {rows.length, dims[1], dims[2], dims[3]});
  }

  @Override
  public void close() {
    if (owner != null) {
      owner.close();
      return;
    }
    for (int l = 0; l < keys.length; l++) {
      closeIfPresent(keys[l]);
      closeIfPresent(values[l]);
    }
  }

  private static void closeIfPresent(OnnxTensor tensor) {
    if (tensor != null) {
      tensor.close();
    }
  }
}
