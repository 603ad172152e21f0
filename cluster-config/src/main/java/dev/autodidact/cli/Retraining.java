package dev.autodidact.cli;

import dev.autodidact.actors.Learner;
import dev.autodidact.actors.Replay;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.persistence.BlobStore;
import dev.autodidact.persistence.proto.PolicyUpdated;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code replay --mode retrain}: the learner run again over every step's recorded samples,
 * from the run's base checkpoint, under the recorded settings or some learner settings
 * replaced. Each update is exactly the learner actor's ({@link Learner#update}); its
 * checkpoints go to the replay's own blob store.
 */
final class Retraining implements Replay.Update, AutoCloseable {
  private final BlobStore source;
  private final BlobStore target;
  private final com.typesafe.config.Config overrides;
  private RunSettings recordedSettings;
  private RunSettings settings;
  private Policy policy;
  private String checkpoint;
  private int steps;
  private int matching;

  Retraining(BlobStore source, BlobStore target, com.typesafe.config.Config overrides) {
    this.source = source;
    this.target = target;
    this.overrides = overrides;
  }

  @Override
  public PolicyUpdated of(Replay.RecordedUpdate step) {
    // The step's own settings: a forked log changes them at the fork.
    if (step.settings() != recordedSettings) {
      recordedSettings = step.settings();
      settings = overrides.isEmpty() ? recordedSettings : recordedSettings.withOverrides(overrides);
    }
    if (policy == null) {
      byte[] base = read(step.baseCheckpoint());
      checkpoint = store(base);
      policy = Policies.restore(base, settings.threads());
    }
    PolicyUpdated retrained = Learner.update(
        policy, step.recorded().getStep(), checkpoint, step.batch(), settings, this::store);
    // The step's duration is the live run's: retraining measures nothing about the step.
    retrained = retrained.toBuilder().setWallSeconds(step.recorded().getWallSeconds()).build();
    checkpoint = retrained.getCheckpoint();
    steps++;
    if (checkpoint.equals(step.recorded().getCheckpoint())) {
      matching++;
    }
    return retrained;
  }

  /** Steps retrained so far. */
  int steps() {
    return steps;
  }

  /** Steps whose retrained checkpoint has the recorded checkpoint's hash. */
  int matchingCheckpoints() {
    return matching;
  }

  private byte[] read(String sha256) {
    try {
      return source.get(sha256);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + sha256 + " of the replayed run: " + e.getMessage(), e);
    }
  }

  private String store(byte[] bytes) {
    try {
      return target.put(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store a checkpoint in " + target.root() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (policy != null) {
      policy.close();
    }
  }
}
