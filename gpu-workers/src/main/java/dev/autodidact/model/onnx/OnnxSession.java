package dev.autodidact.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.autodidact.model.OnnxSignature;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session over an exported decoder ({@link OnnxSignature}), and its forward
 * pass with plain Java arrays in and out. The session runs on CUDA when ONNX Runtime's GPU build
 * is on the classpath and a GPU answers, otherwise on the CPU.
 */
final class OnnxSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxSession.class);

  /** The model's shape and version, read from its metadata. */
  record Shape(long version, int vocab, int contextLength, int layers, int heads, int headDim) {}

  /** What one forward pass returns: the requested scores and the cache to feed back. */
  record Pass(float[] scores, KvCache present) {}

  private final OrtEnvironment env;
  private final OrtSession session;
  private final Shape shape;
  private final String provider;

  private OnnxSession(OrtEnvironment env, OrtSession session, Shape shape, String provider) {
    this.env = env;
    this.session = session;
    this.shape = shape;
    this.provider = provider;
  }

  /**
   * Loads an exported model.
   *
   * @param threads ONNX Runtime intra-op threads
   * @throws IllegalArgumentException in one line if the bytes are not such a model
   */
  static OnnxSession open(byte[] model, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    // The environment is ONNX Runtime's process-wide singleton, shared by every session: it is
    // never closed here.
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession gpu = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)
        ? openOnGpu(env, model, threads)
        : null;
    OrtSession session = gpu != null ? gpu : openOn(env, model, threads, false);
    String provider = gpu != null ? "CUDA" : "CPU";
    try {
      Shape shape = shapeOf(session);
      LOG.info("ONNX Runtime {} serves policy version {} on {} with {} intra-op threads",
          env.getVersion(), shape.version(), provider, threads);
      return new OnnxSession(env, session, shape, provider);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  /**
   * A session on the CUDA execution provider, or null when it cannot start (no GPU, missing
   * CUDA or cuDNN libraries): rollouts then run on the CPU, which the log says.
   */
  private static OrtSession openOnGpu(OrtEnvironment env, byte[] model, int threads) {
    try {
      return openOn(env, model, threads, true);
    } catch (IllegalArgumentException e) {
      LOG.warn("ONNX Runtime's CUDA execution provider did not start ({}); rollouts run on the CPU",
          e.getMessage());
      return null;
    }
  }

  private static OrtSession openOn(OrtEnvironment env, byte[] model, int threads, boolean gpu) {
    try (SessionOptions options = new SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      // Idle intra-op threads sleep instead of spinning: on a shared CPU (the learner trains
      // next to the rollouts) spinning took cores from other work, and was no faster here.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
      // Constant folding turns the exported Transpose-of-weight nodes into plain matrices.
      options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
      if (gpu) {
        options.addCUDA(0);
      }
      return env.createSession(model, options);
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime cannot load the model: " + firstLine(e.getMessage()), e);
    }
  }

  private static Shape shapeOf(OrtSession session) {
    Map<String, String> metadata;
    try {
      metadata = session.getMetadata().getCustomMetadata();
    } catch (OrtException e) {
      throw new IllegalArgumentException("cannot read the ONNX model's metadata: " + e.getMessage(), e);
    }
    int heads = (int) number(metadata, OnnxSignature.METADATA_HEADS);
    int embedDim = (int) number(metadata, OnnxSignature.METADATA_EMBED_DIM);
    return new Shape(
        number(metadata, OnnxSignature.METADATA_POLICY_VERSION),
        (int) number(metadata, OnnxSignature.METADATA_VOCAB_SIZE),
        (int) number(metadata, OnnxSignature.METADATA_CONTEXT_LENGTH),
        (int) number(metadata, OnnxSignature.METADATA_LAYERS),
        heads,
        embedDim / heads);
  }

  private static long number(Map<String, String> metadata, String key) {
    String value = metadata.get(key);
    if (value == null) {
      throw new IllegalArgumentException(
          "the ONNX model has no " + key + " metadata: it was not written by Policies.exportOnnx");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the ONNX model's " + key + " is not a number: " + value, e);
    }
  }

  Shape shape() {
    return shape;
  }

  /** {@code "CPU"} or {@code "CUDA"}. */
  String provider() {
    return provider;
  }

  /**
   * One forward pass over {@code rows} rows of {@code ids.length / rows} new tokens each.
   *
   * @param ids token ids {@code [rows, width]}, row-major
   * @param positions the position of each token {@code [rows, width]}
   * @param mask 1 for real, 0 for padding, {@code [rows, past + width]}
   * @param past the cache of earlier tokens, or null for none; not closed here
   * @param output which scores to return: {@link OnnxSignature#LOGITS} or {@code LOG_PROBS},
   *     {@code [rows, width, vocab]} flattened
   * @return the scores and the new cache, which the caller must close
   */
  Pass run(long[] ids, long[] positions, long[] mask, int rows, KvCache past, String output) {
    int width = ids.length / rows;
    Map<String, OnnxTensor> inputs = new HashMap<>();
    KvCache empty = past == null ? KvCache.empty(env, rows, shape) : null;
    try {
      inputs.put(OnnxSignature.INPUT_IDS, longs(ids, rows, width));
      inputs.put(OnnxSignature.POSITION_IDS, longs(positions, rows, width));
      inputs.put(OnnxSignature.ATTENTION_MASK, longs(mask, rows, mask.length / rows));
      (past == null ? empty : past).addTo(inputs);
      OrtSession.Result result = session.run(inputs, outputs(output));
      try {
        float[] scores = floats(result, output);
        return new Pass(scores, KvCache.of(result, shape.layers()));
      } catch (RuntimeException e) {
        result.close();
        throw e;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime forward pass failed: " + firstLine(e.getMessage()), e);
    } finally {
      closeInputs(inputs, empty);
    }
  }

  private Set<String> outputs(String scores) {
    Set<String> names = new LinkedHashSet<>();
    names.add(scores);
    for (int l = 0; l < shape.layers(); l++) {
      names.add(OnnxSignature.presentKey(l));
      names.add(OnnxSignature.presentValue(l));
    }
    return names;
  }

  private OnnxTensor longs(long[] values, int rows, int columns) throws OrtException {
    return OnnxTensor.createTensor(env, LongBuffer.wrap(values), new long[] {rows, columns});
  }

  private static float[] floats(OrtSession.Result result, String name) {
    FloatBuffer buffer = output(result, name).getFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  static OnnxTensor output(OrtSession.Result result, String name) {
    return (OnnxTensor) result.get(name)
        .orElseThrow(() -> new IllegalStateException("ONNX model returned no " + name));
  }

  /** Closes the tensors this pass created; the caller's past cache stays open. */
  private static void closeInputs(Map<String, OnnxTensor> inputs, KvCache empty) {
    for (String name : List.of(
        OnnxSignature.INPUT_IDS, OnnxSignature.POSITION_IDS, OnnxSignature.ATTENTION_MASK)) {
      OnnxTensor tensor = inputs.get(name);
      if (tensor != null) {
        tensor.close();
      }
    }
    if (empty != null) {
      empty.close();
    }
  }

  OrtEnvironment env() {
    return env;
  }

  @Override
  public void close() {
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("closing an ONNX Runtime session failed: {}", e.getMessage());
    }
  }

  static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
