package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.NOBODY;
import static dev.autodidact.sandbox.Sandboxes.await;
import static dev.autodidact.sandbox.Sandboxes.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile programs against one shared pool: escape, exhaustion, snooping, network, sabotage of
 * later jobs, killing the parent, forging protocol frames and leaving processes behind.
 *
 * <p>Case {@code kind-some-name} runs src/test/resources/adversarial/kind_some_name.py, after
 * _prelude.py and a CANARY dict of pids, ports and paths (never the secrets). A program returns
 * 'ESCAPED:evidence' when its attack worked; the test asserts that it did not, and that the
 * canaries set up here saw nothing: secret files unread, servers on 127.0.0.1 never reached, no
 * file created outside, the JVM alive, no reply forged, output within its caps, no process left
 * behind, and the honest follow-up jobs answered right, both on the hostile's worker (or its
 * replacement) and on the other one. Only containment is asserted, never how a program was
 * stopped: an import refused, a system call denied, a timeout and a crash all contain it.
 *
 * <p>A case that is not contained kills every worker afterwards, so that what it left does not
 * decide the next case's verdict; when every case is contained the pool is never reset, and the
 * last tests check the pool exactly as the hostile programs left it. Each case's outcome is
 * printed at the end and written to target/adversarial-suite-report.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdversarialSuiteIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long MEMORY_BYTES = 256L << 20;
    private static final int MAX_OUTPUT_CHARS = SandboxConfig.defaults().maxOutputChars();
    private static final String MARKER = "ESCAPED";
    /** A job that kills two workers takes two timeouts at most, plus two restarts. */
    private static final long MAX_CASE_MILLIS = 2 * TIMEOUT.toMillis() + 8_000;
    private static final String BASELINE = "<baseline state>";
    private static final String RESOURCES = "/adversarial/";

    private static SandboxPool pool;
    private static Canaries canaries;
    private static String prelude;
    private static String baselineState;
    private static long baselineDescendants;
    private static Set<Long> orphansBefore;
    private static final Map<String, String> outcomes = new LinkedHashMap<>();
    private static final Map<String, String> notes = new LinkedHashMap<>();

    // ---------------------------------------------------------------------------------------
    // Follow-up jobs: honest programs with known answers, run after a hostile job on the
    // hostile's worker (or its replacement) and on the other one.

    /** An honest job and what it must answer; {@code label} names it in reports. */
    record FollowUp(String label, String code, String expression, String expectedResult, String expectedStdout) {

        @Override
        public String toString() {
            return label;
        }
    }

    private static FollowUp followUp(String code, String expression, String expected) {
        String label = code.isEmpty() || code.contains("\ndef ") || code.startsWith("def ")
                ? expression : code.strip().replace("\n", "; ") + "; " + expression;
        return new FollowUp(label, code, expression, expected, null);
    }

    private static FollowUp named(String label, FollowUp followUp) {
        return new FollowUp(label, followUp.code(), followUp.expression(), followUp.expectedResult(),
                followUp.expectedStdout());
    }

    private static final String COMPUTE_CODE = lines(
            "def f(n):",
            "    total = 0",
            "    for i in range(n):",
            "        total += i % 7",
            "    return total");
    private static final int COMPUTE_N = 1_500_000;

    private static final FollowUp LEN = followUp("", "len([1, 2, 3])", "3");
    private static final FollowUp REPR = followUp("", "repr([1, 'a'])", "\"[1, 'a']\"");
    private static final FollowUp SORTED = followUp("", "sorted([3, 1, 2])", "[1, 2, 3]");
    private static final FollowUp ISINSTANCE = followUp("", "isinstance(1, int)", "True");
    private static final FollowUp PRINT = new FollowUp(
            "print('hello', 42)", "print('hello', 42)", "'printed'", "'printed'", "hello 42\n");
    private static final FollowUp IDENTITY = named("def f(x): return x; f(7)", followUp("def f(x):\n    return x\n", "f(7)", "7"));
    private static final FollowUp NO_NEW_BUILTIN = followUp("import builtins", "hasattr(builtins, 'adv_leftover')", "False");
    private static final FollowUp RECURSION = named("recursion 400 deep", followUp(
            "def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\n", "f(400)", "400"));
    private static final FollowUp ALLOCATING_LEN = named("allocate 20000 lists, then len", followUp(
            "def f():\n    junk = [[i] for i in range(20000)]\n    return len([1, 2, 3])\n", "f()", "3"));
    private static final FollowUp COMPUTE = named("compute for ~200 ms", followUp(COMPUTE_CODE, "f(" + COMPUTE_N + ")",
            String.valueOf(IntStream.range(0, COMPUTE_N).mapToLong(i -> i % 7).sum())));
    private static final FollowUp MATH_PI = followUp("import math", "math.pi", "3.141592653589793");
    private static final FollowUp MATH_SQRT = followUp("import math", "math.sqrt(16)", "4.0");
    private static final FollowUp JSON_DUMPS = followUp("import json", "json.dumps({'a': [1, 2]})", "'{\"a\": [1, 2]}'");
    private static final FollowUp JSON_LOADS = followUp("import json", "json.loads('[1, 2]')", "[1, 2]");
    private static final FollowUp HEAPQ = followUp("import heapq\nh = [3, 1, 2]\nheapq.heapify(h)", "heapq.heappop(h)", "1");
    private static final FollowUp COUNTER = followUp(
            "import collections", "collections.Counter('aab').most_common(1)", "[('a', 2)]");
    private static final FollowUp REDUCE = followUp(
            "import functools, operator", "functools.reduce(operator.add, [1, 2, 3])", "6");
    private static final FollowUp PERMUTATIONS = followUp(
            "import itertools", "len(list(itertools.permutations([1, 2, 3])))", "6");
    private static final FollowUp ASCII = followUp("import string", "string.ascii_lowercase[:3]", "'abc'");
    private static final FollowUp UPPER = followUp("", "'abc'.upper()", "'ABC'");
    private static final FollowUp LIST_SORT = followUp("x = [3, 1, 2]\nx.sort()", "x", "[1, 2, 3]");
    private static final FollowUp FRACTIONS = followUp(
            "import fractions", "fractions.Fraction(1, 3) + fractions.Fraction(1, 6)", "Fraction(1, 2)");
    private static final FollowUp STATISTICS = followUp("import statistics", "statistics.mean([1, 2, 3, 4])", "2.5");
    private static final FollowUp REGEX = followUp("import re", "re.findall(r'\\d+', 'a1b22c333')", "['1', '22', '333']");
    private static final FollowUp BIG_INT = followUp("", "len(str(10 ** 1000))", "1001");
    private static final FollowUp DECIMAL = followUp(
            "import decimal", "str(decimal.Decimal(1) / decimal.Decimal(3))", "'0.3333333333333333333333333333'");
    private static final FollowUp TEMPLATE = followUp("import string", "string.Template('$a!').substitute(a='hi')", "'hi!'");
    private static final FollowUp HTML = followUp("import html", "html.escape('<')", "'&lt;'");
    private static final FollowUp CALENDAR = followUp("import calendar", "calendar.isleap(2024)", "True");
    private static final FollowUp NO_NEW_VARIABLE = followUp("import os", "os.environ.get('ADV_LEFTOVER')", "None");
    private static final FollowUp BIG_ALLOCATION = followUp("", "len(bytearray(100 << 20))", "104857600");
    private static final FollowUp DEEPCOPY = followUp("import copy", "copy.deepcopy([1, [2]])", "[1, [2]]");
    private static final FollowUp READ_FILE = followUp(
            "", "len(open('/usr/lib/python3.11/os.py').read()) > 1000", "True");
    private static final FollowUp NO_LEFTOVER_DATA = named("read leftover data from open fds", followUp(lines(
            "import os",
            "def f():",
            "    found = []",
            "    for fd in range(3, 65):",
            "        try:",
            "            blocking = os.get_blocking(fd)",
            "        except OSError:",
            "            continue",
            "        try:",
            "            os.set_blocking(fd, False)",
            "            data = os.read(fd, 4096)",
            "        except OSError:",
            "            continue",
            "        finally:",
            "            os.set_blocking(fd, blocking)",
            "        if b'LEFTOVER' in data:",
            "            found.append(fd)",
            "    return found"), "f()", "[]"));
    /** Process and interpreter state a job leaves to the next; must equal a fresh worker's. */
    private static final FollowUp STATE = named("process and interpreter state", followUp(lines(
            "import os, resource, signal, sys",
            "def attempt(compute):",
            "    try:",
            "        return compute()",
            "    except Exception as error:",
            "        return 'n/a: ' + type(error).__name__",
            "def fds():",
            "    found = []",
            "    for fd in range(256):",
            "        try:",
            "            os.fstat(fd)",
            "            found.append(fd)",
            "        except OSError:",
            "            pass",
            "    return found",
            "def umask():",
            "    mask = os.umask(0o22)",
            "    os.umask(mask)",
            "    return mask",
            "def gc_callbacks():",
            "    import gc",
            "    return len(gc.callbacks)",
            "SIGNALS = ('SIGINT', 'SIGTERM', 'SIGALRM', 'SIGUSR1', 'SIGPIPE', 'SIGCHLD', 'SIGHUP', 'SIGXFSZ', 'SIGXCPU')",
            "LIMITS = ('RLIMIT_AS', 'RLIMIT_CPU', 'RLIMIT_FSIZE', 'RLIMIT_NOFILE', 'RLIMIT_NPROC', 'RLIMIT_STACK', 'RLIMIT_CORE')",
            "def f():",
            "    return [",
            "        ('fds', attempt(fds)),",
            "        ('cwd', attempt(os.getcwd)),",
            "        ('umask', attempt(umask)),",
            "        ('environ', attempt(lambda: sorted(os.environ.items()))),",
            "        ('handlers', attempt(lambda: [str(signal.getsignal(getattr(signal, s))) for s in SIGNALS])),",
            "        ('blocked', attempt(lambda: sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])))),",
            "        ('timer', attempt(lambda: signal.getitimer(signal.ITIMER_REAL))),",
            "        ('limits', attempt(lambda: [resource.getrlimit(getattr(resource, r)) for r in LIMITS])),",
            "        ('recursion', attempt(sys.getrecursionlimit)),",
            "        ('digits', attempt(sys.get_int_max_str_digits)),",
            "        ('trace', attempt(lambda: sys.gettrace() is None)),",
            "        ('profile', attempt(lambda: sys.getprofile() is None)),",
            "        ('meta_path', attempt(lambda: [type(finder).__name__ for finder in sys.meta_path])),",
            "        ('gc_callbacks', attempt(gc_callbacks)),",
            "    ]"), "f()", BASELINE));

    private static final List<FollowUp> BASICS = List.of(LEN, REPR, SORTED, ISINSTANCE, PRINT, IDENTITY);
    private static final List<FollowUp> DISTINCT = IntStream.rangeClosed(1, 4)
            .mapToObj(k -> followUp("", "1000 * " + k + " + 7", String.valueOf(1000 * k + 7)))
            .toList();

    // ---------------------------------------------------------------------------------------
    // The cases.

    /** How a case runs: by default its program, once; some take several steps. */
    @FunctionalInterface
    interface Scenario {
        ExecResult run(Case hostile);
    }

    static final class Case {
        final String name;
        final String category;
        String expression = "f()";
        final List<FollowUp> followUps = new ArrayList<>();
        Scenario scenario = hostile -> await(pool.evaluate(program(hostile.resource()), hostile.expression));
        BiConsumer<ExecResult, List<String>> extraCheck = (result, problems) -> {};

        Case(String name) {
            this.name = name;
            this.category = switch (name.substring(0, name.indexOf('-'))) {
                case "escape" -> "escape";
                case "exhaust" -> "exhaustion";
                case "snoop" -> "snooping";
                case "net" -> "network";
                case "sabotage" -> "sabotage of later jobs";
                case "kill" -> "killing the parent";
                case "forge" -> "forging protocol frames";
                case "leave" -> "leaving processes behind";
                default -> throw new IllegalArgumentException(name);
            };
        }

        String resource() {
            return name.replace('-', '_') + ".py";
        }

        Case expression(String value) {
            expression = value;
            return this;
        }

        Case then(List<FollowUp> more) {
            followUps.addAll(more);
            return this;
        }

        Case then(FollowUp... more) {
            return then(List.of(more));
        }

        Case scenario(Scenario value) {
            scenario = value;
            return this;
        }

        Case check(BiConsumer<ExecResult, List<String>> value) {
            extraCheck = value;
            return this;
        }

        @Override
        public String toString() {
            return category + ": " + name;
        }
    }

    private static Case hostile(String name) {
        return new Case(name);
    }

    static Stream<Arguments> cases() {
        List<Case> all = List.of(
                // Escape
                hostile("escape-chroot"),
                hostile("escape-unshare"),
                hostile("escape-mount"),
                hostile("escape-setns"),
                hostile("escape-pivot-root"),
                hostile("escape-ptrace"),
                hostile("escape-write-system-dirs"),
                hostile("escape-shared-host-dirs"),
                hostile("escape-device-and-owner"),
                hostile("escape-exec-shell"),
                hostile("escape-subprocess"),
                hostile("escape-os-system"),
                hostile("escape-executor-tamper"),
                hostile("escape-io-uring"),
                hostile("escape-kernel-surface"),
                hostile("escape-become-root"),
                // Exhaustion
                hostile("exhaust-busy-loop").check(AdversarialSuiteIT::mustNotBeOk),
                hostile("exhaust-memory"),
                hostile("exhaust-mmap"),
                hostile("exhaust-deep-recursion").check(AdversarialSuiteIT::mustNotBeOk),
                hostile("exhaust-fork-bomb"),
                hostile("exhaust-thread-bomb"),
                hostile("exhaust-file-descriptors").then(STATE, READ_FILE),
                hostile("exhaust-print"),
                hostile("exhaust-huge-repr"),
                hostile("exhaust-fill-tmp"),
                hostile("exhaust-fallocate-tmp"),
                hostile("exhaust-sleep-forever").check(AdversarialSuiteIT::mustNotBeOk),
                hostile("exhaust-block-forever").check(AdversarialSuiteIT::mustNotBeOk),
                hostile("exhaust-signal-games").check(AdversarialSuiteIT::mustNotBeOk),
                hostile("exhaust-pthread-kill").check(AdversarialSuiteIT::mustNotBeOk).then(DISTINCT),
                hostile("exhaust-sigstop-self").check(AdversarialSuiteIT::mustNotBeOk).then(DISTINCT),
                // Snooping
                hostile("snoop-environment"),
                hostile("snoop-proc-cmdlines"),
                hostile("snoop-etc"),
                hostile("snoop-home"),
                hostile("snoop-tmp-secret"),
                hostile("snoop-workdir-secret"),
                hostile("snoop-list-root"),
                hostile("snoop-host-tmp"),
                hostile("snoop-sys"),
                hostile("snoop-dev"),
                hostile("snoop-executor-files"),
                hostile("snoop-proc-net"),
                hostile("snoop-mounts"),
                hostile("snoop-other-worker-memory").scenario(AdversarialSuiteIT::readAnotherWorkersMemory),
                hostile("snoop-json-decoder-spy").scenario(hostile -> spyOnTheNextJob(hostile, "snoop_json_decoder_collect.py"))
                        .then(IDENTITY, STATE),
                hostile("snoop-json-instance-spy").scenario(hostile -> spyOnTheNextJob(hostile, "snoop_json_instance_collect.py"))
                        .then(JSON_LOADS, STATE),
                // Network
                hostile("net-tcp-loopback"),
                hostile("net-route-outside"),
                hostile("net-udp-loopback"),
                hostile("net-dns-exfiltration"),
                hostile("net-unix-socket"),
                hostile("net-raw-socket"),
                hostile("net-socketpair"),
                hostile("net-listen-backdoor").check(AdversarialSuiteIT::backdoorUnreachable),
                hostile("net-netlink"),
                // Sabotage of later jobs
                hostile("sabotage-builtins").then(BASICS).then(NO_NEW_BUILTIN, STATE),
                hostile("sabotage-type-dict").then(UPPER, LIST_SORT, SORTED, STATE),
                hostile("sabotage-stdlib-attributes").then(MATH_PI, MATH_SQRT, JSON_DUMPS, JSON_LOADS, HEAPQ, COUNTER,
                        REDUCE, PERMUTATIONS, ASCII, STATE),
                hostile("sabotage-sys-modules").then(MATH_PI, MATH_SQRT, JSON_DUMPS, JSON_LOADS, COUNTER, STATE),
                hostile("sabotage-meta-path").then(FRACTIONS, STATISTICS, STATE),
                hostile("sabotage-meta-path-new-modules").then(HTML, CALENDAR, STATE),
                hostile("sabotage-class-patch").then(COUNTER, FRACTIONS, TEMPLATE, STATE),
                hostile("sabotage-stdout").then(PRINT, LEN, STATE),
                hostile("sabotage-tmp-leftover").then(AdversarialSuiteIT.noLeftoverFile(), STATE),
                hostile("sabotage-leak-pipe").then(NO_LEFTOVER_DATA, STATE, READ_FILE),
                hostile("sabotage-trace-profile").then(IDENTITY, LEN, STATE),
                hostile("sabotage-finalizer-timebomb").expression("Bomb()").then(IDENTITY, LEN, RECURSION, STATE),
                hostile("sabotage-gc-callback").then(ALLOCATING_LEN, ALLOCATING_LEN, STATE),
                hostile("sabotage-audit-hook").then(IDENTITY, LEN, STATE),
                hostile("sabotage-audit-spy").scenario(hostile -> spyOnTheNextJob(hostile, "sabotage_audit_spy_collect.py"))
                        .then(IDENTITY, STATE),
                hostile("sabotage-atexit").then(DISTINCT).then(STATE),
                hostile("sabotage-recursion-limit").then(RECURSION, STATE),
                hostile("sabotage-thread-meddler").then(LEN, ALLOCATING_LEN, STATE),
                hostile("sabotage-cwd-umask").then(STATE, READ_FILE),
                hostile("sabotage-environ").then(NO_NEW_VARIABLE, STATE),
                hostile("sabotage-rlimits").then(READ_FILE, BIG_ALLOCATION, STATE),
                hostile("sabotage-signal-handlers").then(STATE),
                hostile("sabotage-signal-mask").then(STATE),
                hostile("sabotage-itimer-timebomb").then(COMPUTE, COMPUTE, STATE),
                hostile("sabotage-alarm-kills-later").then(COMPUTE, COMPUTE, COMPUTE, COMPUTE, STATE),
                hostile("sabotage-executor-internals").then(DISTINCT).then(LEN, STATE),
                hostile("sabotage-signal-frame-takeover").then(DISTINCT).then(LEN, STATE),
                hostile("sabotage-builtins-snapshot").then(LEN, STATE),
                hostile("sabotage-re-cache").then(REGEX, STATE),
                hostile("sabotage-instance-state").then(JSON_DUMPS, REGEX, STATE),
                hostile("sabotage-copy-dispatch").then(DEEPCOPY, STATE),
                hostile("sabotage-int-digits").then(BIG_INT, STATE),
                hostile("sabotage-decimal-context").then(DECIMAL, STATE),
                // Killing the parent
                hostile("kill-parent").then(DISTINCT),
                hostile("kill-everything").then(DISTINCT),
                hostile("kill-jvm").then(DISTINCT),
                hostile("kill-process-group").then(DISTINCT),
                hostile("kill-other-workers").then(DISTINCT),
                hostile("kill-self").check(AdversarialSuiteIT::mustNotBeOk).then(DISTINCT),
                hostile("kill-protocol-fds").check(AdversarialSuiteIT::mustNotBeOk).then(DISTINCT),
                // Forging protocol frames
                hostile("forge-blind").then(DISTINCT).then(STATE),
                hostile("forge-getframe").then(DISTINCT).then(STATE),
                hostile("forge-traceback-exit").then(DISTINCT),
                hostile("forge-signal-frame").then(DISTINCT).then(STATE),
                hostile("forge-gc-exit").then(DISTINCT),
                hostile("forge-next-job").then(DISTINCT).then(STATE),
                hostile("forge-json-encoder").then(DISTINCT).then(STATE),
                hostile("forge-garbage").then(DISTINCT),
                // Leaving processes behind
                hostile("leave-fork-setsid"),
                hostile("leave-double-fork"),
                hostile("leave-posix-spawn"),
                hostile("leave-clone-syscall"),
                hostile("leave-pty-and-popen"),
                hostile("leave-daemon-thread").then(DISTINCT).then(STATE));
        return all.stream().map(hostile -> Arguments.of(Named.of(hostile.toString(), hostile)));
    }

    // ---------------------------------------------------------------------------------------

    @BeforeAll
    static void startPoolAndCanaries() throws IOException, InterruptedException {
        canaries = Canaries.create();
        prelude = resource("_prelude.py");
        orphansBefore = Sandboxes.newOrphansOf(NOBODY, Set.of()).stream()
                .map(Sandboxes.ProcInfo::pid).collect(Collectors.toSet());
        pool = SandboxPool.start(SandboxConfig.defaults()
                .withWorkers(2).withTimeout(TIMEOUT).withMemoryBytes(MEMORY_BYTES));
        ExecResult first = await(pool.evaluate(STATE.code(), STATE.expression()));
        ExecResult second = await(pool.evaluateAvoiding(first.workerId(), STATE.code(), STATE.expression()));
        assertThat(first.status()).as("baseline state: %s", first.error()).isEqualTo(Status.OK);
        assertThat(second.result()).as("both fresh workers start in the same state").isEqualTo(first.result());
        baselineState = first.result();
        Sandboxes.eventually(2_000, () -> ProcessHandle.current().descendants().count() >= 2);
        Thread.sleep(300);
        baselineDescendants = ProcessHandle.current().descendants().count();
    }

    @AfterAll
    static void closePoolAndCanaries() {
        if (pool != null) {
            pool.close();
        }
        if (canaries != null) {
            canaries.close();
        }
        StringBuilder report = new StringBuilder("\nAdversarial suite, " + outcomes.size() + " cases:\n");
        outcomes.forEach((name, outcome) -> report.append(String.format("  %-45s %s%n", name, outcome)));
        System.out.print(report);
        try {
            Path target = Path.of(System.getProperty("user.dir"), "target");
            if (Files.isDirectory(target)) {
                Files.writeString(target.resolve("adversarial-suite-report.txt"), report.toString());
            }
        } catch (IOException ignored) {
            // The report on stdout is enough.
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileProgramIsContained(Case hostile) {
        List<String> problems = new ArrayList<>();
        Canaries.Counts before = canaries.counts();
        long started = System.nanoTime();
        ExecResult result = null;
        try {
            result = hostile.scenario.run(hostile);
            checkContained(result, (System.nanoTime() - started) / 1_000_000, problems);
            hostile.extraCheck.accept(result, problems);
            runFollowUps(hostile, result, problems);
            checkCanaries(before, problems);
            checkProcesses(problems);
            ExecResult honest = await(pool.evaluate("", "6 * 7"));
            if (!"42".equals(honest.result())) {
                problems.add("the pool no longer answers: " + describe(honest));
            }
        } catch (RuntimeException | AssertionError e) {
            problems.add("the case could not run to its end: " + e);
        } finally {
            String outcome = (result == null ? "no result" : describe(result))
                    + " in " + (System.nanoTime() - started) / 1_000_000 + " ms"
                    + (notes.containsKey(hostile.name) ? " (" + notes.get(hostile.name) + ")" : "");
            outcomes.put(hostile.name, (problems.isEmpty() ? "contained      " : "NOT CONTAINED  ") + outcome
                    + (problems.isEmpty() ? "" : " -- " + String.join("; ", problems)));
            if (!problems.isEmpty()) {
                // Whatever the program left must not spill into the next case's verdict.
                resetPool();
            }
        }
        assertThat(problems).as("%s (%s)", hostile, describe(result)).isEmpty();
    }

    @Order(2)
    @Test
    void thePoolStillAnswersFiftyHonestJobsAndIsInItsFreshState() {
        Random random = new Random(42);
        List<List<Integer>> inputs = IntStream.range(0, 50)
                .mapToObj(i -> random.ints(1 + random.nextInt(12), -100, 100).boxed().toList())
                .toList();
        List<CompletableFuture<ExecResult>> jobs = inputs.stream()
                .map(input -> pool.call("def f(x):\n    return sorted(x)\n", input.toString()))
                .toList();
        for (int i = 0; i < jobs.size(); i++) {
            ExecResult result = await(jobs.get(i));
            String expected = inputs.get(i).stream().sorted().toList().toString();
            assertThat(result.status()).as("job %d: %s", i, result.error()).isEqualTo(Status.OK);
            assertThat(result.result()).as("job %d", i).isEqualTo(expected);
        }
        ExecResult one = await(pool.evaluate(STATE.code(), STATE.expression()));
        ExecResult other = await(pool.evaluateAvoiding(one.workerId(), STATE.code(), STATE.expression()));
        assertThat(one.result()).isEqualTo(baselineState);
        assertThat(other.result()).isEqualTo(baselineState);
    }

    @Order(3)
    @Test
    void closingThePoolLeavesNoProcessBehind() {
        pool.close();

        boolean noDescendants = Sandboxes.eventually(5_000, () -> ProcessHandle.current().descendants().findAny().isEmpty());
        assertThat(noDescendants)
                .as("processes below the JVM: %s", ProcessHandle.current().descendants().map(ProcessHandle::pid).toList())
                .isTrue();
        boolean noNobody = Sandboxes.eventually(3_000, () -> leftovers().isEmpty());
        assertThat(noNobody).as("uid %d processes of this JVM or orphaned: %s", NOBODY, leftovers()).isTrue();
    }

    private static List<Sandboxes.ProcInfo> leftovers() {
        return Sandboxes.ownOrOrphanedProcessesOf(NOBODY).stream()
                .filter(process -> !orphansBefore.contains(process.pid()))
                .toList();
    }

    // ---------------------------------------------------------------------------------------
    // Checks.

    private static void checkContained(ExecResult result, long millis, List<String> problems) {
        if (result.ok() && result.result() != null && result.result().contains(MARKER)) {
            problems.add("the attack worked: " + result.result());
        }
        if (result.ok() && result.result() != null && result.result().contains("FORGED")) {
            problems.add("a forged reply was accepted: " + result.result());
        }
        for (String secret : canaries.secrets()) {
            for (String text : new String[] {result.result(), result.stdout(), result.error()}) {
                if (text != null && text.contains(secret)) {
                    problems.add("a secret reached the job's output");
                }
            }
        }
        if (result.stdout() != null && result.stdout().length() > MAX_OUTPUT_CHARS) {
            problems.add("stdout of " + result.stdout().length() + " chars passed the cap");
        }
        if (result.result() != null && result.result().length() > MAX_OUTPUT_CHARS) {
            problems.add("a result of " + result.result().length() + " chars passed the cap");
        }
        if (millis > MAX_CASE_MILLIS) {
            problems.add("the job took " + millis + " ms");
        }
    }

    /** For programs that can only end by being stopped (loops, sleeps, self-kills). */
    private static void mustNotBeOk(ExecResult result, List<String> problems) {
        if (result.ok()) {
            problems.add("a program that cannot finish answered OK: " + result.result());
        }
    }

    private static void backdoorUnreachable(ExecResult result, List<String> problems) {
        Matcher listening = Pattern.compile("LISTENING:(\\d+)").matcher(String.valueOf(result.result()));
        if (result.ok() && listening.find()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(listening.group(1))), 500);
                problems.add("the JVM reached a port the sandbox listens on: " + listening.group(1));
            } catch (IOException expected) {
                // Unreachable from outside: contained.
            }
        }
    }

    private static void runFollowUps(Case hostile, ExecResult result, List<String> problems) {
        if (hostile.followUps.isEmpty()) {
            return;
        }
        int hostileWorker = result.workerId();
        int otherWorker = await(pool.evaluateAvoiding(hostileWorker, "", "'probe'")).workerId();
        boolean onHostileWorker = false;
        for (FollowUp followUp : hostile.followUps) {
            // First where the hostile job ran (or its replacement), then on the other worker.
            for (int avoided : new int[] {otherWorker, hostileWorker}) {
                ExecResult answer = await(pool.evaluateAvoiding(avoided, followUp.code(), followUp.expression()));
                onHostileWorker |= answer.workerId() == hostileWorker;
                String expected = BASELINE.equals(followUp.expectedResult()) ? baselineState : followUp.expectedResult();
                boolean right = answer.ok() && expected.equals(answer.result())
                        && (followUp.expectedStdout() == null || followUp.expectedStdout().equals(answer.stdout()));
                if (!right) {
                    problems.add(String.format("follow-up `%s` on worker %d%s answered %s%s", followUp,
                            answer.workerId(), answer.workerId() == hostileWorker ? " (the hostile's)" : "",
                            describe(answer), answer.ok() ? " instead of " + abbreviate(expected) : ""));
                }
            }
        }
        if (hostileWorker != ExecResult.NO_WORKER && result.ok()) {
            outcomesNote(hostile, onHostileWorker ? "follow-ups reached the hostile's worker" : "hostile's worker replaced");
        }
    }

    private static void checkCanaries(Canaries.Counts before, List<String> problems) {
        Sandboxes.eventually(100, () -> !canaries.counts().equals(before));
        Canaries.Counts after = canaries.counts();
        if (after.tcp() != before.tcp()) {
            problems.add("the TCP canary on 127.0.0.1 was connected to: " + canaries.tcpData());
        }
        if (after.udp() != before.udp()) {
            problems.add("the UDP canary on 127.0.0.1 received datagrams");
        }
        if (after.dns() != before.dns()) {
            problems.add("the DNS canary on 127.0.0.1 received a query");
        }
        if (after.unix() != before.unix()) {
            problems.add("the Unix socket canary was connected to");
        }
        List<Path> planted = canaries.plantedFiles();
        if (!planted.isEmpty()) {
            problems.add("files appeared outside the sandbox: " + planted);
            canaries.removePlantedFiles();
        }
    }

    private static void checkProcesses(List<String> problems) {
        boolean settled = Sandboxes.eventually(3_000, () -> ProcessHandle.current().descendants().count() <= baselineDescendants
                && Sandboxes.newOrphansOf(NOBODY, orphansBefore).isEmpty());
        if (!settled) {
            List<Sandboxes.ProcInfo> orphans = Sandboxes.newOrphansOf(NOBODY, orphansBefore);
            long descendants = ProcessHandle.current().descendants().count();
            if (!orphans.isEmpty()) {
                problems.add("processes escaped the JVM's tree: " + orphans);
                orphans.forEach(orphan -> Sandboxes.killForcibly(orphan.pid()));
            }
            if (descendants > baselineDescendants) {
                problems.add(descendants + " processes below the JVM, " + baselineDescendants + " when the pool started");
            }
        }
    }

    /** Kills every worker from outside so that a failed case leaves nothing to the next one. */
    private static void resetPool() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        Sandboxes.newOrphansOf(NOBODY, orphansBefore).forEach(orphan -> Sandboxes.killForcibly(orphan.pid()));
        canaries.removePlantedFiles();
        // Until both slots answer from fresh processes (a first job may find both dead: CRASHED).
        for (int i = 0; i < 3; i++) {
            ExecResult one = await(pool.evaluate("", "1"));
            await(pool.evaluateAvoiding(one.workerId(), "", "2"));
        }
    }

    private static void outcomesNote(Case hostile, String note) {
        notes.put(hostile.name, note);
    }

    // ---------------------------------------------------------------------------------------
    // Multi-step scenarios.

    /** Step 1 on worker X leaves a marker in memory; step 2, on another worker, looks for it. */
    private static ExecResult readAnotherWorkersMemory(Case hostile) {
        ExecResult planted = await(pool.evaluate(program("snoop_plant_dumpable.py"), "f()"));
        return await(pool.evaluateAvoiding(planted.workerId(), program(hostile.resource()), "f()"));
    }

    /**
     * Step 1 installs a spy on worker X that keeps every program it sees; an honest job with a
     * secret then runs on X; step 3, a hostile job on X, collects.
     */
    private static ExecResult spyOnTheNextJob(Case hostile, String collector) {
        ExecResult spy = await(pool.evaluate(program(hostile.resource()), "f()"));
        int other = await(pool.evaluateAvoiding(spy.workerId(), "", "'probe'")).workerId();
        String victimSecret = canaries.newSecret("VICTIM-");
        ExecResult victim = await(pool.evaluateAvoiding(other,
                "SECRET = '" + victimSecret + "'\ndef f():\n    return len(SECRET)\n", "f()"));
        assertThat(victim.result()).as("the victim job: %s", describe(victim)).isEqualTo(String.valueOf(victimSecret.length()));
        return await(pool.evaluateAvoiding(other, program(collector), "f()"));
    }

    private static FollowUp noLeftoverFile() {
        return followUp("import os", "sorted(name for name in os.listdir('/tmp') if name.startswith('adv-leftover-'))", "[]");
    }

    // ---------------------------------------------------------------------------------------
    // Programs.

    private static String program(String resourceName) {
        return canaries.pythonDict() + "\n" + prelude + "\n" + resource(resourceName);
    }

    private static String resource(String name) {
        try (InputStream in = AdversarialSuiteIT.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(ExecResult result) {
        if (result == null) {
            return "no result";
        }
        String detail = result.ok() ? abbreviate(result.result()) : abbreviate(String.valueOf(result.error()));
        return result.status() + " " + detail;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        String line = text.replace('\n', ' ');
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    // ---------------------------------------------------------------------------------------

    /**
     * What the hostile programs must not reach: secret files, servers on 127.0.0.1, a 0777
     * directory of the host, and the JVM's identity, handed to the programs in a CANARY dict.
     */
    static final class Canaries implements AutoCloseable {

        record Counts(int tcp, int udp, int dns, int unix) {}

        private static final SecureRandom RANDOM = new SecureRandom();

        final String token = hex(8);
        private final List<String> secrets = new ArrayList<>();
        private final Path secretDir;
        private final Path secretFile;
        private final Path workdirSecret;
        private final Path dropDir;
        private final Path unixPath;
        private final LoopbackCanaries network;

        private Canaries(Path secretDir, Path secretFile, Path workdirSecret, Path dropDir, Path unixPath,
                         LoopbackCanaries network) {
            this.secretDir = secretDir;
            this.secretFile = secretFile;
            this.workdirSecret = workdirSecret;
            this.dropDir = dropDir;
            this.unixPath = unixPath;
            this.network = network;
        }

        static Canaries create() throws IOException {
            Path secretDir = Files.createTempDirectory(Path.of("/tmp"), "adv-canary-");
            Files.setPosixFilePermissions(secretDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path secretFile = secretDir.resolve("secret.txt");
            Path workdirSecret = Path.of(System.getProperty("user.dir"), "target", "adv-workdir-secret-" + hex(4) + ".txt");
            Files.createDirectories(workdirSecret.getParent());
            Path dropDir = Files.createTempDirectory(Path.of("/tmp"), "adv-drop-");
            Files.setPosixFilePermissions(dropDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Path unixPath = secretDir.resolve("canary.sock");
            Canaries canaries = new Canaries(secretDir, secretFile, workdirSecret, dropDir, unixPath,
                    LoopbackCanaries.open(unixPath));
            writeSecret(secretFile, canaries.newSecret("adv-tmp-secret-"));
            writeSecret(workdirSecret, canaries.newSecret("adv-workdir-secret-"));
            String marker = System.getenv("AUTODIDACT_TEST_SECRET");
            if (marker != null && !marker.isBlank()) {
                canaries.secrets.add(marker);
            }
            return canaries;
        }

        private static void writeSecret(Path file, String secret) throws IOException {
            Files.writeString(file, secret + "\n");
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }

        String newSecret(String prefix) {
            String secret = prefix + hex(12);
            secrets.add(secret);
            return secret;
        }

        List<String> secrets() {
            return List.copyOf(secrets);
        }

        Counts counts() {
            return network.counts();
        }

        String tcpData() {
            return network.tcpData();
        }

        /** Files carrying the token, or anything at all in the drop directory. */
        List<Path> plantedFiles() {
            List<Path> found = new ArrayList<>();
            try (Stream<Path> dropped = Files.list(dropDir)) {
                dropped.forEach(found::add);
            } catch (IOException ignored) {
                // The directory is ours; an unreadable one shows up as a failure elsewhere.
            }
            List<Path> places = new ArrayList<>(List.of(Path.of("/tmp"), Path.of("/var/tmp"), Path.of("/dev/shm"),
                    Path.of("/usr"), Path.of("/etc"), Path.of("/"), Path.of("/usr/lib/python3.11"),
                    Path.of("/usr/lib/python3/dist-packages")));
            try (Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
                tmp.filter(path -> path.getFileName().toString().startsWith("autodidact-sandbox-")).forEach(places::add);
            } catch (IOException ignored) {
                // /tmp always exists here.
            }
            for (Path place : places) {
                try (Stream<Path> entries = Files.list(place)) {
                    entries.filter(path -> path.getFileName().toString().contains(token)).forEach(found::add);
                } catch (IOException ignored) {
                    // Gone or unreadable: nothing planted there that we could see either.
                }
            }
            return found;
        }

        void removePlantedFiles() {
            for (Path path : plantedFiles()) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // Reported already; nothing more to do.
                }
            }
        }

        /** The CANARY dict every program starts with. */
        String pythonDict() {
            ProcessHandle jvm = ProcessHandle.current();
            String workers = jvm.descendants().map(process -> String.valueOf(process.pid()))
                    .collect(Collectors.joining(", ", "[", "]"));
            String envNames = System.getenv().keySet().stream()
                    .filter(name -> name.matches("[A-Za-z_][A-Za-z0-9_]*"))
                    .filter(name -> !WorkerLauncher.ENVIRONMENT.containsKey(name))
                    .sorted()
                    .map(name -> "'" + name + "'")
                    .collect(Collectors.joining(", ", "[", "]"));
            Map<String, String> entries = new LinkedHashMap<>();
            entries.put("jvm_pid", String.valueOf(jvm.pid()));
            entries.put("jvm_pgid", String.valueOf(processGroup()));
            entries.put("jvm_cwd", quote(System.getProperty("user.dir")));
            entries.put("jvm_env_names", envNames);
            entries.put("worker_pids", workers);
            entries.put("tcp_port", String.valueOf(network.tcpPort()));
            entries.put("udp_port", String.valueOf(network.udpPort()));
            entries.put("dns_port", String.valueOf(network.dnsPort()));
            entries.put("unix_path", quote(unixPath.toString()));
            entries.put("secret_path", quote(secretFile.toString()));
            entries.put("secret_dir_name", quote(secretDir.getFileName().toString()));
            entries.put("workdir_secret_path", quote(workdirSecret.toString()));
            entries.put("drop_dir", quote(dropDir.toString()));
            entries.put("token", quote(token));
            entries.put("memory_bytes", String.valueOf(MEMORY_BYTES));
            return entries.entrySet().stream()
                    .map(entry -> "'" + entry.getKey() + "': " + entry.getValue())
                    .collect(Collectors.joining(", ", "CANARY = {", "}"));
        }

        private static long processGroup() {
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[2]);
            } catch (IOException | RuntimeException e) {
                return ProcessHandle.current().pid();
            }
        }

        private static String quote(String text) {
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }

        private static String hex(int bytes) {
            byte[] random = new byte[bytes];
            RANDOM.nextBytes(random);
            return HexFormat.of().formatHex(random);
        }

        @Override
        public void close() {
            network.close();
            for (Path path : List.of(secretFile, unixPath, workdirSecret)) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // Temporary files; the OS cleans /tmp eventually.
                }
            }
            removePlantedFiles();
            for (Path dir : List.of(secretDir, dropDir)) {
                try (Stream<Path> left = Files.list(dir)) {
                    for (Path path : (Iterable<Path>) left::iterator) {
                        Files.deleteIfExists(path);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // As above.
                }
            }
        }
    }

    /** A TCP server, two UDP sockets and a Unix socket server, counting whoever reaches them. */
    static final class LoopbackCanaries implements AutoCloseable {

        private final ServerSocket tcp;
        private final DatagramSocket udp;
        private final DatagramSocket dns;
        private final ServerSocketChannel unix;
        private final AtomicInteger tcpCount = new AtomicInteger();
        private final AtomicInteger udpCount = new AtomicInteger();
        private final AtomicInteger dnsCount = new AtomicInteger();
        private final AtomicInteger unixCount = new AtomicInteger();
        private final StringBuffer tcpData = new StringBuffer();
        private volatile boolean closed;

        private LoopbackCanaries(ServerSocket tcp, DatagramSocket udp, DatagramSocket dns, ServerSocketChannel unix) {
            this.tcp = tcp;
            this.udp = udp;
            this.dns = dns;
            this.unix = unix;
        }

        static LoopbackCanaries open(Path unixPath) throws IOException {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            unix.bind(UnixDomainSocketAddress.of(unixPath));
            Files.setPosixFilePermissions(unixPath, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            LoopbackCanaries canaries = new LoopbackCanaries(
                    new ServerSocket(0, 50, loopback), new DatagramSocket(0, loopback), new DatagramSocket(0, loopback), unix);
            canaries.daemon("canary-tcp", canaries::serveTcp);
            canaries.daemon("canary-udp", () -> canaries.serveDatagrams(canaries.udp, canaries.udpCount));
            canaries.daemon("canary-dns", () -> canaries.serveDatagrams(canaries.dns, canaries.dnsCount));
            canaries.daemon("canary-unix", canaries::serveUnix);
            return canaries;
        }

        int tcpPort() {
            return tcp.getLocalPort();
        }

        int udpPort() {
            return udp.getLocalPort();
        }

        int dnsPort() {
            return dns.getLocalPort();
        }

        Canaries.Counts counts() {
            return new Canaries.Counts(tcpCount.get(), udpCount.get(), dnsCount.get(), unixCount.get());
        }

        String tcpData() {
            return tcpData.toString();
        }

        private void daemon(String name, Runnable body) {
            Thread thread = new Thread(body, name);
            thread.setDaemon(true);
            thread.start();
        }

        private void serveTcp() {
            while (!closed) {
                try (Socket client = tcp.accept()) {
                    tcpCount.incrementAndGet();
                    client.setSoTimeout(200);
                    byte[] buffer = new byte[256];
                    int read = client.getInputStream().read(buffer);
                    if (read > 0) {
                        tcpData.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1)).append(' ');
                    }
                } catch (IOException e) {
                    // Closed, or a client that sent nothing: either way counted already.
                }
            }
        }

        private void serveDatagrams(DatagramSocket socket, AtomicInteger count) {
            byte[] buffer = new byte[4096];
            while (!closed) {
                try {
                    socket.receive(new DatagramPacket(buffer, buffer.length));
                    count.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serveUnix() {
            while (!closed) {
                try (SocketChannel client = unix.accept()) {
                    unixCount.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            for (AutoCloseable socket : new AutoCloseable[] {tcp, udp, dns, unix}) {
                try {
                    socket.close();
                } catch (Exception ignored) {
                    // Test teardown.
                }
            }
        }
    }
}
