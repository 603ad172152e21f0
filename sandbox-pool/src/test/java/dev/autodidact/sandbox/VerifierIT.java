package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.await;
import static dev.autodidact.sandbox.Sandboxes.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.sandbox.Verifier.Validation;
import dev.autodidact.sandbox.Verifier.Verdict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VerifierIT {

    private static final String REVERSE = "def f(s):\n    return s[::-1]\n";
    private static final String DESCRIBE = lines(
            "def f(s):",
            "    return {'upper': s.upper(), 'size': len(s), 'parts': (s[:1], [s[1:]])}");

    private static SandboxPool pool;
    private static Verifier verifier;

    @BeforeAll
    static void startPool() {
        pool = SandboxPool.start(SandboxConfig.defaults().withWorkers(2).withTimeout(Duration.ofSeconds(1)));
        verifier = new Verifier(pool);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Test
    void aGoodTaskIsValidWithItsOutputs() {
        String program = lines(
                "def f(xs, k=1):",
                "    import collections",
                "    def top(items):",
                "        return sorted(items)[-k:]",
                "    print('computing')",
                "    return top(xs), collections.Counter(xs).most_common(1)[0][0], {x % 2 for x in xs}");

        Validation validation = await(verifier.validate(program, List.of("[3, 1, 2, 3]", "[5], k=2", "[4, 4], 2")));

        assertThat(validation.valid()).as(validation.reason()).isTrue();
        assertThat(validation.reason()).isNull();
        assertThat(validation.outputs()).containsExactly("([3], 3, {0, 1})", "([5], 5, {1})", "([4, 4], 4, {0})");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "def f(x):\\n    import random\\n    return random.random()     | imports banned module random",
        "def f(x):\\n    from os import path\\n    return x              | imports banned module os",
        "def f(x):\\n    return open(x).read()                         | uses banned name open",
        "def f(x):\\n    return eval('x')                              | uses banned name eval",
        "def f(x):\\n    return x.__class__                            | uses name __class__",
        "import math\\ndef f(x):\\n    return x                        | exactly one top-level function",
        "def g(x):\\n    return x                                      | exactly one top-level function",
        "def f(x):\\n  return x\\nprint(f(1))                          | exactly one top-level function",
        "def f(x) return x                                             | does not parse",
        "def f(x):\\n    return lambda: x                              | not a printable literal",
        "def f(x):\\n    return float('nan')                           | not a printable literal",
        "def f(x):\\n    return frozenset({x})                         | not a printable literal",
        "def f(x):\\n    return repr(lambda: x)                        | nondeterministic output",
        "def f(x):\\n    while True:\\n        x += 1                  | TIMEOUT",
        "def f(x):\\n    return 1 // (x - 1)                           | ZeroDivisionError",
        "def f(x):\\n    return 'x' * (x * 10 ** 6)                    | OUTPUT_LIMIT",
    })
    void invalidTasksAreRejectedWithTheReason(String escapedProgram, String reason) {
        String program = escapedProgram.strip().replace("\\n", "\n");

        Validation validation = await(verifier.validate(program, List.of("1")));

        assertThat(validation.valid()).isFalse();
        assertThat(validation.outputs()).isEmpty();
        assertThat(validation.reason()).contains(reason).doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"open('x')", "1), (2", "*[1]", "x", "[1, 2", "1; 2", ""})
    void inputsMustBeLiteralArgumentLists(String input) {
        Validation validation = await(verifier.validate(REVERSE, List.of("'ok'", input)));

        assertThat(validation.valid()).isFalse();
        assertThat(validation.reason()).startsWith("input 1:");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{'upper': 'ABC', 'size': 3, 'parts': ('a', ['bc'])}     | CORRECT",
        "{\"size\": 3, \"upper\": \"ABC\", \"parts\": (\"a\", [\"bc\"],)} | CORRECT",
        "{'upper': 'ABC', 'size': 3.0, 'parts': ('a', ['bc'])}   | CORRECT",
        "{'upper': 'ABC', 'size': 3, 'parts': ['a', ['bc']]}     | WRONG",
        "{'upper': 'abc', 'size': 3, 'parts': ('a', ['bc'])}     | WRONG",
        "{'upper': 'ABC', 'size': 3}                             | WRONG",
        "{'upper': 'ABC', 'size': 3, 'parts': ('a', ['bc'])      | MALFORMED",
        "{'upper': ABC, 'size': 3, 'parts': ('a', ['bc'])}       | MALFORMED",
        "f('abc')                                                | MALFORMED",
    })
    void deductionComparesPythonValues(String answer, Verdict expected) {
        assertThat(await(verifier.checkDeduction(DESCRIBE, "'abc'", answer.strip()))).isEqualTo(expected);
    }

    @Test
    void deductionTellsBooleansFromNumbers() {
        String program = "def f(x):\n    return x > 0, 1\n";

        assertThat(await(verifier.checkDeduction(program, "5", "(True, 1)"))).isEqualTo(Verdict.CORRECT);
        assertThat(await(verifier.checkDeduction(program, "5", "(1, 1)"))).isEqualTo(Verdict.WRONG);
        assertThat(await(verifier.checkDeduction(program, "5", "(True, True)"))).isEqualTo(Verdict.WRONG);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "'hello'                | CORRECT",
        "s='hello'              | CORRECT",
        "\"hel\" \"lo\"         | CORRECT",
        "'hell'                 | WRONG",
        "'hello', 2             | WRONG",
        "['o', 'l', 'l', 'e', 'h'] | WRONG",
        "hello                  | MALFORMED",
        "'a'), ('b'             | MALFORMED",
        "open('hello')          | MALFORMED",
        "**{'s': 'hello'}       | MALFORMED",
        "'hello'                | CORRECT",
    })
    void abductionRunsTheProposedInput(String answer, Verdict expected) {
        assertThat(await(verifier.checkAbduction(REVERSE, answer.strip(), "'olleh'"))).isEqualTo(expected);
    }

    @Test
    void abductionCountsExceptionsAndTimeoutsAsWrong() {
        String program = "def f(x):\n    while x > 5:\n        pass\n    return 10 // x\n";

        assertThat(await(verifier.checkAbduction(program, "2", "5"))).isEqualTo(Verdict.CORRECT);
        assertThat(await(verifier.checkAbduction(program, "0", "5"))).isEqualTo(Verdict.WRONG);
        assertThat(await(verifier.checkAbduction(program, "9", "5"))).isEqualTo(Verdict.WRONG);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "def f(x):\\n    return 2 * x                 | CORRECT",
        "def f(x):\\n    return x + x if x else 0     | CORRECT",
        "def f(x):\\n    return x + 1                 | WRONG",
        "def f(x):\\n    return 2.0 * x               | CORRECT",
        "def f(x):\\n    return [2 * x]               | WRONG",
        "def f(x):\\n    return 4 // (x - 1)          | WRONG",
        "import os\\ndef f(x):\\n    return 2 * x     | MALFORMED",
        "def g(x):\\n    return 2 * x                 | MALFORMED",
        "f = lambda x: 2 * x                          | MALFORMED",
        "def f(x):\\n    return id(x) * 0 + 2 * x     | MALFORMED",
        "the function doubles its input               | MALFORMED",
    })
    void inductionChecksEveryHiddenPair(String escapedProgram, Verdict expected) {
        String candidate = escapedProgram.strip().replace("\\n", "\n");

        Verdict verdict = await(verifier.checkInduction(candidate, List.of("1", "2", "3"), List.of("2", "4", "6")));

        assertThat(verdict).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "'", "\"\"\"", "\0", "'\0'", "\ud800", "'\ud800'", "((((", "}}}}", "\\", "'''abc",
        "\u202e'olleh'", "1" + "0", "None", "f", "lambda: 0", "__import__('os')"})
    void garbageAnswersAreNeverCorrectNorExceptional(String garbage) {
        assertThat(await(verifier.checkDeduction(DESCRIBE, "'abc'", garbage))).isNotEqualTo(Verdict.CORRECT);
        assertThat(await(verifier.checkAbduction(REVERSE, garbage, "'olleh'"))).isNotEqualTo(Verdict.CORRECT);
        assertThat(await(verifier.checkInduction(garbage, List.of("1"), List.of("2")))).isEqualTo(Verdict.MALFORMED);
    }

    @Test
    void hugeAndDeeplyNestedAnswersAreMalformed() {
        List<String> monsters = List.of(
                "'" + "a".repeat(3 << 20) + "'",
                "[".repeat(100_000),
                "[".repeat(150) + "]".repeat(150),
                "9".repeat(100_000),
                "1+".repeat(50_000) + "1",
                "'x' * 10 ** 10");
        for (String monster : monsters) {
            assertThat(await(verifier.checkDeduction(DESCRIBE, "'abc'", monster))).isNotEqualTo(Verdict.CORRECT);
            assertThat(await(verifier.checkAbduction(REVERSE, monster, "'olleh'"))).isNotEqualTo(Verdict.CORRECT);
        }
        assertThat(await(pool.evaluate("", "'still serving'")).result()).isEqualTo("'still serving'");
    }

    @Test
    void nullAnswersAreMalformed() {
        assertThat(await(verifier.checkDeduction(DESCRIBE, "'abc'", null))).isEqualTo(Verdict.MALFORMED);
        assertThat(await(verifier.checkAbduction(REVERSE, null, "'olleh'"))).isEqualTo(Verdict.MALFORMED);
        assertThat(await(verifier.validate(null, List.of("1"))).valid()).isFalse();
    }
}
