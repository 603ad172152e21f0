package dev.autodidact.model;

import dev.autodidact.model.djl.DjlBench;
import dev.autodidact.model.djl.DjlPolicy;
import dev.autodidact.model.djl.OnnxExporter;
import dev.autodidact.model.djl.TorchScriptPolicy;
import dev.autodidact.model.onnx.OnnxRolloutEngine;
import java.nio.file.Path;
import java.util.List;

/** Creates policies; the engine behind them stays hidden. */
public final class Policies {
  private Policies() {}

  /**
   * A freshly initialised policy. Parameter {@code i} is drawn from
   * {@code SeedStream.of(seed, 0, Phase.MODEL_INIT, i)}.
   *
   * @param threads intra-op threads used by this policy's calls (part of a run's config:
   *     1 and 2 threads differ in the last bits)
   */
  public static Policy create(GptConfig config, long seed, int threads) {
    return create(config, seed, ComputeThreads.uniform(threads));
  }

  /** Like {@link #create(GptConfig, long, int)} with threads per kind of work. */
  public static Policy create(GptConfig config, long seed, ComputeThreads threads) {
    return DjlPolicy.create(config, seed, threads);
  }

  /**
   * A user's model, saved with {@code torch.jit.save}, as a fresh trainable policy (version 0).
   * The contract it must meet is in {@code gpu-workers/scripts/make_torchscript_fixture.py}:
   * {@code forward} maps int64 ids {@code [B, T]} to float32 logits {@code [B, T, 99]}
   * causally, and the module exports {@code context_length()}.
   *
   * @throws IllegalArgumentException with a one-line message if the file is missing or
   *     unreadable, not TorchScript, or breaks the contract
   */
  public static Policy fromTorchScript(Path file, int threads) {
    return TorchScriptPolicy.load(file, ComputeThreads.uniform(threads));
  }

  /**
   * The exact inverse of {@link Policy#checkpoint()}, for either kind of policy (the
   * checkpoint's magic bytes tell which).
   *
   * @throws IllegalArgumentException with a one-line message if the bytes are not a valid
   *     checkpoint (truncated, corrupted, unknown format)
   */
  public static Policy restore(byte[] checkpoint, int threads) {
    return restore(checkpoint, ComputeThreads.uniform(threads));
  }

  /** Like {@link #restore(byte[], int)} with threads per kind of work. */
  public static Policy restore(byte[] checkpoint, ComputeThreads threads) {
    return TorchScriptPolicy.holds(checkpoint)
        ? TorchScriptPolicy.restore(checkpoint, threads)
        : DjlPolicy.restore(checkpoint, threads);
  }

  /**
   * The policy's current weights as an ONNX model: a decoder with a key/value cache whose
   * interface is {@link OnnxSignature}, the weights as initializers under their checkpoint names,
   * and the policy version in its metadata. Deterministic: the same weights give the same bytes.
   */
  public static byte[] exportOnnx(Policy policy) {
    return OnnxExporter.export(policy.checkpoint());
  }

  /**
   * A rollout engine on ONNX Runtime fed with the policy's current weights (through
   * {@link #exportOnnx}): it samples and scores like the policy, but cannot train, and keeps
   * the weights of {@link Policy#version()} at the time of this call. Close it when done.
   *
   * @param threads ONNX Runtime intra-op threads
   */
  public static RolloutEngine onnxRollouts(Policy policy, int threads) {
    return OnnxRolloutEngine.create(exportOnnx(policy), threads);
  }

  /**
   * Like {@link #onnxRollouts(Policy, int)} from a checkpoint's bytes, without building a
   * trainable policy first (what a rollout worker holds after fetching a checkpoint).
   *
   * @throws IllegalArgumentException with a one-line message if the bytes are not a valid
   *     checkpoint
   */
  public static RolloutEngine onnxRollouts(byte[] checkpoint, int threads) {
    return OnnxRolloutEngine.create(OnnxExporter.export(checkpoint), threads);
  }

  /** The device policies run on: {@code "cpu"} or {@code "gpu(0)"}. */
  public static String device() {
    return DjlPolicy.device();
  }

  // ---- for ModelBench only: this class is the one door to the engine ----

  static double matmulGflops(int n, int multiplies, int repeats, int threads, long seed) {
    return DjlBench.matmulGflops(n, multiplies, repeats, threads, seed);
  }

  static List<Completion> sampleWithoutKvCache(Policy policy, List<SampleRequest> batch) {
    return DjlBench.sampleWithoutKvCache(policy, batch);
  }

  static String onnxProvider(RolloutEngine engine) {
    if (!(engine instanceof OnnxRolloutEngine onnx)) {
      throw new IllegalArgumentException("not an ONNX Runtime engine: " + engine.getClass().getName());
    }
    return onnx.provider();
  }
}
