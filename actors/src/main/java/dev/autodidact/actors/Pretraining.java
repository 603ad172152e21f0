package dev.autodidact.actors;

import dev.autodidact.core.format.Proposal;
import dev.autodidact.core.format.TaskFormat;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.core.task.Task;
import dev.autodidact.core.task.TaskType;
import dev.autodidact.core.world.Difficulty;
import dev.autodidact.core.world.ProgramGenerator;
import dev.autodidact.core.world.ProgramSample;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.model.TrainStats;
import dev.autodidact.sandbox.Verifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's base model: a small transformer fitted to a synthetic corpus of the
 * task formats. The corpus's programs come from the micro-world grammar and its answers from
 * the real executor; the generator's k labels are drawn at random, so the base model starts
 * with no idea how hard its own tasks are, as the paper's base model does.
 */
public final class Pretraining {
  /** Inputs per corpus program: the first serves deduction, the second abduction, all induction. */
  static final int INPUTS_PER_PROGRAM = 4;
  /** Bumped whenever the corpus or the procedure changes, so cached base models are not reused. */
  public static final int CORPUS_VERSION = 1;
  /** Steps the NaN/Inf guard may skip before pretraining is declared diverged. */
  static final int MAX_SKIPPED_STEPS = 10;
  private static final Logger log = LoggerFactory.getLogger(Pretraining.class);

  private Pretraining() {}

  /**
   * Draws {@code count} programs from the grammar and keeps those the executor validates,
   * as tasks of all three types.
   */
  public static List<Task> validatedTasks(
      Verifier verifier, Difficulty difficulty, long seed, long step, Phase phase, int count, String idPrefix) {
    ProgramGenerator generator = new ProgramGenerator(difficulty);
    List<ProgramSample> samples = new ArrayList<>(count);
    List<CompletableFuture<Verifier.Validation>> validations = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ProgramSample sample = generator.generate(SeedStream.of(seed, step, phase, i), INPUTS_PER_PROGRAM);
      samples.add(sample);
      validations.add(verifier.validate(sample.program(), sample.inputs()));
    }
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Verifier.Validation validation = validations.get(i).join();
      if (!validation.valid()) {
        continue;
      }
      ProgramSample sample = samples.get(i);
      List<String> inputs = sample.inputs();
      List<String> outputs = validation.outputs();
      String message = "returns " + kind(outputs.get(0));
      String id = idPrefix + i + "-";
      tasks.add(new Task(id + "D", TaskType.DEDUCTION, sample.program(), inputs.subList(0, 1),
          outputs.subList(0, 1), "", -1));
      tasks.add(new Task(id + "A", TaskType.ABDUCTION, sample.program(), inputs.subList(1, 2),
          outputs.subList(1, 2), "", -1));
      tasks.add(new Task(id + "I", TaskType.INDUCTION, sample.program(), inputs, outputs, message, -1));
    }
    return tasks;
  }

  /** A short, truthful description of a Python literal's type, for induction messages. */
  static String kind(String literal) {
    if (literal.startsWith("'") || literal.startsWith("\"")) {
      return "a string";
    } else if (literal.startsWith("[")) {
      return "a list";
    } else if (literal.startsWith("(")) {
      return "a tuple";
    } else if (literal.equals("True") || literal.equals("False")) {
      return "a bool";
    }
    return "an int";
  }

  /**
   * The training texts: for every task, the generator's prompt and answer (with a reference
   * task of the same type and a random k) and the solver's prompt and gold answer.
   */
  /**
   * The programs training itself is given: the pretraining corpus's and the run's seed tasks'
   * (generated the same way, before validation). An evaluation suite leaves these out, so that
   * a held-out score never counts a program the policy was trained on.
   */
  public static Set<String> trainingPrograms(RunSettings settings) {
    Set<String> programs = new HashSet<>();
    ProgramGenerator corpus = new ProgramGenerator(settings.corpusDifficulty());
    for (int i = 0; i < settings.pretrain().corpusPrograms(); i++) {
      programs.add(corpus.generate(SeedStream.of(settings.pretrain().corpusSeed(), 0, Phase.PRETRAIN_CORPUS, i),
          INPUTS_PER_PROGRAM).program());
    }
    ProgramGenerator seeds = new ProgramGenerator(Difficulty.easy());
    for (int i = 0; i < settings.tasks().seedTasksPerType(); i++) {
      programs.add(seeds.generate(SeedStream.of(settings.seed(), 0, Phase.REFERENCE_TASKS, i), INPUTS_PER_PROGRAM)
          .program());
    }
    return programs;
  }

  public static List<String> sequences(List<Task> tasks, TaskFormat format, long seed) {
    List<String> sequences = new ArrayList<>(tasks.size() * 2);
    for (int i = 0; i < tasks.size(); i++) {
      Task task = tasks.get(i);
      SeedStream stream = SeedStream.of(seed, 0, Phase.PRETRAIN_CORPUS, i);
      Task reference = tasks.get(stream.nextInt(tasks.size()));
      List<Task> references = reference.type() == task.type() && reference != task ? List.of(reference) : List.of();
      int k = stream.nextInt(format.rollouts() + 1);
      Proposal proposal = new Proposal(task.type(), task.program(), task.inputs(), task.message(), k);
      sequences.add(format.generatorPrompt(task.type(), references) + format.generatorAnswer(proposal));
      sequences.add(format.solverPrompt(task) + format.goldSolverAnswer(task));
    }
    return sequences;
  }

  /**
   * Fits a freshly initialised policy to the sequences with next-token cross-entropy, in
   * batches drawn from the run's seeded streams, with linear warm-up and cosine decay.
   * Returns the checkpoint bytes.
   */
  public static byte[] train(List<String> sequences, RunSettings settings, IntConsumer onStep) {
    RunSettings.Pretrain config = settings.pretrain();
    int skipped = 0;
    try (Policy policy = Policies.create(settings.modelConfig(), config.corpusSeed(), settings.threads())) {
      for (int step = 1; step <= config.steps(); step++) {
        SeedStream batchStream = SeedStream.of(config.corpusSeed(), step, Phase.PRETRAIN_BATCH, 0);
        List<int[]> batch = new ArrayList<>(config.batch());
        for (int b = 0; b < config.batch(); b++) {
          batch.add(Generations.TOKENIZER.encode(sequences.get(batchStream.nextInt(sequences.size()))));
        }
        TrainStats stats = policy.supervisedStep(batch, optimizer(settings, step));
        if (stats.skipped()) {
          // The guard left the weights untouched; a rare bad batch is survivable, a run of them is not.
          skipped++;
          log.warn("pretraining step {} skipped: {}", step, stats.skipReason());
          if (skipped > MAX_SKIPPED_STEPS) {
            throw new IllegalStateException("pretraining diverged: " + skipped + " steps skipped, the last at step "
                + step + " (" + stats.skipReason() + "); lower autodidact.pretrain.learning_rate");
          }
        } else if (step % 50 == 0 || step == config.steps()) {
          log.info("pretraining step {}: loss {}", step, String.format(java.util.Locale.ROOT, "%.4f", stats.loss()));
        }
        onStep.accept(step);
      }
      return policy.checkpoint();
    }
  }

  private static OptimizerConfig optimizer(RunSettings settings, int step) {
    RunSettings.Pretrain config = settings.pretrain();
    double scale;
    if (step <= config.warmupSteps()) {
      scale = (double) step / Math.max(1, config.warmupSteps());
    } else {
      double progress = (double) (step - config.warmupSteps()) / Math.max(1, config.steps() - config.warmupSteps());
      scale = 0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    OptimizerConfig base = settings.optimizer();
    return new OptimizerConfig((float) (config.learningRate() * scale), base.beta1(), base.beta2(), base.epsilon(),
        base.weightDecay(), base.gradClipNorm());
  }
}
