package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.await;
import static dev.autodidact.sandbox.Sandboxes.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A program must learn nothing of the JVM's environment (it holds database passwords, tokens). */
class EnvironmentIsolationIT {

    /** Set on the test JVM by the surefire and failsafe configuration in this module's pom. */
    private static final String MARKER = "AUTODIDACT_TEST_SECRET";

    private static final String SNOOPING_PROGRAM = lines(
            "import os",
            "def read_environ(pid):",
            "    try:",
            "        with open('/proc/%s/environ' % pid, 'rb') as handle:",
            "            return handle.read().decode('utf-8', 'replace')",
            "    except OSError as error:",
            "        return 'unreadable: ' + type(error).__name__",
            "def pids():",
            "    try:",
            "        return [pid for pid in os.listdir('/proc') if pid.isdigit()]",
            "    except OSError:",
            "        return []",
            "def f(jvm):",
            "    me = os.getpid()",
            "    others = [read_environ(pid) for pid in pids() + [str(jvm), '1', 'self'] if pid != str(me)]",
            "    return {",
            "        'own': dict(os.environ),",
            "        'pid': me,",
            "        'parent_pid': os.getppid(),",
            "        'jvm': read_environ(jvm),",
            "        'readable_others': [text for text in others if not text.startswith('unreadable')],",
            "    }");

    private static SandboxPool pool;

    @BeforeAll
    static void startPool() {
        // Room for every environment a program might manage to read.
        pool = SandboxPool.start(SandboxConfig.defaults().withWorkers(1).withMaxOutputChars(4 << 20));
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Test
    void workersReportEveryLayerOfTheJail() {
        Isolation isolation = pool.isolation();

        assertThat(isolation.complete()).as(isolation.describe()).isTrue();
        assertThat(isolation.layers()).containsEntry("uid", 65534).containsEntry("capabilities", "none")
                .containsEntry("no_new_privs", true).containsEntry("pid_in_namespace", 1);
        assertThat(String.valueOf(isolation.layers().get("namespaces")))
                .contains("user", "mount", "net", "pid", "ipc", "uts");
        assertThat(await(pool.evaluate("import os", "(os.getuid(), os.getgid(), os.getgroups(), os.getpid())")).result())
                .isEqualTo("(65534, 65534, [], 1)");
    }

    @Test
    void workersRunAsNobodyOutsideTheirNamespaceWhenTheJvmIsRoot() {
        assumeTrue("root".equals(ProcessHandle.current().info().user().orElse("")), "the JVM is not root");

        assertThat(pool.isolation().layers()).containsEntry("outside_uid", 65534);
    }

    @Test
    void theWorkerEnvironmentIsOnlyWhatThePoolSets() {
        ExecResult result = await(pool.evaluate("import os", "sorted(os.environ.items())"));

        assertThat(result.result()).isEqualTo("[('LANG', 'C.UTF-8'), ('PATH', '/usr/bin:/bin'), ('PYTHONHASHSEED', '0')]");
    }

    @Test
    void noJvmEnvironmentValueReachesAProgram() {
        ExecResult result = await(pool.call(SNOOPING_PROGRAM, Long.toString(ProcessHandle.current().pid())));

        assertThat(result.ok()).as("snooping program: %s", result.error()).isTrue();
        String seen = result.result();
        // pid 1 of its own namespace, whose parent is outside it: no /proc to read at all.
        assertThat(seen).contains("'pid': 1,", "'parent_pid': 0,", "'jvm': 'unreadable: FileNotFoundError'");
        assertThat(seen).contains("'readable_others': []");
        assertThat(System.getenv(MARKER)).as("the marker must be set for this test to mean anything").isNotBlank();
        assertThat(seen).doesNotContain(System.getenv(MARKER));
        for (Map.Entry<String, String> variable : System.getenv().entrySet()) {
            String value = variable.getValue();
            // The values the pool gives its workers itself (LANG=C.UTF-8) are no leak.
            if (value.length() > 3 && !WorkerLauncher.ENVIRONMENT.containsValue(value)) {
                assertThat(seen).as("value of %s", variable.getKey()).doesNotContain(value);
            }
        }
    }
}
