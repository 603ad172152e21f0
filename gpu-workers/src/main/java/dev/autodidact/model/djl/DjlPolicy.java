package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.autodidact.model.Completion;
import dev.autodidact.model.ComputeThreads;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.SampleRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in GPT on DJL's PyTorch engine: parameters and AdamW moments owned here, forward
 * pass as explicit tensor math ({@link GptModel}), scoring and training through the shared
 * {@link PolicyTrainer}, sampling with a key/value cache ({@link Sampler}).
 *
 * <p>Training and scoring run in the calling thread with this policy's intra-op thread count;
 * sampling splits its batch over that many threads instead. Calls on one instance are
 * serialised.
 */
public final class DjlPolicy extends TrainablePolicy {
  private static final Logger LOG = LoggerFactory.getLogger(DjlPolicy.class);

  private final ComputeThreads threads;
  private final NDManager manager;
  private final GptParameters params;
  private final AdamW optimizer;
  private ExecutorService samplers;

  private DjlPolicy(
      ComputeThreads threads, NDManager manager, GptParameters params, AdamW optimizer, long version) {
    super(new PolicyTrainer(params, optimizer, threads), version);
    this.threads = threads;
    this.manager = manager;
    this.params = params;
    this.optimizer = optimizer;
  }

  public static DjlPolicy create(GptConfig config, long seed, int threads) {
    return create(config, seed, ComputeThreads.uniform(threads));
  }

  public static DjlPolicy create(GptConfig config, long seed, ComputeThreads threads) {
    NDManager manager = NDManager.newBaseManager(Torch.device(), Torch.engine().getEngineName());
    GptParameters params = GptParameters.initialise(config, seed, manager);
    LOG.info("Created policy {} ({} parameters) on {} with {} threads",
        config, config.parameterCount(), Torch.deviceName(), threads);
    return new DjlPolicy(threads, manager, params, AdamW.fresh(params.trainables(), manager), 0);
  }

  public static DjlPolicy restore(byte[] checkpoint, int threads) {
    return restore(checkpoint, ComputeThreads.uniform(threads));
  }

  public static DjlPolicy restore(byte[] checkpoint, ComputeThreads threads) {
    CheckpointCodec.State state = CheckpointCodec.decode(checkpoint);
    NDManager manager = NDManager.newBaseManager(Torch.device(), Torch.engine().getEngineName());
    List<float[]> weights = new ArrayList<>();
    List<float[]> first = new ArrayList<>();
    List<float[]> second = new ArrayList<>();
    for (CheckpointCodec.TensorState t : state.tensors()) {
      weights.add(t.weights());
      first.add(t.first());
      second.add(t.second());
    }
    GptParameters params = GptParameters.fromValues(state.config(), weights, manager);
    AdamW optimizer = AdamW.restored(
        params.trainables(), manager, first, second, state.optimizerSteps());
    LOG.info("Restored policy {} at version {} on {} with {} threads",
        state.config(), state.version(), Torch.deviceName(), threads);
    return new DjlPolicy(threads, manager, params, optimizer, state.version());
  }

  public static String device() {
    return Torch.deviceName();
  }

  public GptConfig config() {
    return params.config();
  }

  @Override
  public int vocabSize() {
    return config().vocabSize();
  }

  @Override
  public int contextLength() {
    return config().contextLength();
  }


  /**
   * Splits the batch into up to {@code threads} contiguous parts decoded in parallel, each
   * with one intra-op thread: decoding is a stream of small ops, for which two threads on one
   * op cost more in hand-offs than they save (measured here: batch 1 ran 2-3x slower with two
   * intra-op threads). A request's tokens do not depend on the split.
   */
  @Override
  public synchronized List<Completion> sample(List<SampleRequest> batch) {
    ensureOpen();
    requirePrompts(batch);
    int parts = Math.min(threads.sampling(), batch.size());
    if (parts <= 1) {
      return Torch.inference(1, () -> Sampler.sample(params, batch));
    }
    List<Future<List<Completion>>> others = new ArrayList<>();
    int size = (batch.size() + parts - 1) / parts;
    for (int from = size; from < batch.size(); from += size) {
      List<SampleRequest> part = batch.subList(from, Math.min(batch.size(), from + size));
      others.add(samplers().submit(() -> Torch.inference(1, () -> Sampler.sample(params, part))));
    }
    List<Completion> out = new ArrayList<>(batch.size());
    // Every part is awaited, even after a failure: none may outlive this call.
    RuntimeException failure = null;
    try {
      out.addAll(Torch.inference(1, () -> Sampler.sample(params, batch.subList(0, size))));
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<List<Completion>> part : others) {
      try {
        out.addAll(awaitUninterruptibly(part));
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r
              ? r : new IllegalStateException(e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return out;
  }

  private static <T> T awaitUninterruptibly(Future<T> future) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ExecutorService samplers() {
    if (samplers == null) {
      AtomicInteger count = new AtomicInteger();
      samplers = Executors.newFixedThreadPool(threads.sampling() - 1, task -> {
        Thread t = new Thread(task, "policy-sampler-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return samplers;
  }

  @Override
  public synchronized byte[] checkpoint() {
    ensureOpen();
    List<CheckpointCodec.TensorState> tensors = new ArrayList<>();
    List<TensorSpec> specs = params.specs();
    for (int i = 0; i < specs.size(); i++) {
      TensorSpec spec = specs.get(i);
      tensors.add(new CheckpointCodec.TensorState(
          spec.name(),
          spec.shape(),
          params.tensors().get(i).toFloatArray(),
          optimizer.firstMoments().get(i).toFloatArray(),
          optimizer.secondMoments().get(i).toFloatArray()));
    }
    return CheckpointCodec.encode(
        new CheckpointCodec.State(config(), optimizer.steps(), version(), tensors));
  }

  @Override
  void release() {
    if (samplers != null) {
      samplers.shutdownNow();
    }
    manager.close();
  }


  /** For the benchmark only: {@link UncachedSampler} with this policy's intra-op threads. */
  synchronized List<Completion> sampleWithoutKvCache(List<SampleRequest> batch) {
    ensureOpen();
    requirePrompts(batch);
    return Torch.inference(threads.scoring(), () -> UncachedSampler.sample(params, batch));
  }

  // ---- package-private views for tests ----

  /** Log-softmax of every position of a full forward pass over {@code tokens}: {@code [T][V]}. */
  synchronized float[][] fullLogProbs(int[] tokens) {
    return fullForward(tokens, true);
  }

  /** Raw logits of every position of a full forward pass over {@code tokens}: {@code [T][V]}. */
  synchronized float[][] fullLogits(int[] tokens) {
    return fullForward(tokens, false);
  }

  private float[][] fullForward(int[] tokens, boolean logSoftmax) {
    return Torch.inference(threads.scoring(), () -> {
      try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        long[] ids = new long[tokens.length];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = tokens[i];
        }
        NDArray logits = GptModel.logits(params, step.create(ids, new Shape(1, ids.length)));
        NDArray scores = logSoftmax ? logits.logSoftmax(-1) : logits;
        return rows(scores.toFloatArray(), tokens.length);
      }
    });
  }

  /**
   * The same log-softmax rows through the KV cache: prefill {@code tokens[0 .. prefill-1]}, then
   * feed the rest one at a time. Returns rows for positions {@code prefill-1 .. T-1}.
   */
  synchronized float[][] cachedLogProbs(int[] tokens, int prefill) {
    return Torch.inference(threads.scoring(), () -> {
      float[][] out = new float[tokens.length - prefill + 1][];
      try (KvDecoder decoder = new KvDecoder(params)) {
        out[0] = decoder.prefill(
            new int[][] {Arrays.copyOf(tokens, prefill)}, tokens.length - prefill);
        for (int i = prefill; i < tokens.length; i++) {
          out[i - prefill + 1] = decoder.step(new int[] {tokens[i]});
        }
      }
      return out;
    });
  }

  /** Arrays alive under this policy's manager: constant between calls unless something leaks. */
  synchronized int liveArrays() {
    return manager.getManagedArrays().size();
  }

  private static float[][] rows(float[] flat, int count) {
    int width = flat.length / count;
    float[][] out = new float[count][];
    for (int i = 0; i < count; i++) {
      out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    }
    return out;
  }
}
