package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that cannot create namespaces, as under a container runtime's default seccomp
 * profile: made real here by an interpreter wrapper that installs such a filter before it
 * starts Python. The pool must refuse to run untrusted code unless the risk is accepted.
 */
class WeakHostIT {

    /** Python that forbids unshare(2) for itself and what it execs, then becomes python3. */
    private static final String NO_NAMESPACES_PYTHON = String.join("\n",
            "#!/usr/bin/python3 -S",
            "import ctypes, os, struct, sys",
            "UNSHARE = 272",
            "program = [(0x20, 0, 0, 0), (0x15, 0, 1, UNSHARE), (0x06, 0, 0, 0x00050000 | 1), (0x06, 0, 0, 0x7FFF0000)]",
            "code = b''.join(struct.pack('=HBBI', *op) for op in program)",
            "buffer = ctypes.create_string_buffer(code, len(code))",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "libc.prctl(38, 1, 0, 0, 0)",
            "fprog = struct.pack('=HxxxxxxQ', len(program), ctypes.addressof(buffer))",
            "assert libc.syscall(317, 1, 0, fprog) == 0, 'seccomp'",
            "os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv[1:])",
            "");

    @Test
    void aHostWithoutNamespacesIsRefusedInOneLineThatNamesTheWayOut(@TempDir Path dir) throws IOException {
        SandboxConfig config = SandboxConfig.defaults().withWorkers(1).withPython(wrapper(dir));

        assertThatThrownBy(() -> SandboxPool.start(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sandbox isolation is not available on this host")
                .hasMessageContaining("unshare")
                .hasMessageContaining("--allow-weak-sandbox-isolation")
                .hasMessageNotContaining("\n");
    }

    @Test
    void withTheRiskAcceptedItRunsWithWhatTheHostAllowsAndSaysSo(@TempDir Path dir) throws IOException {
        SandboxConfig config = SandboxConfig.defaults().withWorkers(1).withPython(wrapper(dir))
                .withAllowWeakIsolation(true);

        try (SandboxPool pool = SandboxPool.start(config)) {
            assertThat(pool.isolation().complete()).isFalse();
            assertThat(pool.isolation().weakness()).contains("unshare");
            assertThat(pool.isolation().describe()).startsWith("WEAK");
            assertThat(await(pool.evaluate("import os", "os.getuid()")).result()).isEqualTo("65534");
        }
    }

    private static Path wrapper(Path dir) throws IOException {
        Path python = dir.resolve("python3-without-namespaces");
        Files.writeString(python, NO_NAMESPACES_PYTHON);
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return python;
    }
}
