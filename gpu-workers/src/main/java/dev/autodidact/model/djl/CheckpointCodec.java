package dev.autodidact.model.djl;

import dev.autodidact.model.GptConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The checkpoint's binary layout, format version 1. All numbers little-endian.
 *
 * <pre>
 * bytes[4]  magic "ADGP"
 * int32     format version (1)
 * int32 x 5 vocabSize, contextLength, embedDim, layers, heads
 * int64     optimizer steps (AdamW's bias-correction t)
 * int64     policy version
 * int32     tensor count
 * per tensor, in the model's fixed order (see GptParameters.layout):
 *   int32       name length, then the name in UTF-8
 *   int32       rank, then int64 per dimension
 *   float32[n]  weights, float32[n] AdamW first moment, float32[n] AdamW second moment
 * int32     CRC32 of every byte before it
 * </pre>
 *
 * <p>Every value is written as the float32 it holds, so {@code decode(encode(s))} is exact and
 * encoding the same state twice gives the same bytes.
 */
final class CheckpointCodec {
  private static final byte[] MAGIC = {'A', 'D', 'G', 'P'};
  static final int FORMAT_VERSION = 1;
  private static final int HEADER_BYTES = 4 + 4 + 5 * 4 + 8 + 8 + 4;
  private static final int TRAILER_BYTES = 4;

  /** One tensor's weights and AdamW moments, flattened row-major. */
  record TensorState(String name, long[] shape, float[] weights, float[] first, float[] second) {}

  /** Everything a checkpoint holds. */
  record State(GptConfig config, long optimizerSteps, long version, List<TensorState> tensors) {}

  private CheckpointCodec() {}

  static byte[] encode(State state) {
    GptConfig c = state.config();
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(encodedLength(c)))
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).putInt(FORMAT_VERSION);
    out.putInt(c.vocabSize()).putInt(c.contextLength()).putInt(c.embedDim())
        .putInt(c.layers()).putInt(c.heads());
    out.putLong(state.optimizerSteps()).putLong(state.version());
    out.putInt(state.tensors().size());
    for (TensorState t : state.tensors()) {
      putTensor(out, t);
    }
    out.putInt(crc(out.array(), out.position()));
    if (out.hasRemaining()) {
      throw new IllegalStateException("checkpoint state does not match its config's layout");
    }
    return out.array();
  }

  /**
   * Reads and validates a checkpoint.
   *
   * @throws IllegalArgumentException with a one-line reason if the bytes are not a valid
   *     checkpoint of this format
   */
  static State decode(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER_BYTES + TRAILER_BYTES) {
      throw new IllegalArgumentException("checkpoint is truncated: "
          + (bytes == null ? 0 : bytes.length) + " bytes is shorter than the header");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[MAGIC.length];
    in.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException("not a policy checkpoint: bad magic bytes");
    }
    int format = in.getInt();
    if (format != FORMAT_VERSION) {
      throw new IllegalArgumentException("unsupported checkpoint format version " + format
          + " (this build reads version " + FORMAT_VERSION + ")");
    }
    GptConfig config;
    try {
      config = new GptConfig(in.getInt(), in.getInt(), in.getInt(), in.getInt(), in.getInt());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "checkpoint holds an invalid model config: " + e.getMessage(), e);
    }
    double minimumBytes = 12.0 * approximateParameters(config);
    if (bytes.length < minimumBytes) {
      throw new IllegalArgumentException("checkpoint is truncated: " + bytes.length
          + " bytes, but its config needs at least " + (long) minimumBytes);
    }
    long expected = encodedLength(config);
    if (bytes.length < expected) {
      throw new IllegalArgumentException("checkpoint is truncated: " + bytes.length
          + " bytes, but its config needs " + expected);
    }
    if (bytes.length > expected) {
      throw new IllegalArgumentException("checkpoint has " + (bytes.length - expected)
          + " unexpected trailing bytes");
    }
    int stored = ByteBuffer.wrap(bytes, bytes.length - TRAILER_BYTES, TRAILER_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (stored != crc(bytes, bytes.length - TRAILER_BYTES)) {
      throw new IllegalArgumentException("checkpoint is corrupted: CRC32 mismatch");
    }
    long optimizerSteps = in.getLong();
    long version = in.getLong();
    List<TensorSpec> layout = GptParameters.layout(config);
    int count = in.getInt();
    if (count != layout.size()) {
      throw new IllegalArgumentException("checkpoint has " + count + " tensors, its config needs "
          + layout.size());
    }
    List<TensorState> tensors = new ArrayList<>(count);
    for (TensorSpec spec : layout) {
      tensors.add(readTensor(in, spec));
    }
    return new State(config, optimizerSteps, version, tensors);
  }

  private static TensorState readTensor(ByteBuffer in, TensorSpec spec) {
    int nameLength = in.getInt();
    if (nameLength < 0 || nameLength > in.remaining()) {
      throw new IllegalArgumentException(
          "checkpoint tensor name length is out of range: " + nameLength);
    }
    byte[] name = new byte[nameLength];
    in.get(name);
    String actual = new String(name, StandardCharsets.UTF_8);
    int rank = in.getInt();
    if (rank != spec.shape().length) {
      throw new IllegalArgumentException("checkpoint tensor " + actual + " has rank " + rank
          + " where " + spec.name() + " has rank " + spec.shape().length);
    }
    long[] shape = new long[rank];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = in.getLong();
    }
    if (!actual.equals(spec.name()) || !spec.sameShape(shape)) {
      throw new IllegalArgumentException("checkpoint tensor " + actual + Arrays.toString(shape)
          + " where " + spec.name() + Arrays.toString(spec.shape()) + " was expected");
    }
    int n = spec.size();
    return new TensorState(actual, shape, getFloats(in, n), getFloats(in, n), getFloats(in, n));
  }

  /** The parameter count without overflow, to reject a corrupted header before any allocation. */
  private static double approximateParameters(GptConfig c) {
    double d = c.embedDim();
    return (double) c.vocabSize() * d + (double) c.contextLength() * d
        + c.layers() * (12 * d * d + 13 * d);
  }

  /** Total bytes of a checkpoint of this config: fixed by the layout. */
  static long encodedLength(GptConfig config) {
    long total = HEADER_BYTES + TRAILER_BYTES;
    for (TensorSpec spec : GptParameters.layout(config)) {
      total += tensorBytes(spec.name(), spec.shape());
    }
    return total;
  }

  // ---- the per-tensor record and the checksum, shared with TorchScriptCheckpoint ----

  /** Name, shape, weights and both moments of one tensor, as {@link #putTensor} writes them. */
  static long tensorBytes(String name, long[] shape) {
    long elements = 1;
    for (long d : shape) {
      elements *= d;
    }
    return 4L + name.getBytes(StandardCharsets.UTF_8).length + 4L + 8L * shape.length
        + 3 * 4 * elements;
  }

  static void putTensor(ByteBuffer out, TensorState t) {
    byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
    out.putInt(name.length).put(name);
    out.putInt(t.shape().length);
    for (long d : t.shape()) {
      out.putLong(d);
    }
    putFloats(out, t.weights());
    putFloats(out, t.first());
    putFloats(out, t.second());
  }

  private static void putFloats(ByteBuffer out, float[] values) {
    out.asFloatBuffer().put(values);
    out.position(out.position() + 4 * values.length);
  }

  static float[] getFloats(ByteBuffer in, int n) {
    float[] values = new float[n];
    in.asFloatBuffer().get(values);
    in.position(in.position() + 4 * n);
    return values;
  }

  static int crc(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }
}
