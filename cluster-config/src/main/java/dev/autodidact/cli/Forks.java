package dev.autodidact.cli;

import com.google.protobuf.Message;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.TrainingRun;
import dev.autodidact.persistence.BlobStore;
import dev.autodidact.persistence.JournalDatabase;
import dev.autodidact.persistence.JournalReader;
import dev.autodidact.persistence.ProtobufRegistry;
import dev.autodidact.persistence.proto.Events;
import dev.autodidact.persistence.proto.PolicyUpdated;
import dev.autodidact.persistence.proto.RunForked;
import dev.autodidact.persistence.proto.RunStarted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code replay --mode fork}: a new run that starts from its parent's state after one step and
 * goes on live. The fork's journal begins with the parent's events up to the end of that step,
 * copied verbatim, followed by {@link RunForked}; its blob store gets the checkpoints those
 * events name. So the fork's log stands alone (replay, resume and compare need no parent), and
 * with no override a fork continues exactly as its parent did.
 */
final class Forks {

  /**
   * Settings a fork may not change: the model it inherits is already made, and the seed tasks
   * were drawn when the parent started.
   */
  static final List<String> FIXED = List.of("model", "pretrain", "tasks.seed_tasks_per_type");

  private Forks() {}

  /** Where a fork comes from; recorded in the fork's directory before its journal is written. */
  record Origin(Path parent, long atStep, List<String> overrides) {

    Origin {
      parent = parent.toAbsolutePath().normalize();
      Objects.requireNonNull(overrides, "overrides");
      overrides = List.copyOf(overrides);
      if (atStep < 0) {
        throw new UserError("--at-step must be 0 (the parent's start) or a step the parent finished, not " + atStep);
      }
    }

    /**
     * The settings the parent ran step {@code atStep} with (its first event's, or its last
     * fork's before that step), with the overrides.
     */
    RunSettings settings(List<Message> prefix) {
      Config changes = Settings.overrides(overrides);
      for (Map.Entry<String, ?> entry : changes.entrySet()) {
        String key = entry.getKey();
        if (FIXED.stream().anyMatch(fixed -> key.equals(fixed) || key.startsWith(fixed + "."))) {
          throw new UserError("a fork cannot change " + key + ": it continues the parent's model and task"
              + " buffer; start a new run with autodidact train instead");
        }
      }
      String rendered = null;
      for (Message event : prefix) {
        if (event instanceof RunStarted started) {
          rendered = started.getConfig();
        } else if (event instanceof RunForked forked) {
          rendered = forked.getConfig();
        }
      }
      RunSettings settings;
      try {
        RunSettings recorded = RunSettings.fromRendered(rendered);
        settings = changes.isEmpty() ? recorded : recorded.withOverrides(changes);
      } catch (ConfigException | RunSettings.InvalidSettings e) {
        throw new UserError("--set " + String.join(" --set ", overrides) + ": " + e.getMessage());
      }
      if (settings.steps() <= atStep) {
        throw new UserError("the fork would train nothing: run.steps is " + settings.steps() + " and it starts after"
            + " step " + atStep + "; add --set run.steps=N with N > " + atStep);
      }
      return settings;
    }

    void write(Path file) throws IOException {
      Config config = ConfigFactory.empty()
          .withValue("parent", ConfigValueFactory.fromAnyRef(parent.toString()))
          .withValue("at_step", ConfigValueFactory.fromAnyRef(atStep))
          .withValue("overrides", ConfigValueFactory.fromIterable(overrides));
      RunDirectory.writeAtomically(file, config.root().render(ConfigRenderOptions.concise().setFormatted(true)));
    }

    static Origin read(Path file) {
      try {
        Config config = ConfigFactory.parseFile(file.toFile());
        return new Origin(Path.of(config.getString("parent")), config.getLong("at_step"),
            config.getStringList("overrides"));
      } catch (ConfigException e) {
        throw new UserError("cannot read " + file + ": " + e.getMessage());
      }
    }
  }

  /** What a fork starts from: the parent's events it keeps and the settings it goes on with. */
  record Plan(Origin origin, List<Message> prefix, RunSettings settings) {}

  /** Reads the parent's events up to the end of the fork's step and settles the fork's settings. */
  static Plan plan(Origin origin) throws IOException {
    RunDirectory parent = new RunDirectory(origin.parent());
    if (!parent.holdsRun()) {
      throw new UserError(parent.root() + " holds no run (no run.conf); fork the --out of a train command");
    }
    List<Message> prefix = prefix(parent, origin.atStep());
    return new Plan(origin, prefix, origin.settings(prefix));
  }

  /**
   * Copies the checkpoints the fork needs (the base, for retraining, and the one after its
   * step, to go on from) into its blob store, and returns the command that journals the
   * parent's events with the fork.
   */
  static LocalRun.Opening opening(Plan plan, RunDirectory fork, BlobStore forkBlobs) throws IOException {
    RunDirectory parent = new RunDirectory(plan.origin().parent());
    BlobStore parentBlobs = new BlobStore(parent.blobs());
    for (String checkpoint : checkpoints(plan.prefix())) {
      try {
        // get() checks the bytes against their hash: a damaged parent checkpoint is never copied.
        forkBlobs.put(parentBlobs.get(checkpoint));
      } catch (java.nio.file.NoSuchFileException e) {
        throw new UserError(parent.root() + " lacks checkpoint " + checkpoint + " (blobs/ incomplete); it cannot be"
            + " forked there");
      } catch (dev.autodidact.persistence.CorruptBlobException e) {
        throw new UserError(parent.root() + "'s checkpoint " + checkpoint + " is damaged: " + e.getMessage());
      }
    }
    RunForked forked = RunForked.newBuilder()
        .setRunId(fork.runId())
        .setParentRun(parent.runId())
        .setParentStep(plan.origin().atStep())
        .setConfig(plan.settings().rendered())
        .addAllOverrides(plan.origin().overrides())
        .setParentLocation(parent.root().toString())
        .build();
    return replyTo -> new TrainingRun.Fork(plan.prefix(), forked, replyTo);
  }

  /** The parent's events up to the end of step {@code atStep}, with any fork that follows it. */
  static List<Message> prefix(RunDirectory parent, long atStep) throws IOException {
    List<Message> prefix = new ArrayList<>();
    long[] finishedSteps = {0};
    boolean[] reachedStep = {atStep == 0};
    boolean[] done = {false};
    try (JournalDatabase server = Journals.open(parent)) {
      JournalReader.forEachEvent(server.jdbcUrl(), server.user(), server.password(),
          "TrainingRun|" + parent.runId(), ProtobufRegistry.of(Events.class), event -> {
            if (event instanceof PolicyUpdated) {
              finishedSteps[0]++;
            }
            if (done[0] || (reachedStep[0] && !(event instanceof RunForked) && !(event instanceof RunStarted))) {
              done[0] = true;
              return;
            }
            prefix.add(event);
            if (event instanceof PolicyUpdated update && update.getStep() == atStep) {
              reachedStep[0] = true;
            }
          });
    } catch (java.sql.SQLException e) {
      throw new UserError("cannot read the journal of " + parent.root() + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    } catch (IllegalStateException e) {
      throw new UserError("cannot open the journal of " + parent.root() + " (is it still training? fork it once it"
          + " stops): " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (prefix.isEmpty() || !(prefix.get(0) instanceof RunStarted)) {
      throw new UserError(parent.root() + "'s journal holds no run '" + parent.runId() + "': nothing to fork");
    }
    if (!reachedStep[0]) {
      throw new UserError(parent.root() + " finished " + finishedSteps[0] + " steps; --at-step must be between 0 and "
          + finishedSteps[0]);
    }
    return prefix;
  }

  /** The base checkpoint and the last step's checkpoint (the fork's start), each once. */
  private static Set<String> checkpoints(List<Message> events) {
    Set<String> checkpoints = new LinkedHashSet<>();
    String last = null;
    for (Message event : events) {
      if (event instanceof RunStarted started) {
        checkpoints.add(started.getBaseCheckpoint());
      } else if (event instanceof PolicyUpdated update && !update.getCheckpoint().isEmpty()) {
        last = update.getCheckpoint();
      }
    }
    if (last != null) {
      checkpoints.add(last);
    }
    return checkpoints;
  }
}
