package dev.autodidact.model.djl;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import dev.autodidact.model.CharTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's TorchScript causal language model, loaded into DJL's PyTorch engine with every
 * parameter trainable (what DJL's {@code trainParam=true} option does) and checked against
 * the contract (see {@code gpu-workers/scripts/make_torchscript_fixture.py}): {@code forward}
 * maps int64 ids {@code [B, T]} to float32 logits {@code [B, T, V]} with V the character
 * tokenizer's vocabulary, causally, and the module exports {@code context_length()}.
 *
 * <p>The module stays in eval mode, so dropout never makes the log-probs it is trained on
 * differ from the ones it sampled with. It runs with the TorchScript graph executor's
 * optimizer off, as training TorchScript through DJL requires (see the DJL notes), and
 * because the optimizer re-specialises the graph for new input shapes while every call here
 * has another shape. PyTorch keeps that switch per thread, so it is set before every call
 * ({@link Torch} also sets DJL's {@code ai.djl.pytorch.graph_optimizer=false} before the engine
 * starts, for DJL's own TorchScript path).
 */
final class TorchScriptModule implements LanguageModel, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TorchScriptModule.class);

  private static final String CONTEXT_METHOD = "context_length";
  private static final int VOCAB = new CharTokenizer().vocabSize();
  private static final float CAUSALITY_TOLERANCE = 1e-4f;
  private static final int MAX_ERROR_CHARS = 300;
  private static final Pattern ERROR_LINE = Pattern.compile("[A-Za-z.]*(Error|Exception): ");

  private final PtSymbolBlock block;
  private final NDManager manager;
  private final int contextLength;
  private final List<TrainableTensor> trainables;

  private TorchScriptModule(PtSymbolBlock block, NDManager manager, int contextLength,
      List<TrainableTensor> trainables) {
    this.block = block;
    this.manager = manager;
    this.contextLength = contextLength;
    this.trainables = trainables;
  }

  /**
   * Loads and checks a module. Call with grad mode off ({@link Torch#inference}).
   *
   * @param source names the module in error messages (its path, or "checkpoint")
   * @param manager owns the parameters from now on
   * @throws IllegalArgumentException with a one-line reason if the bytes are not TorchScript
   *     or the module breaks the contract
   */
  static TorchScriptModule load(byte[] bytes, String source, NDManager manager) {
    PtSymbolBlock block = loadBlock(bytes, source, manager);
    try {
      JniUtils.enableInferenceMode(block);
      int context = declaredContext(block, source);
      List<TrainableTensor> trainables = trainables(block, source, manager);
      TorchScriptModule module = new TorchScriptModule(block, manager, context, trainables);
      module.checkLogits(source);
      return module;
    } catch (RuntimeException e) {
      block.close();
      throw e;
    }
  }

  private static PtSymbolBlock loadBlock(byte[] bytes, String source, NDManager manager) {
    // A TorchScript file is a zip archive; anything else would only get a native stack trace.
    if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
      throw new IllegalArgumentException(
          source + " is not a TorchScript module (torch.jit.save writes a zip archive)");
    }
    try {
      return JniUtils.loadModule(
          (PtNDManager) manager, new ByteArrayInputStream(bytes), true, false);
    } catch (EngineException | IOException e) {
      throw new IllegalArgumentException(
          source + " is not a TorchScript module: " + reason(e.getMessage()), e);
    }
  }

  private static int declaredContext(PtSymbolBlock block, String source) {
    if (!Arrays.asList(JniUtils.getMethodNames(block)).contains(CONTEXT_METHOD)) {
      throw new IllegalArgumentException(source + " does not export " + CONTEXT_METHOD
          + "() -> int (decorate it with @torch.jit.export)");
    }
    try (IValue value = IValueUtils.runMethod(block, CONTEXT_METHOD)) {
      if (!value.isLong() || value.toLong() < 2 || value.toLong() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(source + ": " + CONTEXT_METHOD
            + "() must return an int >= 2, not "
            + (value.isLong() ? String.valueOf(value.toLong()) : value.getType()));
      }
      return (int) value.toLong();
    } catch (EngineException e) {
      throw new IllegalArgumentException(
          source + ": " + CONTEXT_METHOD + "() failed: " + reason(e.getMessage()), e);
    }
  }

  /**
   * The module's parameters in its own order, made trainable. A tensor that two submodules
   * share (tied weights) is listed twice by TorchScript; it is kept once, under its first
   * name, so the optimizer neither counts its gradient twice nor updates it twice.
   */
  private static List<TrainableTensor> trainables(
      PtSymbolBlock block, String source, NDManager manager) {
    NDList params = JniUtils.moduleGetParams(block, (PtNDManager) manager);
    if (params.isEmpty()) {
      throw new IllegalArgumentException(source + " has no parameters to train");
    }
    List<TrainableTensor> kept = new ArrayList<>();
    List<Integer> hashes = new ArrayList<>();
    for (NDArray p : params) {
      NDScope.unregister(p);
      float[] values = parameterValues(p, source);
      int hash = Arrays.hashCode(values);
      TrainableTensor owner = sharedWith(p, values, hash, kept, hashes);
      if (owner != null) {
        LOG.info("TorchScript parameter {} is {}: trained once", p.getName(), owner.name());
        p.close();
        continue;
      }
      p.setRequiresGradient(true);
      kept.add(new TrainableTensor(p.getName(), p, TrainableTensor.decaysByRank(shape(p))));
      hashes.add(hash);
    }
    return List.copyOf(kept);
  }

  private static float[] parameterValues(NDArray p, String source) {
    if (p.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(source + ": parameter " + p.getName() + " is "
          + p.getDataType() + "; every parameter must be float32");
    }
    float[] values = p.toFloatArray();
    for (float v : values) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            source + ": parameter " + p.getName() + " holds a non-finite value");
      }
    }
    return values;
  }

  /** The kept tensor {@code p} aliases, or null. */
  private static TrainableTensor sharedWith(NDArray p, float[] values, int hash,
      List<TrainableTensor> kept, List<Integer> hashes) {
    for (int i = 0; i < kept.size(); i++) {
      NDArray other = kept.get(i).value();
      if (hashes.get(i) == hash && other.getShape().equals(p.getShape())
          && Arrays.equals(other.toFloatArray(), values) && aliases(other, p)) {
        return kept.get(i);
      }
    }
    return null;
  }

  /**
   * Whether two equal, finite tensors share storage: negate one and look at the other.
   * Negating twice restores every value exactly (only the sign bit flips).
   */
  private static boolean aliases(NDArray a, NDArray b) {
    a.negi();
    try {
      return Arrays.equals(a.toFloatArray(), b.toFloatArray());
    } finally {
      a.negi();
    }
  }

  private static long[] shape(NDArray p) {
    return p.getShape().getShape();
  }

  /**
   * Runs the module over a two-token row of ids every vocabulary has (so a smaller vocabulary is
   * reported as such, not as an index error), then over a full-context row and its first half:
   * the logits must be float32 {@code [1, T, V]} with the tokenizer's V, and the positions the
   * two rows share must agree.
   */
  private void checkLogits(String source) {
    long[] ids = new long[contextLength];
    ids[0] = CharTokenizer.BOS;
    for (int t = 1; t < ids.length; t++) {
      ids[t] = 4 + (t * 7) % (VOCAB - 4);
    }
    int half = Math.max(1, contextLength / 2);
    try (NDManager probe = manager.newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      probeLogits(probe, new long[] {CharTokenizer.BOS, CharTokenizer.NEWLINE}, source);
      float[] full = probeLogits(probe, ids, source);
      float[] prefix = probeLogits(probe, Arrays.copyOf(ids, half), source);
      for (int i = 0; i < prefix.length; i++) {
        if (Math.abs(prefix[i] - full[i]) > CAUSALITY_TOLERANCE * (1 + Math.abs(full[i]))) {
          throw new IllegalArgumentException(source + ": the logits of a position change with"
              + " later tokens; forward must be causal");
        }
      }
    }
  }

  private float[] probeLogits(NDManager probe, long[] ids, String source) {
    NDList out;
    try {
      out = forward(probe.create(ids, new Shape(1, ids.length)));
    } catch (EngineException e) {
      throw new IllegalArgumentException(source + ": forward failed on int64 ids [1, "
          + ids.length + "]: " + reason(e.getMessage()), e);
    }
    Shape expected = new Shape(1, ids.length, VOCAB);
    if (out.size() != 1 || out.get(0).getDataType() != DataType.FLOAT32
        || !out.get(0).getShape().equals(expected)) {
      String got = out.size() != 1 ? out.size() + " outputs"
          : out.get(0).getDataType() + " " + out.get(0).getShape();
      throw new IllegalArgumentException(source + ": forward returned " + got + " for ids [1, "
          + ids.length + "]; logits must be float32 " + expected + " (the character tokenizer's "
          + VOCAB + " ids)");
    }
    return out.get(0).toFloatArray();
  }

  /** The module's own forward; autograd records it when the calling thread's grad mode is on. */
  private NDList forward(NDArray ids) {
    JniUtils.setGraphExecutorOptimize(false);
    // true: DJL would otherwise switch autograd off for the call; grad mode is the caller's.
    return IValueUtils.forward(block, new NDList(ids), true);
  }

  @Override
  public int vocabSize() {
    return VOCAB;
  }

  @Override
  public int contextLength() {
    return contextLength;
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public NDArray logits(NDArray ids) {
    return forward(ids).singletonOrThrow();
  }

  /** Only the token budget: the module's internals (and so its activation memory) are opaque. */
  @Override
  public int rowsPerMicroBatch(int width, int tokenBudget) {
    return Math.max(1, tokenBudget / width);
  }

  /** The parameters the optimizer trains, in the module's order. */
  List<TrainableTensor> trainables() {
    return trainables;
  }

  /** Frees the module; the parameter arrays belong to the manager given to {@link #load}. */
  @Override
  public void close() {
    block.close();
  }

  /**
   * One line of a native error: PyTorch's own error line (a TorchScript interpreter error ends
   * with it, after a traceback) or else the first line, shortened.
   */
  private static String reason(String message) {
    if (message == null || message.isBlank()) {
      return "no reason given";
    }
    List<String> lines = message.strip().lines().map(String::strip).toList();
    String line = lines.get(0);
    for (String candidate : lines) {
      if (ERROR_LINE.matcher(candidate).lookingAt()) {
        line = candidate;
      }
    }
    line = line.replaceFirst("\\s*\\(Could this error message be improved\\?.*$", "");
    return line.length() > MAX_ERROR_CHARS ? line.substring(0, MAX_ERROR_CHARS) + "..." : line;
  }
}
