package dev.autodidact.persistence;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import com.google.protobuf.Message;
import dev.autodidact.persistence.testproto.CounterEvents.CounterIncremented;
import dev.autodidact.persistence.testproto.CounterEvents.CounterReset;

/** A test-only event-sourced counter whose events are protobuf messages. */
final class Counter extends EventSourcedBehavior<Counter.Command, Message, Counter.State> {

  sealed interface Command permits Increment, Reset, GetValue {}

  record Increment(long amount, ActorRef<Long> replyTo) implements Command {}

  record Reset(String reason, ActorRef<Long> replyTo) implements Command {}

  record GetValue(ActorRef<Long> replyTo) implements Command {}

  record State(long value) {}

  private Counter(PersistenceId persistenceId) {
    super(persistenceId);
  }

  static Behavior<Command> create(String persistenceId) {
    return new Counter(PersistenceId.ofUniqueId(persistenceId));
  }

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public CommandHandler<Command, Message, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Increment.class, this::onIncrement)
        .onCommand(Reset.class, this::onReset)
        .onCommand(GetValue.class, this::onGetValue)
        .build();
  }

  @Override
  public EventHandler<State, Message> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(CounterIncremented.class, (state, event) -> new State(state.value() + event.getAmount()))
        .onEvent(CounterReset.class, (state, event) -> new State(0))
        .build();
  }

  private Effect<Message, State> onIncrement(Increment command) {
    return Effect()
        .persist(CounterIncremented.newBuilder().setAmount(command.amount()).build())
        .thenReply(command.replyTo(), State::value);
  }

  private Effect<Message, State> onReset(Reset command) {
    return Effect()
        .persist(CounterReset.newBuilder().setReason(command.reason()).build())
        .thenReply(command.replyTo(), State::value);
  }

  private Effect<Message, State> onGetValue(State state, GetValue command) {
    return Effect().reply(command.replyTo(), state.value());
  }
}
