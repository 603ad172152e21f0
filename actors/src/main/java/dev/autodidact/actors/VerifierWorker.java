package dev.autodidact.actors;

import akka.actor.typed.Behavior;
import dev.autodidact.persistence.proto.cluster.SandboxLimits;
import dev.autodidact.persistence.proto.cluster.ValidationOutcome;
import dev.autodidact.persistence.proto.cluster.Verdict;
import dev.autodidact.persistence.proto.cluster.VerificationJob;
import dev.autodidact.persistence.proto.cluster.VerificationResult;
import dev.autodidact.sandbox.SandboxConfig;
import dev.autodidact.sandbox.SandboxPool;
import dev.autodidact.sandbox.Verifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Verification as work pulling: the {@link WorkKind} of a run's verification jobs, and the
 * {@link PullingWorker} that runs them in one node's sandbox pool (one per node with the
 * {@code verifier} role; in one JVM, {@link RunNode} spawns it).
 */
public final class VerifierWorker {

  public static final WorkKind<VerificationJob, VerificationResult> KIND = new WorkKind<>("verification",
      VerificationJob.class, VerificationResult.class, VerificationJob::getJobId, VerificationResult::getJobId,
      VerificationResult::getWorker,
      (jobId, reason, worker) -> VerificationResult.newBuilder().setJobId(jobId).setFailure(reason).setWorker(worker)
          .build(),
      "start a verifier node (autodidact node --roles verifier) or keep the verifier role in this JVM");

  private VerifierWorker() {}

  /** About twice the pool's processes: a job is one to three executions, and results wait for their messages. */
  public static int capacityFor(SandboxConfig sandbox) {
    return 2 * sandbox.maxWorkers();
  }

  /**
   * @param capacity jobs this worker holds from each queue at a time (a job is one to three
   *     sandbox executions; about twice the pool's processes keeps them busy)
   */
  public static Behavior<PullingWorker.Command> create(SandboxConfig sandbox, int capacity) {
    return PullingWorker.create(KIND, capacity, context -> new Sandboxed(SandboxPool.start(sandbox), limits(sandbox),
        PullingWorker.nodeName(context)));
  }

  /** The settings of {@code sandbox} that can change a verdict, as jobs carry them. */
  static SandboxLimits limits(SandboxConfig sandbox) {
    return SandboxLimits.newBuilder().setTimeoutMillis(sandbox.timeout().toMillis())
        .setMemoryBytes(sandbox.memoryBytes()).setMaxOutputChars(sandbox.maxOutputChars())
        .setScratchBytes(sandbox.scratchBytes()).setPythonVersion(pythonVersion(sandbox.python())).build();
  }

  private static final Map<Path, String> PYTHON_VERSIONS = new ConcurrentHashMap<>();

  /** The interpreter's version, asked once per interpreter; empty if it cannot be run (the sandbox then fails). */
  static String pythonVersion(Path python) {
    return PYTHON_VERSIONS.computeIfAbsent(python, path -> {
      try {
        Process process = new ProcessBuilder(path.toString(), "-c", "import sys; print(sys.version.split()[0])")
            .redirectErrorStream(true).start();
        String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? version : "";
      } catch (IOException e) {
        return "";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "";
      }
    });
  }

  private static String describe(SandboxLimits limits) {
    return "timeout " + limits.getTimeoutMillis() + " ms, memory " + limits.getMemoryBytes() + " bytes, output "
        + limits.getMaxOutputChars() + " chars, scratch " + limits.getScratchBytes() + " bytes, Python "
        + limits.getPythonVersion();
  }

  /** A queue of a run's verification jobs (VerifierPool spawns one per run). */
  public static Behavior<WorkQueue.Command> queue(Duration leaseTime) {
    return WorkQueue.create(KIND, leaseTime);
  }

  /** Runs verification jobs in this node's sandbox pool, when their limits are the pool's. */
  private record Sandboxed(SandboxPool pool, Verifier verifier, SandboxLimits limits, String name)
      implements PullingWorker.Runner<VerificationJob, VerificationResult> {

    Sandboxed(SandboxPool pool, SandboxLimits limits, String name) {
      this(pool, new Verifier(pool), limits, name);
    }

    @Override
    public CompletableFuture<VerificationResult> run(VerificationJob job) {
      if (job.hasLimits() && !job.getLimits().equals(limits)) {
        // Other limits could give another verdict: not this node's job. Another node may match.
        return CompletableFuture.failedFuture(new PullingWorker.Incompatible("this node's sandbox (" + describe(limits)
            + ") differs from the run's (" + describe(job.getLimits()) + "); start verifier nodes with the run's"
            + " --set sandbox.timeout=... and sandbox.memory=..., and the same Python"));
      }
      VerificationResult.Builder result = VerificationResult.newBuilder().setJobId(job.getJobId()).setWorker(name);
      return switch (job.getKindCase()) {
        case VALIDATE -> verifier.validate(job.getValidate().getProgram(), job.getValidate().getInputsList())
            .thenApply(v -> result.setValidation(ValidationOutcome.newBuilder().setValid(v.valid())
                .addAllOutputs(v.outputs()).setReason(v.reason() == null ? "" : v.reason())).build());
        case DEDUCTION -> verifier.checkDeduction(job.getDeduction().getProgram(), job.getDeduction().getInput(),
            job.getDeduction().getAnswer()).thenApply(v -> result.setVerdict(verdict(v)).build());
        case ABDUCTION -> verifier.checkAbduction(job.getAbduction().getProgram(), job.getAbduction().getAnswer(),
            job.getAbduction().getGoldOutput()).thenApply(v -> result.setVerdict(verdict(v)).build());
        case INDUCTION -> verifier.checkInduction(job.getInduction().getAnswer(), job.getInduction().getInputsList(),
            job.getInduction().getOutputsList()).thenApply(v -> result.setVerdict(verdict(v)).build());
        case KIND_NOT_SET -> CompletableFuture.completedFuture(
            result.setFailure("a job with nothing to verify").build());
      };
    }

    @Override
    public void close() {
      pool.close();
    }
  }

  static Verdict verdict(Verifier.Verdict verdict) {
    return switch (verdict) {
      case CORRECT -> Verdict.CORRECT;
      case WRONG -> Verdict.WRONG;
      case MALFORMED -> Verdict.MALFORMED;
    };
  }
}
