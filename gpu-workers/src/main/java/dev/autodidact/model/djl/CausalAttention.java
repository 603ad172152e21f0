package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Causal self-attention through PyTorch's fused {@code scaled_dot_product_attention}.
 *
 * <p>DJL exposes no binding for that operator, so this class writes a one-line TorchScript
 * module that calls it and loads it into the engine; autograd runs through it like through
 * any other operator. On CPU the fused kernel never materialises the {@code [B, H, T, T]}
 * scores and their softmax (forward and backward): it trained the ~5M model about 1.5x
 * faster than the explicit {@code softmax(q k^T + mask) v} here, with gradients equal to
 * 3e-6. It applies the causal mask itself, so it serves rows that start at position 0 and are
 * right-padded (training, scoring, uncached sampling); the KV-cache decoder, whose batches
 * are left-padded, keeps the explicit form.
 *
 * <p>The archive is built here rather than shipped: a TorchScript archive is a zip of the
 * module's source ({@code code/__torch__.py}), its pickled object ({@code data.pkl}, here a
 * {@code __torch__.CausalAttention} holding only {@code training}), the pickled constants
 * (an empty tuple) and the format version. PyTorch compiles the source when it loads it.
 */
final class CausalAttention {
  private static final String SOURCE = String.join("\n",
      "class CausalAttention(Module):",
      "  __parameters__ = []",
      "  __buffers__ = []",
      "  training : bool",
      "  def forward(self: __torch__.CausalAttention, q: Tensor, k: Tensor, v: Tensor) -> Tensor:",
      "    return torch.scaled_dot_product_attention(q, k, v, None, 0., True)",
      "");

  private static volatile PtSymbolBlock kernel;

  private CausalAttention() {}

  /**
   * {@code softmax(q k^T / sqrt(D) + causal mask) v}.
   *
   * @param q {@code [B, H, T, D]} queries, not yet scaled
   * @param k {@code [B, H, T, D]} keys
   * @param v {@code [B, H, T, D]} values
   * @return {@code [B, H, T, D]}, attached to {@code q}'s manager
   */
  static NDArray apply(NDArray q, NDArray k, NDArray v) {
    NDManager manager = q.getManager();
    // DJL runs a module called with training=false under PyTorch's inference mode, whose
    // tensors autograd refuses to save; so the flag follows this thread's grad mode.
    boolean training = JniUtils.isGradMode();
    return kernel().forward(new ParameterStore(manager, false), new NDList(q, k, v), training)
        .singletonOrThrow();
  }

  private static PtSymbolBlock kernel() {
    PtSymbolBlock loaded = kernel;
    if (loaded == null) {
      synchronized (CausalAttention.class) {
        loaded = kernel;
        if (loaded == null) {
          Torch.engine();
          // Run the one-operator graph as written: no profiling passes, no fusion that could
          // change numerics between the first calls and later ones.
          JniUtils.setGraphExecutorOptimize(false);
          PtNDManager owner = (PtNDManager) NDManager.newBaseManager(Torch.device(), "PyTorch");
          try {
            loaded = JniUtils.loadModule(owner, new ByteArrayInputStream(archive()), true, false);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot load the attention kernel: " + e.getMessage(), e);
          }
          kernel = loaded;
        }
      }
    }
    return loaded;
  }

  /** The TorchScript archive of the module. */
  static byte[] archive() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      put(zip, "kernel/data.pkl", pickledModule());
      put(zip, "kernel/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
      put(zip, "kernel/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // ()
      put(zip, "kernel/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Pickle protocol 2 of the module object: GLOBAL {@code __torch__ CausalAttention},
   * EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, the item {@code "training": True}, SETITEM, BUILD, STOP.
   */
  private static byte[] pickledModule() {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.writeBytes(new byte[] {(byte) 0x80, 2});
    p.writeBytes("c__torch__\nCausalAttention\n".getBytes(StandardCharsets.US_ASCII));
    p.writeBytes(new byte[] {')', (byte) 0x81, '}'});
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    p.writeBytes(new byte[] {'X', (byte) key.length, 0, 0, 0});
    p.writeBytes(key);
    p.writeBytes(new byte[] {(byte) 0x88, 's', 'b', '.'});
    return p.toByteArray();
  }

  /** Stored (uncompressed) entries with a fixed time, so the archive's bytes never vary. */
  private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    entry.setCompressedSize(data.length);
    entry.setCrc(crc.getValue());
    entry.setTime(0);
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }
}
