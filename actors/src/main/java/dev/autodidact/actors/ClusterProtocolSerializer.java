package dev.autodidact.actors;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.SerializerWithStringManifest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.autodidact.persistence.proto.cluster.JobDone;
import dev.autodidact.persistence.proto.cluster.JobsLeased;
import dev.autodidact.persistence.proto.cluster.LeasesReturned;
import dev.autodidact.persistence.proto.cluster.WorkWanted;
import java.io.NotSerializableException;

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
    if (message instanceof VerificationQueue.WorkWanted) {
      return WORK_WANTED;
    } else if (message instanceof VerificationQueue.JobDone) {
      return JOB_DONE;
    } else if (message instanceof VerificationQueue.LeasesReturned) {
      return LEASES_RETURNED;
    } else if (message instanceof VerifierWorker.JobsLeased) {
      return JOBS_LEASED;
    }
    throw new IllegalArgumentException("no protobuf form for " + message.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object message) {
    if (message instanceof VerificationQueue.WorkWanted wanted) {
      return WorkWanted.newBuilder().setWorker(write(wanted.worker())).setCapacity(wanted.capacity()).build()
          .toByteArray();
    } else if (message instanceof VerificationQueue.JobDone done) {
      return JobDone.newBuilder().setResult(done.result()).build().toByteArray();
    } else if (message instanceof VerificationQueue.LeasesReturned returned) {
      return LeasesReturned.newBuilder().setWorker(write(returned.worker())).addAllJobIds(returned.jobIds())
          .setFailed(returned.failed()).build().toByteArray();
    } else if (message instanceof VerifierWorker.JobsLeased leased) {
      return JobsLeased.newBuilder().setQueue(write(leased.queue())).addAllJobs(leased.jobs())
          .setLeaseMillis(leased.leaseMillis()).build().toByteArray();
    }
    throw new IllegalArgumentException("no protobuf form for " + message.getClass().getName());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      return switch (manifest) {
        case WORK_WANTED -> {
          WorkWanted wanted = WorkWanted.parseFrom(bytes);
          yield new VerificationQueue.WorkWanted(read(wanted.getWorker()), wanted.getCapacity());
        }
        case JOB_DONE -> new VerificationQueue.JobDone(JobDone.parseFrom(bytes).getResult());
        case LEASES_RETURNED -> {
          LeasesReturned returned = LeasesReturned.parseFrom(bytes);
          yield new VerificationQueue.LeasesReturned(read(returned.getWorker()), returned.getJobIdsList(),
              returned.getFailed());
        }
        case JOBS_LEASED -> {
          JobsLeased leased = JobsLeased.parseFrom(bytes);
          yield new VerifierWorker.JobsLeased(read(leased.getQueue()), leased.getJobsList(), leased.getLeaseMillis());
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
}
