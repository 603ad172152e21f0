package dev.autodidact.model.djl;

import ai.djl.ndarray.NDManager;
import dev.autodidact.model.Completion;
import dev.autodidact.model.ComputeThreads;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.model.djl.CheckpointCodec.TensorState;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's TorchScript model as a policy ({@link TorchScriptModule}): scored and trained through
 * the same {@link PolicyTrainer} and {@link AdamW} as the built-in GPT, sampled without a
 * key/value cache ({@link UncachedSampler}, the same Gumbel-max choice as {@link Sampler}), and
 * checkpointed as {@link TorchScriptCheckpoint} bytes that carry the module itself.
 *
 * <p>Every call runs in the calling thread with this policy's intra-op thread count. Calls on
 * one instance are serialised.
 */
public final class TorchScriptPolicy extends TrainablePolicy {
  private static final Logger LOG = LoggerFactory.getLogger(TorchScriptPolicy.class);

  private final ComputeThreads threads;
  private final NDManager manager;
  private final byte[] moduleBytes;
  private final TorchScriptModule module;
  private final AdamW optimizer;

  private TorchScriptPolicy(ComputeThreads threads, NDManager manager, byte[] moduleBytes,
      TorchScriptModule module, AdamW optimizer, long version) {
    super(new PolicyTrainer(module, optimizer, threads), version);
    this.threads = threads;
    this.manager = manager;
    this.moduleBytes = moduleBytes;
    this.module = module;
    this.optimizer = optimizer;
  }

  /**
   * A fresh policy (version 0, no optimizer state) from a file written by
   * {@code torch.jit.save}.
   *
   * @throws IllegalArgumentException with a one-line message if the file is missing or
   *     unreadable, not TorchScript, or breaks the contract (output shape, vocabulary, context)
   */
  public static TorchScriptPolicy load(Path file, int threads) {
    return load(file, ComputeThreads.uniform(threads));
  }

  public static TorchScriptPolicy load(Path file, ComputeThreads threads) {
    byte[] bytes = readModule(file);
    NDManager manager = newManager();
    try {
      TorchScriptModule module = Torch.inference(threads.scoring(),
          () -> TorchScriptModule.load(bytes, file.toString(), manager));
      LOG.info("Loaded TorchScript policy {} ({} tensors, context {}) on {} with {} threads",
          file, module.trainables().size(), module.contextLength(), Torch.deviceName(), threads);
      return new TorchScriptPolicy(threads, manager, bytes, module,
          AdamW.fresh(module.trainables(), manager), 0);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static byte[] readModule(Path file) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("TorchScript model " + file + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("TorchScript model " + file + " is not a file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read TorchScript model " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether a checkpoint is this policy's kind (by its magic bytes). */
  public static boolean holds(byte[] checkpoint) {
    return TorchScriptCheckpoint.holds(checkpoint);
  }

  /**
   * The exact inverse of {@link #checkpoint()}.
   *
   * @throws IllegalArgumentException with a one-line message if the bytes are not a valid
   *     checkpoint of this kind
   */
  public static TorchScriptPolicy restore(byte[] checkpoint, int threads) {
    return restore(checkpoint, ComputeThreads.uniform(threads));
  }

  public static TorchScriptPolicy restore(byte[] checkpoint, ComputeThreads threads) {
    TorchScriptCheckpoint.State state = TorchScriptCheckpoint.decode(checkpoint);
    NDManager manager = newManager();
    try {
      TorchScriptModule module = Torch.inference(threads.scoring(), () -> {
        TorchScriptModule loaded = TorchScriptModule.load(state.module(), "checkpoint", manager);
        writeWeights(loaded, state);
        return loaded;
      });
      List<float[]> first = new ArrayList<>();
      List<float[]> second = new ArrayList<>();
      for (TensorState t : state.tensors()) {
        first.add(t.first());
        second.add(t.second());
      }
      AdamW optimizer = AdamW.restored(
          module.trainables(), manager, first, second, state.optimizerSteps());
      LOG.info("Restored TorchScript policy at version {} on {} with {} threads",
          state.version(), Torch.deviceName(), threads);
      return new TorchScriptPolicy(
          threads, manager, state.module(), module, optimizer, state.version());
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Overwrites the module's parameters, in place, with the checkpoint's weights. */
  private static void writeWeights(TorchScriptModule module, TorchScriptCheckpoint.State state) {
    if (module.vocabSize() != state.vocabSize()
        || module.contextLength() != state.contextLength()) {
      throw new IllegalArgumentException("TorchScript checkpoint declares vocabulary "
          + state.vocabSize() + " and context " + state.contextLength() + ", its module "
          + module.vocabSize() + " and " + module.contextLength());
    }
    List<TrainableTensor> trainables = module.trainables();
    if (trainables.size() != state.tensors().size()) {
      throw new IllegalArgumentException("TorchScript checkpoint holds " + state.tensors().size()
          + " tensors for its module's " + trainables.size());
    }
    for (int i = 0; i < trainables.size(); i++) {
      TrainableTensor target = trainables.get(i);
      TensorState source = state.tensors().get(i);
      long[] shape = target.value().getShape().getShape();
      if (!source.name().equals(target.name()) || !Arrays.equals(source.shape(), shape)) {
        throw new IllegalArgumentException("TorchScript checkpoint tensor " + source.name()
            + Arrays.toString(source.shape()) + " where its module has " + target.name()
            + Arrays.toString(shape));
      }
      target.value().set(FloatBuffer.wrap(source.weights()));
    }
  }

  private static NDManager newManager() {
    return NDManager.newBaseManager(Torch.device(), Torch.engine().getEngineName());
  }

  @Override
  public int vocabSize() {
    return module.vocabSize();
  }

  @Override
  public int contextLength() {
    return module.contextLength();
  }


  /**
   * Decodes at most {@link Sampler#MAX_ROWS} requests at a time, each new token by a full
   * forward pass; a request's tokens depend only on the weights and its own noise stream.
   */
  @Override
  public synchronized List<Completion> sample(List<SampleRequest> batch) {
    ensureOpen();
    requirePrompts(batch);
    List<Completion> out = new ArrayList<>(batch.size());
    for (int from = 0; from < batch.size(); from += Sampler.MAX_ROWS) {
      int to = Math.min(batch.size(), from + Sampler.MAX_ROWS);
      List<SampleRequest> chunk = batch.subList(from, to);
      out.addAll(Torch.inference(threads.sampling(), () -> UncachedSampler.sample(module, chunk)));
    }
    return out;
  }

  @Override
  public synchronized byte[] checkpoint() {
    ensureOpen();
    List<TensorState> tensors = new ArrayList<>();
    List<TrainableTensor> trainables = module.trainables();
    for (int i = 0; i < trainables.size(); i++) {
      TrainableTensor t = trainables.get(i);
      tensors.add(new TensorState(t.name(), t.value().getShape().getShape(),
          t.value().toFloatArray(),
          optimizer.firstMoments().get(i).toFloatArray(),
          optimizer.secondMoments().get(i).toFloatArray()));
    }
    return TorchScriptCheckpoint.encode(new TorchScriptCheckpoint.State(module.vocabSize(),
        module.contextLength(), optimizer.steps(), version(), moduleBytes, tensors));
  }

  @Override
  void release() {
    module.close();
    manager.close();
  }

  /** For tests: arrays alive under this policy's manager, constant between calls. */
  synchronized int liveArrays() {
    return manager.getManagedArrays().size();
  }

}
