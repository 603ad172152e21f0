package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.sandbox.Verifier.Verdict;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random model output must never throw out of a verdict, nor ever be judged correct. */
class VerifierGarbageIT {

    private static final String PROGRAM = "def f(s):\n    return s[::-1] + '!'\n";

    private static SandboxPool pool;
    private static Verifier verifier;

    @BeforeContainer
    static void startPool() {
        pool = SandboxPool.start(SandboxConfig.defaults().withWorkers(2));
        verifier = new Verifier(pool);
    }

    @AfterContainer
    static void closePool() {
        pool.close();
    }

    @Property(tries = 200)
    void deductionAnswers(@ForAll("garbage") String answer) {
        assertThat(await(verifier.checkDeduction(PROGRAM, "'autodidact'", answer))).isNotEqualTo(Verdict.CORRECT);
    }

    @Property(tries = 200)
    void abductionAnswers(@ForAll("garbage") String answer) {
        assertThat(await(verifier.checkAbduction(PROGRAM, answer, "'tcadidotua!'"))).isNotEqualTo(Verdict.CORRECT);
    }

    @Property(tries = 200)
    void inductionAnswers(@ForAll("garbage") String candidate) {
        Verdict verdict = await(verifier.checkInduction(candidate, List.of("'ab'", "''"), List.of("'ba!'", "'!'")));

        assertThat(verdict).isNotEqualTo(Verdict.CORRECT);
    }

    /** Any characters at all, and strings built from the characters that trouble parsers. */
    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withChars("()[]{}'\",:*=\\\0\n\t #fdef1.eEjx").ofMaxLength(80),
                Arbitraries.strings().withChars("'\"([{").ofMinLength(1000).ofMaxLength(20_000));
    }
}
