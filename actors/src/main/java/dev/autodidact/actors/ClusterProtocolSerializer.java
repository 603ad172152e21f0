package dev.autodidact.actors;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.SerializerWithStringManifest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.autodidact.model.PolicySample;
import dev.autodidact.persistence.proto.cluster.FollowRun;
import dev.autodidact.persistence.proto.cluster.GetQueueStats;
import dev.autodidact.persistence.proto.cluster.InferenceJob;
import dev.autodidact.persistence.proto.cluster.InferenceResult;
import dev.autodidact.persistence.proto.cluster.JobDone;
import dev.autodidact.persistence.proto.cluster.JobsLeased;
import dev.autodidact.persistence.proto.cluster.LearnerStatus;
import dev.autodidact.persistence.proto.cluster.LearnerTrain;
import dev.autodidact.persistence.proto.cluster.LeasesReturned;
import dev.autodidact.persistence.proto.cluster.QueueStats;
import dev.autodidact.persistence.proto.cluster.RunUpdate;
import dev.autodidact.persistence.proto.cluster.TrainingSample;
import dev.autodidact.persistence.proto.cluster.VerificationJob;
import dev.autodidact.persistence.proto.cluster.VerificationResult;
import dev.autodidact.persistence.proto.cluster.WorkWanted;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes every {@link ClusterMessage} as its protobuf message in {@code cluster.proto}, actor
 * references as the strings {@link ActorRefResolver} makes of them. The manifest names the
 * protobuf message, so a node of another build reads it as long as the schema's evolution
 * rules were kept.
 */
public final class ClusterProtocolSerializer extends SerializerWithStringManifest {
  static final int IDENTIFIER = 7302;

  private static final String WORK_WANTED = "autodidact.cluster.v1.WorkWanted";
  private static final String JOB_DONE = "autodidact.cluster.v1.JobDone";
  private static final String LEASES_RETURNED = "autodidact.cluster.v1.LeasesReturned";
  private static final String JOBS_LEASED = "autodidact.cluster.v1.JobsLeased";
  private static final String GET_QUEUE_STATS = "autodidact.cluster.v1.GetQueueStats";
  private static final String QUEUE_STATS = "autodidact.cluster.v1.QueueStats";
  private static final String FOLLOW_RUN = "autodidact.cluster.v1.FollowRun";
  private static final String RUN_UPDATE = "autodidact.cluster.v1.RunUpdate";
  private static final String LEARNER_TRAIN = "autodidact.cluster.v1.LearnerTrain";
  private static final String LEARNER_STATUS = "autodidact.cluster.v1.LearnerStatus";

  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public ClusterProtocolSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object message) {
    if (message instanceof WorkQueue.WorkWanted) {
      return WORK_WANTED;
    } else if (message instanceof WorkQueue.JobDone) {
      return JOB_DONE;
    } else if (message instanceof WorkQueue.LeasesReturned) {
      return LEASES_RETURNED;
    } else if (message instanceof PullingWorker.JobsLeased) {
      return JOBS_LEASED;
    } else if (message instanceof WorkQueue.GetStats) {
      return GET_QUEUE_STATS;
    } else if (message instanceof WorkQueue.Stats) {
      return QUEUE_STATS;
    } else if (message instanceof RunHost.Follow) {
      return FOLLOW_RUN;
    } else if (message instanceof RunHost.Update) {
      return RUN_UPDATE;
    } else if (message instanceof RunLearner.Train) {
      return LEARNER_TRAIN;
    } else if (message instanceof RunLearner.Status) {
      return LEARNER_STATUS;
    }
    throw new IllegalArgumentException("no protobuf form for " + message.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object message) {
    if (message instanceof WorkQueue.WorkWanted wanted) {
      return WorkWanted.newBuilder().setWorker(write(wanted.worker())).setCapacity(wanted.capacity()).build()
          .toByteArray();
    } else if (message instanceof WorkQueue.JobDone done) {
      JobDone.Builder proto = JobDone.newBuilder();
      if (done.result() instanceof VerificationResult verification) {
        proto.setResult(verification);
      } else if (done.result() instanceof InferenceResult inference) {
        proto.setInference(inference);
      } else {
        throw new IllegalArgumentException("no protobuf form for a " + done.result().getClass().getName() + " result");
      }
      return proto.build().toByteArray();
    } else if (message instanceof WorkQueue.LeasesReturned returned) {
      return LeasesReturned.newBuilder().setWorker(write(returned.worker())).addAllJobIds(returned.jobIds())
          .setFailed(returned.failed()).setReason(returned.reason()).build().toByteArray();
    } else if (message instanceof PullingWorker.JobsLeased leased) {
      JobsLeased.Builder proto = JobsLeased.newBuilder().setQueue(write(leased.queue()))
          .setLeaseMillis(leased.leaseMillis());
      for (Message job : leased.jobs()) {
        if (job instanceof VerificationJob verification) {
          proto.addJobs(verification);
        } else if (job instanceof InferenceJob inference) {
          proto.addInferenceJobs(inference);
        } else {
          throw new IllegalArgumentException("no protobuf form for a " + job.getClass().getName() + " job");
        }
      }
      return proto.build().toByteArray();
    } else if (message instanceof WorkQueue.GetStats get) {
      return GetQueueStats.newBuilder().setReplyTo(write(get.replyTo())).build().toByteArray();
    } else if (message instanceof WorkQueue.Stats stats) {
      return QueueStats.newBuilder().setKind(stats.kind()).setWaiting(stats.waiting()).setLeased(stats.leased())
          .setWorkers(stats.workers()).setCompleted(stats.completed()).setDuplicates(stats.duplicates())
          .putAllCompletedByWorker(stats.completedByWorker()).setRefusingWorkers(stats.refusingWorkers()).build()
          .toByteArray();
    } else if (message instanceof RunHost.Follow follow) {
      FollowRun.Builder proto = FollowRun.newBuilder().setFollower(write(follow.follower()));
      follow.started().ifPresent(proto::setStarted);
      return proto.build().toByteArray();
    } else if (message instanceof RunHost.Update update) {
      return RunUpdate.newBuilder().setRunId(update.runId()).setHost(update.host()).setStepsDone(update.stepsDone())
          .setFinished(update.finished()).setFailure(update.failure()).build().toByteArray();
    } else if (message instanceof RunLearner.Train train) {
      LearnerTrain.Builder proto = LearnerTrain.newBuilder().setStep(train.step()).setCheckpoint(train.checkpoint())
          .setReplyTo(write(train.replyTo())).setPoll(train.poll());
      train.samples().forEach(sample -> proto.addSamples(toProto(sample)));
      return proto.build().toByteArray();
    } else if (message instanceof RunLearner.Status status) {
      LearnerStatus.Builder proto = LearnerStatus.newBuilder().setStep(status.step())
          .setCheckpoint(status.checkpoint()).setState(LearnerStatus.State.valueOf(status.state().name()))
          .setError(status.error());
      status.updated().ifPresent(proto::setUpdated);
      return proto.build().toByteArray();
    }
    throw new IllegalArgumentException("no protobuf form for " + message.getClass().getName());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      return switch (manifest) {
        case WORK_WANTED -> {
          WorkWanted wanted = WorkWanted.parseFrom(bytes);
          yield new WorkQueue.WorkWanted(read(wanted.getWorker()), wanted.getCapacity());
        }
        case JOB_DONE -> {
          JobDone done = JobDone.parseFrom(bytes);
          yield new WorkQueue.JobDone(done.hasInference() ? done.getInference() : done.getResult());
        }
        case LEASES_RETURNED -> {
          LeasesReturned returned = LeasesReturned.parseFrom(bytes);
          yield new WorkQueue.LeasesReturned(read(returned.getWorker()), returned.getJobIdsList(),
              returned.getFailed(), returned.getReason());
        }
        case JOBS_LEASED -> {
          JobsLeased leased = JobsLeased.parseFrom(bytes);
          List<Message> jobs = new ArrayList<>(leased.getJobsList());
          jobs.addAll(leased.getInferenceJobsList());
          yield new PullingWorker.JobsLeased(read(leased.getQueue()), jobs, leased.getLeaseMillis());
        }
        case GET_QUEUE_STATS -> new WorkQueue.GetStats(read(GetQueueStats.parseFrom(bytes).getReplyTo()));
        case QUEUE_STATS -> {
          QueueStats stats = QueueStats.parseFrom(bytes);
          yield new WorkQueue.Stats(stats.getKind(), stats.getWaiting(), stats.getLeased(), stats.getWorkers(),
              stats.getCompleted(), stats.getDuplicates(), Map.copyOf(stats.getCompletedByWorkerMap()),
              stats.getRefusingWorkers());
        }
        case FOLLOW_RUN -> {
          FollowRun follow = FollowRun.parseFrom(bytes);
          yield new RunHost.Follow(follow.hasStarted() ? Optional.of(follow.getStarted()) : Optional.empty(),
              read(follow.getFollower()));
        }
        case RUN_UPDATE -> {
          RunUpdate update = RunUpdate.parseFrom(bytes);
          yield new RunHost.Update(update.getRunId(), update.getHost(), update.getStepsDone(), update.getFinished(),
              update.getFailure());
        }
        case LEARNER_TRAIN -> {
          LearnerTrain train = LearnerTrain.parseFrom(bytes);
          yield new RunLearner.Train(train.getStep(), train.getCheckpoint(),
              train.getSamplesList().stream().map(ClusterProtocolSerializer::fromProto).toList(), train.getPoll(),
              read(train.getReplyTo()));
        }
        case LEARNER_STATUS -> {
          LearnerStatus status = LearnerStatus.parseFrom(bytes);
          if (status.getState() == LearnerStatus.State.UNRECOGNIZED) {
            throw new NotSerializableException("a LearnerStatus in a state this build does not know");
          }
          yield new RunLearner.Status(status.getStep(), status.getCheckpoint(),
              RunLearner.State.valueOf(status.getState().name()),
              status.hasUpdated() ? Optional.of(status.getUpdated()) : Optional.empty(), status.getError());
        }
        default -> throw new NotSerializableException("unknown cluster message " + manifest
            + "; is this node of an older build than its sender?");
      };
    } catch (InvalidProtocolBufferException e) {
      throw new NotSerializableException("a damaged " + manifest + ": " + e.getMessage());
    }
  }

  private String write(ActorRef<?> ref) {
    return resolver().toSerializationFormat(ref);
  }

  private <T> ActorRef<T> read(String ref) {
    return resolver().resolveActorRef(ref);
  }

  private ActorRefResolver resolver() {
    if (resolver == null) {
      resolver = ActorRefResolver.get(Adapter.toTyped(system));
    }
    return resolver;
  }

  private static TrainingSample toProto(PolicySample sample) {
    TrainingSample.Builder proto = TrainingSample.newBuilder().setAdvantage(sample.advantage());
    for (int token : sample.prompt()) {
      proto.addPrompt(token);
    }
    for (int token : sample.completion()) {
      proto.addCompletion(token);
    }
    for (float logProb : sample.behaviourLogProbs()) {
      proto.addBehaviourLogProbs(logProb);
    }
    return proto.build();
  }

  private static PolicySample fromProto(TrainingSample proto) {
    float[] logProbs = new float[proto.getBehaviourLogProbsCount()];
    for (int i = 0; i < logProbs.length; i++) {
      logProbs[i] = proto.getBehaviourLogProbs(i);
    }
    return new PolicySample(proto.getPromptList().stream().mapToInt(Integer::intValue).toArray(),
        proto.getCompletionList().stream().mapToInt(Integer::intValue).toArray(), logProbs, proto.getAdvantage());
  }
}
