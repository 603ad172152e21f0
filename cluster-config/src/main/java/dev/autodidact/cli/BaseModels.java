package dev.autodidact.cli;

import dev.autodidact.actors.Pretraining;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.task.Task;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.persistence.BlobStore;
import dev.autodidact.persistence.CorruptBlobException;
import dev.autodidact.sandbox.SandboxPool;
import dev.autodidact.sandbox.Verifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretrained base models, cached by the hash of everything that determines them (model
 * shape, corpus, schedule, thread count, corpus version). The cache is a content-addressed
 * blob store plus an index from that key to the checkpoint's SHA-256, under
 * {@code $AUTODIDACT_HOME} (default {@code ~/.cache/autodidact}).
 */
public final class BaseModels {
  private static final Logger log = LoggerFactory.getLogger(BaseModels.class);

  private final Path home;
  private final BlobStore blobs;

  public BaseModels(Path home) throws IOException {
    this.home = home;
    this.blobs = new BlobStore(home.resolve("blobs"));
    Files.createDirectories(home.resolve("base-models"));
  }

  public static Path defaultHome() {
    String configured = System.getenv("AUTODIDACT_HOME");
    return configured != null && !configured.isBlank()
        ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".cache", "autodidact");
  }

  /** What identifies a base model: every setting that changes its bytes. */
  public static String key(RunSettings settings) {
    RunSettings.Pretrain p = settings.pretrain();
    String description = String.join("|", "corpus-v" + Pretraining.CORPUS_VERSION, settings.modelConfig().toString(),
        "programs=" + p.corpusPrograms(), "difficulty=" + p.difficulty(), "seed=" + p.corpusSeed(), "steps=" + p.steps(), "batch=" + p.batch(),
        "lr=" + p.learningRate(), "warmup=" + p.warmupSteps(), "threads=" + settings.threads(),
        "optimizer=" + pretrainingOptimizer(settings), "format=" + settings.tasks().rollouts() + ","
            + settings.tasks().inductionMinInputs() + "," + settings.tasks().inductionMaxInputs());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /**
   * The optimizer settings pretraining uses: all but the learning rate, which pretraining takes
   * from {@code pretrain.learning_rate}. The RL rate is written as the reference default, so a
   * run with another RL rate shares the base model, and keys made before stay valid.
   */
  private static OptimizerConfig pretrainingOptimizer(RunSettings settings) {
    OptimizerConfig o = settings.optimizer();
    return new OptimizerConfig(REFERENCE_RL_LEARNING_RATE, o.beta1(), o.beta2(), o.epsilon(), o.weightDecay(),
        o.gradClipNorm());
  }

  /** {@code optimizer.learning_rate} in reference.conf, as keys have always spelt it. */
  private static final float REFERENCE_RL_LEARNING_RATE = 1e-4f;

  /** The cached base model's checkpoint, or null when there is none (or it is damaged). */
  public byte[] cached(RunSettings settings) throws IOException {
    Path index = home.resolve("base-models").resolve(key(settings));
    if (!Files.exists(index)) {
      return null;
    }
    String hash = Files.readString(index).strip();
    try {
      return blobs.get(hash);
    } catch (CorruptBlobException e) {
      log.warn("cached base model {} is damaged and will be trained again: {}", hash, e.getMessage());
      return null;
    }
  }

  /**
   * The base model for these settings: the user's TorchScript model as it is, or the built-in
   * model, pretrained now if no cached one matches.
   *
   * @throws UserError if the TorchScript model cannot be used
   */
  public byte[] obtain(RunSettings settings, PretrainProgress progress) throws IOException {
    if (settings.usesTorchScript()) {
      return torchScript(settings);
    }
    byte[] cached = cached(settings);
    if (cached != null) {
      return cached;
    }
    List<String> sequences;
    progress.corpus(settings.pretrain().corpusPrograms());
    try (SandboxPool pool = SandboxPool.start(settings.sandboxConfig())) {
      List<Task> tasks = Pretraining.validatedTasks(new Verifier(pool), settings.corpusDifficulty(),
          settings.pretrain().corpusSeed(), 0, Phase.PRETRAIN_CORPUS, settings.pretrain().corpusPrograms(), "p");
      sequences = Pretraining.sequences(tasks, settings.taskFormat(), settings.pretrain().corpusSeed());
      log.info("pretraining corpus: {} tasks, {} sequences", tasks.size(), sequences.size());
    }
    progress.training(settings.pretrain().steps());
    byte[] checkpoint = Pretraining.train(sequences, settings, progress::step);
    String hash = blobs.put(checkpoint);
    RunDirectory.writeAtomically(home.resolve("base-models").resolve(key(settings)), hash + "\n");
    log.info("base model {} cached as {}", key(settings), hash);
    return checkpoint;
  }

  /** A fresh policy's checkpoint of the user's model; nothing to cache, the file is the model. */
  private static byte[] torchScript(RunSettings settings) {
    Path file = Path.of(settings.torchScriptModel()).toAbsolutePath();
    try (Policy policy = Policies.fromTorchScript(file, settings.threads())) {
      log.info("base model: TorchScript {} (context {})", file, policy.contextLength());
      return policy.checkpoint();
    } catch (IllegalArgumentException e) {
      throw new UserError("autodidact.model.torchscript: " + e.getMessage());
    }
  }

  /** Where pretraining is, for a progress display; every method does nothing unless overridden. */
  public interface PretrainProgress {
    default void corpus(int programs) {}

    default void training(int steps) {}

    default void step(int step) {}
  }
}
