package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import dev.autodidact.core.format.Parsed;
import dev.autodidact.core.format.Proposal;
import dev.autodidact.core.format.TaskFormat;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.core.task.Task;
import dev.autodidact.core.task.TaskType;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.persistence.proto.Generation;
import dev.autodidact.persistence.proto.ProposedTask;
import dev.autodidact.persistence.proto.TasksProposed;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generator role: prompts the policy, with reference tasks from the task buffer, to
 * propose B tasks of every type, each with its predicted success count k, and parses what
 * comes back. It holds no model; sampling is the InferenceWorker's.
 */
public final class Generator extends AbstractBehavior<Generator.Command> {

  public sealed interface Command permits Propose, Sampled {}

  /** Propose B tasks per type for a step, with the policy at {@code checkpoint}. */
  public record Propose(
      long step, String checkpoint, Map<TaskType, List<Task>> buffer, ActorRef<StatusReply<TasksProposed>> replyTo)
      implements Command {}

  private record Sampled(
      List<String> prompts, List<TaskType> types, Set<String> referenceIds, long step,
      InferenceWorker.Generated generated, Throwable failure, ActorRef<StatusReply<TasksProposed>> replyTo)
      implements Command {}

  private final RunSettings settings;
  private final TaskFormat format;
  private final ActorRef<InferenceWorker.Command> inference;

  public static Behavior<Command> create(RunSettings settings, ActorRef<InferenceWorker.Command> inference) {
    return Behaviors.setup(context -> new Generator(context, settings, inference));
  }

  private Generator(ActorContext<Command> context, RunSettings settings, ActorRef<InferenceWorker.Command> inference) {
    super(context);
    this.settings = settings;
    this.format = settings.taskFormat();
    this.inference = inference;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Propose.class, this::onPropose)
        .onMessage(Sampled.class, this::onSampled)
        .build();
  }

  private Behavior<Command> onPropose(Propose command) {
    List<String> prompts = new ArrayList<>();
    List<TaskType> types = new ArrayList<>();
    List<SampleRequest> requests = new ArrayList<>();
    Set<String> referenceIds = new LinkedHashSet<>();
    for (TaskType type : TaskType.values()) {
      List<Task> candidates = command.buffer().getOrDefault(type, List.of());
      for (int b = 0; b < settings.tasks().batchPerType(); b++) {
        int index = requests.size();
        List<Task> references = pickReferences(candidates,
            SeedStream.of(settings.seed(), command.step(), Phase.REFERENCE_TASKS, index));
        references.forEach(task -> referenceIds.add(task.id()));
        String prompt = format.generatorPrompt(type, references);
        prompts.add(prompt);
        types.add(type);
        requests.add(new SampleRequest(Generations.promptTokens(prompt), settings.tasks().generatorMaxTokens(),
            settings.tasks().temperature(), SeedStream.of(settings.seed(), command.step(), Phase.GENERATE, index)));
      }
    }
    getContext().pipeToSelf(
        AskPattern.<InferenceWorker.Command, InferenceWorker.Generated>askWithStatus(
            inference, replyTo -> new InferenceWorker.Generate(command.checkpoint(), requests, replyTo),
            settings.phaseTimeout(), getContext().getSystem().scheduler()),
        (generated, failure) -> new Sampled(prompts, types, referenceIds, command.step(), generated, failure,
            command.replyTo()));
    return this;
  }

  private List<Task> pickReferences(List<Task> candidates, SeedStream stream) {
    List<Task> references = new ArrayList<>();
    for (int r = 0; r < settings.tasks().references() && !candidates.isEmpty(); r++) {
      references.add(stream.pick(candidates));
    }
    return references;
  }

  private Behavior<Command> onSampled(Sampled sampled) {
    if (sampled.failure() != null) {
      sampled.replyTo().tell(StatusReply.error("generator: " + sampled.failure().getMessage()));
      return this;
    }
    TasksProposed.Builder event = TasksProposed.newBuilder()
        .setStep(sampled.step())
        .addAllReferenceTaskIds(sampled.referenceIds());
    for (int i = 0; i < sampled.prompts().size(); i++) {
      Generation generation = Generations.record(sampled.prompts().get(i), sampled.generated().completions().get(i));
      event.addProposals(parse(sampled.types().get(i), generation));
    }
    sampled.replyTo().tell(StatusReply.success(event.build()));
    return this;
  }

  private ProposedTask parse(TaskType type, Generation generation) {
    ProposedTask.Builder proposed = ProposedTask.newBuilder()
        .setType(Generations.toProto(type))
        .setGeneration(generation);
    if (!generation.getFinished()) {
      return proposed.setWellFormed(false).setMalformedReason("no end of answer within the token limit").build();
    }
    Parsed<Proposal> parsed = format.parseGeneratorAnswer(type, generation.getText());
    if (!parsed.isOk()) {
      return proposed.setWellFormed(false).setMalformedReason(parsed.error()).build();
    }
    Proposal proposal = parsed.value();
    return proposed.setWellFormed(true)
        .setProgram(proposal.program())
        .addAllInputs(proposal.inputs())
        .setMessage(proposal.message())
        .setPredictedSuccesses(proposal.predictedSuccesses())
        .build();
  }
}
