package dev.autodidact.cli;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.Completion;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.ModelBench;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.model.RolloutEngine;
import dev.autodidact.model.SampleRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autodidact bench model}: training and sampling throughput of the policy, against the
 * machine's fp32 matrix-multiply peak, a no-KV-cache sampler and the ONNX Runtime rollout engine
 * measured in the same run on the same weights.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = {"Measure the fp32 matrix-multiply peak (DJL/PyTorch), training throughput and MFU of the"
        + " ~1M and ~5M parameter policies, sampling throughput with the KV cache at batch 1/16/64 and"
        + " without it at batch 64, and ONNX Runtime's KV-cache sampling at batch 1/64 on the same weights,"
        + " and print one JSON object.",
        "Progress goes to standard error."})
final class BenchModelCommand implements Callable<Integer> {
  static final long SEED = 20_241_130L;
  static final String FLOPS_FORMULA = "6*N + 12*L*T*d per trained token: the model FLOPs of MFU as PaLM"
      + " defines it (Chowdhery et al. 2022, appendix B; nanoGPT's estimate_mfu), N = parameters that take part"
      + " in a matrix multiply (all but the position embeddings; the tied token embedding is the output head),"
      + " L = layers, T = context length, d = embedding width; attention's T x T products are counted whole."
      + " train_mfu_*_causal counts them half, as a causal mask lets a kernel skip (6*N + 6*L*T*d)";
  static final String PROMPT = "def f(x):\n    return ";
  static final int[] ONNX_BATCHES = {1, 64};

  @Spec
  CommandSpec spec;

  @Option(names = "--quick", description = "a fast, rough variant (small matrices, few steps, short samples)")
  boolean quick;

  @Option(names = "--threads", paramLabel = "N",
      description = "intra-op threads for the matmul peak and training, parallel sampling parts (default: cores)")
  Integer threads;

  /** What one run measures; {@link #quick()} is for tests. */
  record Plan(int[] matmulSizes, int matmulRepeats, int trainSequences, int trainWarmupSteps, int trainSteps,
      int maxNewTokens, int sampleRepeats, int noKvRepeats) {
    static Plan full() {
      return new Plan(new int[] {256, 512, 1024, 2048}, 5, 8, 1, 5, 64, 5, 2);
    }

    static Plan quick() {
      return new Plan(new int[] {256, 512}, 2, 2, 1, 1, 8, 1, 1);
    }
  }

  @Override
  public Integer call() {
    Main.logTo(BaseModels.defaultHome().resolve("autodidact.log"));
    int cores = Runtime.getRuntime().availableProcessors();
    int used = threads == null ? cores : threads;
    if (used <= 0) {
      throw new UserError("--threads must be positive, got " + used);
    }
    Plan plan = quick ? Plan.quick() : Plan.full();
    Double loadAtStart = BenchSandboxCommand.oneMinuteLoad();

    // The peak is measured before and after the training measurements and the higher one
    // kept: a shared CPU's speed drifts, and a peak caught in a slow moment would flatter MFU.
    Map<String, Double> matmulBefore = matmulGflopsBySize(plan, used);
    GptConfig small = GptConfig.small();
    GptConfig medium = GptConfig.medium();
    double train1m = trainTokensPerSecond(small, used, plan);
    System.err.printf("train %d parameters: %.0f tokens/s%n", small.parameterCount(), train1m);
    double train5m = trainTokensPerSecond(medium, used, plan);
    System.err.printf("train %d parameters: %.0f tokens/s%n", medium.parameterCount(), train5m);
    Map<String, Double> matmulAfter = matmulGflopsBySize(plan, used);
    double peakBefore = best(matmulBefore);
    double peakAfter = best(matmulAfter);
    double peak = Math.max(peakBefore, peakAfter);
    Map<String, Object> matmul = new LinkedHashMap<>();
    matmul.put("before_training", matmulBefore);
    matmul.put("after_training", matmulAfter);

    Map<Integer, Double> kv = new LinkedHashMap<>();
    double noKv;
    Map<Integer, Double> onnx = new LinkedHashMap<>();
    double onnxLoadSeconds;
    String onnxProvider;
    try (Policy policy = Policies.create(small, SEED, used)) {
      for (int batch : new int[] {1, 16, 64}) {
        kv.put(batch, sampleTokensPerSecond(policy::sample, batch, plan.maxNewTokens(), plan.sampleRepeats()));
        System.err.printf("sample batch %d with KV cache: %.0f tokens/s%n", batch, kv.get(batch));
      }
      noKv = sampleTokensPerSecond(requests -> ModelBench.sampleWithoutKvCache(policy, requests), 64,
          plan.maxNewTokens(), plan.noKvRepeats());
      System.err.printf("sample batch 64 without KV cache: %.0f tokens/s%n", noKv);
      long loadStart = System.nanoTime();
      try (RolloutEngine engine = Policies.onnxRollouts(policy, used)) {
        onnxLoadSeconds = (System.nanoTime() - loadStart) / 1e9;
        onnxProvider = ModelBench.onnxProvider(engine);
        for (int batch : ONNX_BATCHES) {
          onnx.put(batch, sampleTokensPerSecond(engine::sample, batch, plan.maxNewTokens(), plan.sampleRepeats()));
          System.err.printf("sample batch %d on ONNX Runtime (%s): %.0f tokens/s%n", batch, onnxProvider,
              onnx.get(batch));
        }
      }
    }
    Double loadAtEnd = BenchSandboxCommand.oneMinuteLoad();

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("matmul_peak_gflops", peak);
    report.put("matmul_peak_gflops_before_training", peakBefore);
    report.put("matmul_peak_gflops_after_training", peakAfter);
    report.put("train_tokens_per_s_1m", train1m);
    report.put("train_mfu_1m", mfu(flopsPerToken(small), train1m, peak));
    report.put("train_tokens_per_s_5m", train5m);
    report.put("train_mfu_5m", mfu(flopsPerToken(medium), train5m, peak));
    report.put("train_mfu_1m_causal", mfu(causalFlopsPerToken(small), train1m, peak));
    report.put("train_mfu_5m_causal", mfu(causalFlopsPerToken(medium), train5m, peak));
    report.put("sample_tokens_per_s_b1_kv", kv.get(1));
    report.put("sample_tokens_per_s_b16_kv", kv.get(16));
    report.put("sample_tokens_per_s_b64_kv", kv.get(64));
    report.put("sample_tokens_per_s_b64_nokv", noKv);
    report.put("kv_batch_speedup", kv.get(64) / kv.get(1));
    report.put("kv_vs_nokv_speedup_b64", kv.get(64) / noKv);
    report.put("onnx_vs_djl_sampling", onnx.get(64) / kv.get(64));
    report.put("onnx_vs_djl_sampling_b1", onnx.get(1) / kv.get(1));
    report.put("sample_tokens_per_s_b1_onnx", onnx.get(1));
    report.put("sample_tokens_per_s_b64_onnx", onnx.get(64));
    report.put("onnx_export_and_load_s", onnxLoadSeconds);
    report.put("onnx_provider", onnxProvider);
    report.put("onnx_note", "onnx_vs_djl_sampling = sample_tokens_per_s_b64_onnx / sample_tokens_per_s_b64_kv"
        + " (batch 64; onnx_vs_djl_sampling_b1 the same at batch 1): the ONNX Runtime rollout engine"
        + " (Policies.onnxRollouts) on the same ~1M model's weights with the same requests, an untimed call first,"
        + " then " + plan.sampleRepeats() + " timed; one session with " + used + " intra-op threads decodes the"
        + " whole batch in one pass per token. onnx_export_and_load_s: exporting the weights and creating the"
        + " session");
    report.put("flops_formula", FLOPS_FORMULA);
    report.put("train_flops_per_token_1m", flopsPerToken(small));
    report.put("train_flops_per_token_5m", flopsPerToken(medium));
    report.put("params_1m", small.parameterCount());
    report.put("params_5m", medium.parameterCount());
    report.put("model_1m", describe(small));
    report.put("model_5m", describe(medium));
    report.put("matmul_gflops_by_size", matmul);
    report.put("matmul_note", "best of " + plan.matmulRepeats() + " timed rounds per size after an untimed one;"
        + " square fp32 NDArray.matMul, 2*n^3 FLOPs per product, " + used + " intra-op threads; measured before"
        + " and after the training measurements, matmul_peak_gflops is the higher of the two");
    report.put("train_note", plan.trainSequences() + " random sequences of full context length per"
        + " Policy.supervisedStep (AdamW defaults), " + plan.trainWarmupSteps() + " untimed step(s) then "
        + plan.trainSteps() + " timed; tokens = trained target tokens; " + used + " intra-op threads");
    report.put("sample_note", "Policy.sample on the ~1M model, batches of one fixed " + PROMPT.length()
        + "-character prompt, maxNewTokens " + plan.maxNewTokens() + ", temperature 1.0, a SeedStream per request,"
        + " counting generated tokens (EOS included); an untimed call first, then " + plan.sampleRepeats()
        + " timed. Policy.sample splits a batch into min(threads, batch) parts decoded in parallel with 1"
        + " intra-op thread each (batch 1 therefore runs on 1 thread)");
    report.put("nokv_note", "the same batch-64 requests, every token recomputing the full forward pass over"
        + " the whole sequence (no KV cache), in one thread with " + used + " intra-op threads; an untimed call"
        + " first, then " + plan.noKvRepeats() + " timed");
    report.put("max_new_tokens", plan.maxNewTokens());
    report.put("quick", quick);
    report.put("load_average", loadAverage(loadAtStart, loadAtEnd));
    report.put("device", Policies.device());
    report.put("threads", used);
    report.put("cores", cores);
    report.put("seed", SEED);
    spec.commandLine().getOut().println(MetricsFiles.json(report));
    return 0;
  }

  private static Map<String, Double> matmulGflopsBySize(Plan plan, int threads) {
    Map<String, Double> bySize = new LinkedHashMap<>();
    for (int n : plan.matmulSizes()) {
      double gflops = ModelBench.matmulGflops(n, multipliesFor(n), plan.matmulRepeats(), threads, SEED);
      bySize.put(Integer.toString(n), gflops);
      System.err.printf("matmul %d: %.1f GFLOP/s%n", n, gflops);
    }
    return bySize;
  }

  private static double best(Map<String, Double> gflopsBySize) {
    return gflopsBySize.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  /** Products per timed round: about as many FLOPs as one 1024 product, at least one. */
  static int multipliesFor(int n) {
    return (int) Math.max(1, Math.round(Math.pow(1024.0 / n, 3)));
  }

  /** Model FLOPs per trained token, {@code 6 N + 12 L T d} (see {@link #FLOPS_FORMULA}). */
  static double flopsPerToken(GptConfig config) {
    return 6.0 * matmulParameters(config) + 12.0 * attentionTerm(config);
  }

  /** The same with attention's products counted half, {@code 6 N + 6 L T d}. */
  static double causalFlopsPerToken(GptConfig config) {
    return 6.0 * matmulParameters(config) + 6.0 * attentionTerm(config);
  }

  /** Parameters used in a matrix multiply: all but the position embeddings (added, not multiplied). */
  static long matmulParameters(GptConfig config) {
    return config.parameterCount() - (long) config.contextLength() * config.embedDim();
  }

  private static double attentionTerm(GptConfig config) {
    return (double) config.layers() * config.contextLength() * config.embedDim();
  }

  /** Model FLOPs utilisation: achieved model FLOP/s over the measured peak (GFLOP/s). */
  static double mfu(double flopsPerToken, double tokensPerSecond, double peakGflops) {
    if (!(peakGflops > 0)) {
      throw new IllegalArgumentException("peak must be positive: " + peakGflops);
    }
    return flopsPerToken * tokensPerSecond / (peakGflops * 1e9);
  }

  private static double trainTokensPerSecond(GptConfig config, int threads, Plan plan) {
    try (Policy policy = Policies.create(config, SEED, threads)) {
      OptimizerConfig opt = OptimizerConfig.defaults();
      int step = 0;
      for (int i = 0; i < plan.trainWarmupSteps(); i++) {
        policy.supervisedStep(randomSequences(config, plan.trainSequences(), step++), opt);
      }
      long tokens = 0;
      long nanos = 0;
      for (int i = 0; i < plan.trainSteps(); i++) {
        List<int[]> batch = randomSequences(config, plan.trainSequences(), step++);
        long start = System.nanoTime();
        tokens += policy.supervisedStep(batch, opt).tokens();
        nanos += System.nanoTime() - start;
      }
      return tokens / (nanos / 1e9);
    }
  }

  /** Printable-character ids (never PAD, BOS or EOS), exactly the context long. */
  static List<int[]> randomSequences(GptConfig config, int count, long step) {
    List<int[]> sequences = new ArrayList<>(count);
    for (int s = 0; s < count; s++) {
      SeedStream stream = SeedStream.of(SEED, step, Phase.EVAL, s);
      int[] ids = new int[config.contextLength()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = CharTokenizer.NEWLINE + stream.nextInt(config.vocabSize() - CharTokenizer.NEWLINE);
      }
      sequences.add(ids);
    }
    return sequences;
  }

  private static double sampleTokensPerSecond(Function<List<SampleRequest>, List<Completion>> sampler,
      int batch, int maxNewTokens, int repeats) {
    sampler.apply(requests(batch, maxNewTokens, 0));
    long tokens = 0;
    long nanos = 0;
    for (int r = 1; r <= repeats; r++) {
      List<SampleRequest> requests = requests(batch, maxNewTokens, r);
      long start = System.nanoTime();
      List<Completion> completions = sampler.apply(requests);
      nanos += System.nanoTime() - start;
      tokens += completions.stream().mapToLong(c -> c.tokens().length).sum();
    }
    return tokens / (nanos / 1e9);
  }

  private static List<SampleRequest> requests(int batch, int maxNewTokens, long round) {
    int[] prompt = new CharTokenizer().encode(PROMPT);
    List<SampleRequest> requests = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      requests.add(new SampleRequest(prompt, maxNewTokens, 1f, SeedStream.of(SEED, round, Phase.SOLVE, i)));
    }
    return requests;
  }

  private static Map<String, Object> describe(GptConfig config) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("parameters", config.parameterCount());
    model.put("vocab", config.vocabSize());
    model.put("context", config.contextLength());
    model.put("embed_dim", config.embedDim());
    model.put("layers", config.layers());
    model.put("heads", config.heads());
    return model;
  }

  private static Map<String, Object> loadAverage(Double start, Double end) {
    Map<String, Object> load = new LinkedHashMap<>();
    load.put("start_1min", start);
    load.put("end_1min", end);
    return load;
  }
}
