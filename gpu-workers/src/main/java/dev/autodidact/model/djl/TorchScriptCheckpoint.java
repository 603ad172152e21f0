package dev.autodidact.model.djl;

import dev.autodidact.model.djl.CheckpointCodec.TensorState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The checkpoint of a TorchScript policy, format version 1: self-contained, since it carries
 * the user's module itself. All numbers little-endian.
 *
 * <pre>
 * bytes[4]  magic "ADTS"
 * int32     format version (1)
 * int32 x 2 vocabSize, contextLength (as the module declared them)
 * int64     optimizer steps (AdamW's bias-correction t)
 * int64     policy version
 * int32     module length n, then n bytes: the TorchScript file exactly as it was loaded
 * int32     tensor count
 * per trained tensor, in the module's parameter order (a shared tensor once, first name):
 *   int32       name length, then the name in UTF-8
 *   int32       rank, then int64 per dimension
 *   float32[n]  weights, float32[n] AdamW first moment, float32[n] AdamW second moment
 * int32     CRC32 of every byte before it
 * </pre>
 *
 * <p>The module bytes never change: the trained weights are the tensors, written over the
 * module's parameters on restore. Encoding the same state twice gives the same bytes.
 */
final class TorchScriptCheckpoint {
  private static final byte[] MAGIC = {'A', 'D', 'T', 'S'};
  static final int FORMAT_VERSION = 1;
  private static final int HEADER_BYTES = 4 + 4 + 2 * 4 + 8 + 8;
  private static final int TRAILER_BYTES = 4;
  private static final int MAX_RANK = 16;

  /** Everything a checkpoint holds. */
  record State(
      int vocabSize,
      int contextLength,
      long optimizerSteps,
      long version,
      byte[] module,
      List<TensorState> tensors) {}

  private TorchScriptCheckpoint() {}

  /** Whether {@code bytes} start like a checkpoint of this format (its magic). */
  static boolean holds(byte[] bytes) {
    return bytes != null && bytes.length >= MAGIC.length
        && Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC);
  }

  static byte[] encode(State state) {
    long length = HEADER_BYTES + 4L + state.module().length + 4L + TRAILER_BYTES;
    for (TensorState t : state.tensors()) {
      length += CheckpointCodec.tensorBytes(t.name(), t.shape());
    }
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(length)).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).putInt(FORMAT_VERSION);
    out.putInt(state.vocabSize()).putInt(state.contextLength());
    out.putLong(state.optimizerSteps()).putLong(state.version());
    out.putInt(state.module().length).put(state.module());
    out.putInt(state.tensors().size());
    for (TensorState t : state.tensors()) {
      CheckpointCodec.putTensor(out, t);
    }
    out.putInt(CheckpointCodec.crc(out.array(), out.position()));
    return out.array();
  }

  /**
   * Reads a checkpoint and checks its structure and checksum; whether its tensors fit its
   * module is for the loader to check.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  static State decode(byte[] bytes) {
    if (bytes.length < HEADER_BYTES + TRAILER_BYTES) {
      throw new IllegalArgumentException("TorchScript checkpoint is truncated: " + bytes.length
          + " bytes is shorter than the header");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - TRAILER_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    if (!holds(bytes)) {
      throw new IllegalArgumentException("not a TorchScript policy checkpoint: bad magic bytes");
    }
    in.position(MAGIC.length);
    int format = in.getInt();
    if (format != FORMAT_VERSION) {
      throw new IllegalArgumentException("unsupported TorchScript checkpoint format version "
          + format + " (this build reads version " + FORMAT_VERSION + ")");
    }
    int vocab = in.getInt();
    int context = in.getInt();
    long optimizerSteps = in.getLong();
    long version = in.getLong();
    byte[] module = new byte[length(in, 1, "module")];
    in.get(module);
    int count = length(in, 4 + 4 + 12, "tensor count");
    List<TensorState> tensors = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tensors.add(readTensor(in));
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(
          "TorchScript checkpoint has " + in.remaining() + " unexpected trailing bytes");
    }
    int stored = ByteBuffer.wrap(bytes, bytes.length - TRAILER_BYTES, TRAILER_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (stored != CheckpointCodec.crc(bytes, bytes.length - TRAILER_BYTES)) {
      throw new IllegalArgumentException("TorchScript checkpoint is corrupted: CRC32 mismatch");
    }
    return new State(vocab, context, optimizerSteps, version, module, tensors);
  }

  private static TensorState readTensor(ByteBuffer in) {
    byte[] name = new byte[length(in, 1, "tensor name")];
    in.get(name);
    int rank = length(in, 8, "tensor rank");
    if (rank > MAX_RANK) {
      throw new IllegalArgumentException("TorchScript checkpoint tensor rank is out of range: "
          + rank);
    }
    long[] shape = new long[rank];
    long elements = 1;
    for (int d = 0; d < rank; d++) {
      shape[d] = in.getLong();
      if (shape[d] < 0 || shape[d] > in.remaining()) {
        throw truncated("tensor dimension " + shape[d]);
      }
      // Bounded by the bytes left after every factor, so the product cannot overflow.
      elements = Math.min(elements * shape[d], (long) in.remaining() + 1);
    }
    if (3 * 4 * elements > in.remaining()) {
      throw truncated("tensor of " + elements + " elements");
    }
    int n = (int) elements;
    return new TensorState(new String(name, StandardCharsets.UTF_8), shape,
        CheckpointCodec.getFloats(in, n), CheckpointCodec.getFloats(in, n),
        CheckpointCodec.getFloats(in, n));
  }

  /** A count that must fit what is left, at {@code bytesPerUnit} bytes per unit. */
  private static int length(ByteBuffer in, int bytesPerUnit, String what) {
    if (in.remaining() < 4) {
      throw truncated(what);
    }
    int n = in.getInt();
    if (n < 0 || (long) n * bytesPerUnit > in.remaining()) {
      throw truncated(what + " of " + n);
    }
    return n;
  }

  private static IllegalArgumentException truncated(String what) {
    return new IllegalArgumentException(
        "TorchScript checkpoint is truncated or corrupted: " + what + " does not fit");
  }
}
