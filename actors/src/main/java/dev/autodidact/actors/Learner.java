package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.model.PolicySample;
import dev.autodidact.model.TrainStats;
import dev.autodidact.persistence.Blobs;
import dev.autodidact.persistence.proto.PolicyUpdated;
import java.util.List;
import java.util.function.Function;

/**
 * Owns the trainable policy and its optimizer. Each update starts from the checkpoint the
 * TrainingRun names (the last one it journaled), so after a crash or a restart the learner
 * reloads that checkpoint and redoes the update, which gives the same bytes again.
 */
public final class Learner extends AbstractBehavior<Learner.Command> {

  public sealed interface Command permits Update {}

  /** One REINFORCE++ update from {@code checkpoint} over the step's samples. */
  public record Update(
      long step, String checkpoint, List<PolicySample> samples, ActorRef<StatusReply<PolicyUpdated>> replyTo)
      implements Command {}

  private final RunSettings settings;
  private final Blobs blobs;
  private Policy policy;
  private String loadedCheckpoint;

  public static Behavior<Command> create(RunSettings settings, Blobs blobs) {
    return Behaviors.setup(context -> new Learner(context, settings, blobs));
  }

  private Learner(ActorContext<Command> context, RunSettings settings, Blobs blobs) {
    super(context);
    this.settings = settings;
    this.blobs = blobs;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Update.class, this::onUpdate)
        .onSignal(PostStop.class, signal -> closePolicy())
        .onSignal(PreRestart.class, signal -> closePolicy())
        .build();
  }

  private Behavior<Command> onUpdate(Update update) {
    try {
      update.replyTo().tell(StatusReply.success(apply(update)));
    } catch (RuntimeException e) {
      update.replyTo().tell(StatusReply.error("learner: " + e.getMessage()));
      throw e; // restart with the journaled checkpoint
    }
    return this;
  }

  private PolicyUpdated apply(Update update) {
    use(update.checkpoint());
    PolicyUpdated updated = update(policy, update.step(), update.checkpoint(), update.samples(), settings, bytes -> {
      getContext().getLog().info("step {}: writing checkpoint ({} bytes)", update.step(), bytes.length);
      return Checkpoints.store(blobs, bytes);
    });
    if (updated.getSkipped()) {
      getContext().getLog().warn("step {}: update skipped: {}", update.step(), updated.getSkipReason());
    }
    loadedCheckpoint = updated.getCheckpoint();
    return updated;
  }

  /**
   * One update of {@code policy}, which holds {@code checkpoint}: a REINFORCE++ step over the
   * samples (none skips the step), the new checkpoint stored unless the step was skipped. The
   * learner actor and a replay's retraining both run exactly this.
   *
   * @param store stores checkpoint bytes and returns their SHA-256
   */
  public static PolicyUpdated update(Policy policy, long step, String checkpoint, List<PolicySample> samples,
      RunSettings settings, Function<byte[], String> store) {
    TrainStats stats = samples.isEmpty()
        ? new TrainStats(0, 0, 0, 0, 0, true, "no samples carry a learning signal")
        : policy.reinforceStep(samples, settings.loss(), settings.optimizer());
    String after = stats.skipped() ? checkpoint : store.apply(policy.checkpoint());
    return PolicyUpdated.newBuilder()
        .setStep(step)
        .setCheckpoint(after)
        .setPolicyVersion(policy.version())
        .setLoss(stats.loss())
        .setGradNorm(stats.gradNorm())
        .setEntropy(stats.entropy())
        .setClipFraction(stats.clipFraction())
        .setTokens(stats.tokens())
        .setSkipped(stats.skipped())
        .setSkipReason(stats.skipReason() == null ? "" : stats.skipReason())
        .build();
  }

  private void use(String checkpoint) {
    if (checkpoint.equals(loadedCheckpoint)) {
      return;
    }
    closePolicy();
    policy = Policies.restore(Checkpoints.load(blobs, checkpoint), settings.threads());
    loadedCheckpoint = checkpoint;
  }

  private Behavior<Command> closePolicy() {
    if (policy != null) {
      policy.close();
      policy = null;
      loadedCheckpoint = null;
    }
    return this;
  }
}
