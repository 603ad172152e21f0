package dev.autodidact.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * The task rules of METHOD.md ("Tasks"), composed from sandbox jobs: validation of a proposed
 * task and the verdicts on deduction, abduction and induction answers. All parsing happens in
 * Python; model output of any shape yields MALFORMED or WRONG, never a failed future (a
 * future fails only if the pool itself does, e.g. when it is closed).
 */
public final class Verifier {

    public enum Verdict { CORRECT, WRONG, MALFORMED }

    /**
     * @param valid   whether the task may be used
     * @param outputs repr of f(input) for each input, in order; empty unless valid
     * @param reason  null when valid, else one line saying why not
     */
    public record Validation(boolean valid, List<String> outputs, String reason) {

        public Validation {
            outputs = List.copyOf(outputs);
        }

        static Validation accepted(List<String> outputs) {
            return new Validation(true, outputs, null);
        }

        static Validation rejected(String reason) {
            return new Validation(false, List.of(), oneLine(reason));
        }
    }

    private static final int REASON_CHARS = 300;
    private static final String EQUAL = "True";

    private final SandboxPool pool;

    public Verifier(SandboxPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * A proposed task is valid when the program passes the static checks, every input is a
     * literal argument list, and every f(input) runs within limits to a printable literal
     * that a run in a different worker process reproduces.
     */
    public CompletableFuture<Validation> validate(String program, List<String> inputs) {
        if (program == null || inputs == null || inputs.isEmpty() || inputs.stream().anyMatch(Objects::isNull)) {
            return CompletableFuture.completedFuture(Validation.rejected("a program and at least one input are required"));
        }
        return pool.submit(Request.checkProgram(program)).thenCompose(check -> check.ok()
                ? validateInputs(program, inputs)
                : CompletableFuture.completedFuture(Validation.rejected(describe(check))));
    }

    /** The answer must be a literal; CORRECT if it equals f(input) with the same type families. */
    public CompletableFuture<Verdict> checkDeduction(String program, String input, String answer) {
        if (answer == null) {
            return CompletableFuture.completedFuture(Verdict.MALFORMED);
        }
        return pool.submit(Request.checkLiteral(answer)).thenCompose(literal -> literal.ok()
                ? pool.submit(Request.call(program, input, false)).thenCompose(run -> matches(run, answer))
                : CompletableFuture.completedFuture(Verdict.MALFORMED));
    }

    /** The answer must be a literal argument list; CORRECT if f(answer) equals the gold output. */
    public CompletableFuture<Verdict> checkAbduction(String program, String answer, String goldOutput) {
        if (answer == null) {
            return CompletableFuture.completedFuture(Verdict.MALFORMED);
        }
        return pool.submit(Request.checkArgs(answer)).thenCompose(args -> args.ok()
                ? pool.submit(Request.call(program, answer, false)).thenCompose(run -> matches(run, goldOutput))
                : CompletableFuture.completedFuture(Verdict.MALFORMED));
    }

    /** The candidate must pass the static checks; CORRECT if it reproduces every gold output. */
    public CompletableFuture<Verdict> checkInduction(
            String candidateProgram, List<String> inputs, List<String> goldOutputs) {
        if (inputs.isEmpty() || inputs.size() != goldOutputs.size()) {
            throw new IllegalArgumentException(
                    "need as many gold outputs as inputs, at least one: " + inputs.size() + " vs " + goldOutputs.size());
        }
        if (candidateProgram == null) {
            return CompletableFuture.completedFuture(Verdict.MALFORMED);
        }
        return pool.submit(Request.checkProgram(candidateProgram)).thenCompose(check -> check.ok()
                ? reproducesAll(candidateProgram, inputs, goldOutputs)
                : CompletableFuture.completedFuture(Verdict.MALFORMED));
    }

    private CompletableFuture<Validation> validateInputs(String program, List<String> inputs) {
        List<CompletableFuture<InputRun>> runs = inputs.stream().map(input -> runInput(program, input)).toList();
        return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).thenApply(done -> summarize(runs));
    }

    private CompletableFuture<InputRun> runInput(String program, String input) {
        return pool.submit(Request.checkArgs(input)).thenCompose(args -> args.ok()
                ? runTwice(Request.call(program, input, true))
                : CompletableFuture.completedFuture(InputRun.failed("not a literal argument list: " + describe(args))));
    }

    /** Two different processes: forks or reuses of one would share its memory layout. */
    private CompletableFuture<InputRun> runTwice(Request run) {
        return pool.submit(run).thenCompose(first -> first.ok()
                ? pool.submit(run, first.workerId()).thenApply(second -> sameOutput(first, second))
                : CompletableFuture.completedFuture(InputRun.failed(describe(first))));
    }

    private static InputRun sameOutput(ExecResult first, ExecResult second) {
        if (!second.ok()) {
            return InputRun.failed("re-run in another worker: " + describe(second));
        }
        if (!first.result().equals(second.result())) {
            return InputRun.failed("nondeterministic output: " + first.result() + " then " + second.result());
        }
        return InputRun.passed(first.result());
    }

    private static Validation summarize(List<CompletableFuture<InputRun>> runs) {
        List<String> outputs = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            InputRun run = runs.get(i).join();
            if (run.failure() != null) {
                return Validation.rejected("input " + i + ": " + run.failure());
            }
            outputs.add(run.output());
        }
        return Validation.accepted(outputs);
    }

    private CompletableFuture<Verdict> reproducesAll(String program, List<String> inputs, List<String> goldOutputs) {
        List<CompletableFuture<Verdict>> verdicts = IntStream.range(0, inputs.size())
                .mapToObj(i -> pool.submit(Request.call(program, inputs.get(i), false))
                        .thenCompose(run -> matches(run, goldOutputs.get(i))))
                .toList();
        return CompletableFuture.allOf(verdicts.toArray(CompletableFuture[]::new)).thenApply(done ->
                verdicts.stream().allMatch(verdict -> verdict.join() == Verdict.CORRECT) ? Verdict.CORRECT : Verdict.WRONG);
    }

    /** A failed run, or a value that is not the literal, is WRONG. */
    private CompletableFuture<Verdict> matches(ExecResult run, String literal) {
        if (!run.ok()) {
            return CompletableFuture.completedFuture(Verdict.WRONG);
        }
        return pool.submit(Request.compare(literal, run.result()))
                .thenApply(comparison -> comparison.ok() && EQUAL.equals(comparison.result()) ? Verdict.CORRECT : Verdict.WRONG);
    }

    private static String describe(ExecResult result) {
        if (result.error() == null) {
            return result.status().name();
        }
        return result.status() == Status.REJECTED ? result.error() : result.status() + ": " + result.error();
    }

    private static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > REASON_CHARS ? line.substring(0, REASON_CHARS) : line;
    }

    /** One input's validation: its output, or why it failed. */
    private record InputRun(String output, String failure) {

        static InputRun passed(String output) {
            return new InputRun(output, null);
        }

        static InputRun failed(String failure) {
            return new InputRun(null, failure);
        }
    }
}
