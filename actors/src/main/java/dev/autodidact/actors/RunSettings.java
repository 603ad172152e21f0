package dev.autodidact.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.autodidact.core.format.TaskFormat;
import dev.autodidact.core.reward.LimitBreakConfig;
import dev.autodidact.core.reward.RewardConfig;
import dev.autodidact.core.world.Difficulty;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.LossConfig;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.sandbox.SandboxConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * Every setting of a run, read once from the {@code autodidact} block of the configuration
 * (defaults in reference.conf). The block itself is kept too, rendered, so that the first
 * event of a run records exactly what it ran with.
 */
public record RunSettings(
    long seed,
    int steps,
    int threads,
    Tasks tasks,
    RewardConfig rewards,
    boolean advantagesOverTokens,
    LimitBreakConfig limitBreaking,
    String externalSolver,
    String modelPreset,
    String torchScriptModel,
    OptimizerConfig optimizer,
    LossConfig loss,
    Pretrain pretrain,
    Sandbox sandbox,
    Inference inference,
    Duration phaseTimeout,
    String rendered) {

  public RunSettings {
    if (inference.engine().equals("onnx") && !torchScriptModel.isEmpty()) {
      throw new InvalidSettings("autodidact.inference.engine = onnx exports the built-in GPT only;"
          + " use engine djl with model.torchscript");
    }
  }

  /** Task and sampling settings. */
  public record Tasks(
      int batchPerType,
      int rollouts,
      int references,
      int inductionMinInputs,
      int inductionMaxInputs,
      int seedTasksPerType,
      int bufferPerType,
      int generatorMaxTokens,
      int answerMaxTokens,
      int programMaxTokens,
      float temperature) {}

  /** Pretraining of the embedded default model. */
  public record Pretrain(
      int corpusPrograms, String difficulty, long corpusSeed, int steps, int batch, float learningRate, int warmupSteps) {}

  /**
   * The verifier's sandbox: an elastic pool of {@code minWorkers} to {@code workers} jailed
   * processes; {@code allowWeakIsolation} runs untrusted code where the host cannot jail it fully.
   */
  public record Sandbox(
      int minWorkers,
      int workers,
      Duration timeout,
      long memoryBytes,
      int maxJobsPerWorker,
      boolean allowWeakIsolation) {}

  /**
   * The InferenceWorker: dynamic batching and threads per phase.
   *
   * @param engine {@code djl} (the policy itself) or {@code onnx} (ONNX Runtime fed with the
   *     policy's weights; rollouts only)
   * @param maxBatch rows sampled in one forward pass
   * @param maxDelay how long a waiting row waits for others to share its batch
   * @param sampleThreads parts a sampling batch is split into, each decoded with one intra-op
   *     thread (a request's tokens do not depend on this)
   * @param scoreThreads intra-op threads of teacher-forced scoring
   */
  public record Inference(String engine, int maxBatch, Duration maxDelay, int sampleThreads, int scoreThreads) {}

  /** Reads the settings; a missing or mistyped key becomes a one-line {@link InvalidSettings}. */
  public static RunSettings from(Config config) {
    try {
      Config c = config.getConfig("autodidact");
      return new RunSettings(
          c.getLong("run.seed"),
          positive(c, "run.steps"),
          positive(c, "run.threads"),
          new Tasks(
              positive(c, "tasks.batch_per_type"),
              positive(c, "tasks.rollouts"),
              c.getInt("tasks.references"),
              c.getInt("tasks.induction_min_inputs"),
              c.getInt("tasks.induction_max_inputs"),
              positive(c, "tasks.seed_tasks_per_type"),
              positive(c, "tasks.buffer_per_type"),
              positive(c, "tasks.generator_max_tokens"),
              positive(c, "tasks.answer_max_tokens"),
              positive(c, "tasks.program_max_tokens"),
              (float) c.getDouble("tasks.temperature")),
          new RewardConfig(
              c.getDouble("rewards.correct"),
              c.getDouble("rewards.wrong"),
              c.getDouble("rewards.malformed"),
              c.getDouble("rewards.invalid_proposal"),
              c.getDouble("rewards.w_dp"),
              c.getDouble("rewards.w_learn")),
          c.getBoolean("rewards.advantages_over_tokens"),
          new LimitBreakConfig(
              c.getBoolean("limit_breaking.enabled"),
              selection(c.getString("limit_breaking.selection")),
              c.getDouble("limit_breaking.gamma"),
              c.getDouble("limit_breaking.tau"),
              positive(c, "limit_breaking.buffer"),
              c.getDouble("limit_breaking.budget"),
              c.getDouble("limit_breaking.random_probability")),
          externalSolver(c.getString("limit_breaking.external_solver")),
          modelPreset(c.getString("model.preset")),
          c.getString("model.torchscript").strip(),
          new OptimizerConfig(
              (float) c.getDouble("optimizer.learning_rate"),
              (float) c.getDouble("optimizer.beta1"),
              (float) c.getDouble("optimizer.beta2"),
              (float) c.getDouble("optimizer.epsilon"),
              (float) c.getDouble("optimizer.weight_decay"),
              (float) c.getDouble("optimizer.grad_clip")),
          new LossConfig((float) c.getDouble("loss.clip_ratio"), (float) c.getDouble("loss.entropy")),
          new Pretrain(
              positive(c, "pretrain.corpus_programs"),
              difficulty(c.getString("pretrain.difficulty")),
              c.getLong("pretrain.corpus_seed"),
              c.getInt("pretrain.steps"),
              positive(c, "pretrain.batch"),
              (float) c.getDouble("pretrain.learning_rate"),
              c.getInt("pretrain.warmup_steps")),
          new Sandbox(
              Math.min(positive(c, "sandbox.min_workers"), positive(c, "sandbox.workers")),
              positive(c, "sandbox.workers"),
              c.getDuration("sandbox.timeout"),
              c.getBytes("sandbox.memory"),
              positive(c, "sandbox.max_jobs_per_worker"),
              c.getBoolean("sandbox.allow_weak_isolation")),
          new Inference(
              engine(c.getString("inference.engine")),
              positive(c, "inference.max_batch"),
              c.getDuration("inference.max_delay"),
              positive(c, "inference.sample_threads"),
              positive(c, "inference.score_threads")),
          c.getDuration("phase_timeout"),
          c.root().render(ConfigRenderOptions.concise().setFormatted(true)));
    } catch (ConfigException e) {
      throw new InvalidSettings(e.getMessage());
    }
  }

  /**
   * These settings with some keys replaced, e.g. for a replay under another configuration.
   *
   * @param overrides keys relative to {@code autodidact}
   */
  public RunSettings withOverrides(Config overrides) {
    Config block = overrides.withFallback(ConfigFactory.parseString(rendered));
    return from(block.atKey("autodidact").withFallback(ConfigFactory.defaultReference()).resolve());
  }

  /** Settings from a rendered {@code autodidact} block, as recorded in a run's first event. */
  public static RunSettings fromRendered(String rendered) {
    Config block = ConfigFactory.parseString(rendered);
    return from(block.atKey("autodidact").withFallback(ConfigFactory.defaultReference()));
  }

  public TaskFormat taskFormat() {
    return new TaskFormat(tasks.rollouts(), tasks.inductionMinInputs(), tasks.inductionMaxInputs());
  }

  public SandboxConfig sandboxConfig() {
    return SandboxConfig.defaults()
        .withWorkers(sandbox.minWorkers(), sandbox.workers())
        .withTimeout(sandbox.timeout())
        .withMemoryBytes(sandbox.memoryBytes())
        .withMaxJobsPerWorker(sandbox.maxJobsPerWorker())
        .withAllowWeakIsolation(sandbox.allowWeakIsolation());
  }

  /** Whether the run trains a user's TorchScript model ({@code model.torchscript}). */
  public boolean usesTorchScript() {
    return !torchScriptModel.isEmpty();
  }

  /** What the run trains, for a summary: the TorchScript file, or the built-in preset. */
  public String modelName() {
    return usesTorchScript() ? torchScriptModel : modelPreset;
  }

  /** The built-in model's shape; not used when {@link #usesTorchScript()}. */
  public GptConfig modelConfig() {
    return switch (modelPreset) {
      case "tiny" -> GptConfig.tiny();
      case "medium" -> GptConfig.medium();
      default -> GptConfig.small();
    };
  }

  /** A setting that cannot be used, with what to do about it, in one line. */
  public static final class InvalidSettings extends RuntimeException {
    public InvalidSettings(String message) {
      super(message);
    }
  }

  private static int positive(Config c, String path) {
    int value = c.getInt(path);
    if (value <= 0) {
      throw new InvalidSettings("autodidact." + path + " must be a positive integer, not " + value);
    }
    return value;
  }

  private static LimitBreakConfig.Selection selection(String value) {
    try {
      return LimitBreakConfig.Selection.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidSettings(
          "autodidact.limit_breaking.selection must be 'utility' or 'random', not '" + value + "'");
    }
  }

  private static String externalSolver(String value) {
    if (!value.equals("oracle")) {
      throw new InvalidSettings("autodidact.limit_breaking.external_solver: only 'oracle' is built in, not '"
          + value + "'");
    }
    return value;
  }

  private static String difficulty(String value) {
    if (!value.equals("easy") && !value.equals("medium") && !value.equals("hard")) {
      throw new InvalidSettings("autodidact.pretrain.difficulty must be easy, medium or hard, not '" + value + "'");
    }
    return value;
  }

  /** The grammar difficulty of the pretraining corpus. */
  public Difficulty corpusDifficulty() {
    return switch (pretrain.difficulty()) {
      case "medium" -> Difficulty.medium();
      case "hard" -> Difficulty.hard();
      default -> Difficulty.easy();
    };
  }

  private static String modelPreset(String value) {
    if (!value.equals("tiny") && !value.equals("small") && !value.equals("medium")) {
      throw new InvalidSettings("autodidact.model.preset must be tiny, small or medium, not '" + value + "'");
    }
    return value;
  }

  private static String engine(String value) {
    if (!value.equals("djl") && !value.equals("onnx")) {
      throw new InvalidSettings("autodidact.inference.engine must be djl or onnx, not '" + value + "'");
    }
    return value;
  }
}
