package dev.autodidact.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorScriptTest {

    /** Above Linux's largest possible pid (2^22), so no process can have it. */
    private static final long DEAD_PID = Integer.MAX_VALUE;

    @TempDir
    Path root;

    @Test
    void aDeadJvmsDirectoryIsSwept() throws IOException {
        Path leftover = poolDirectory(DEAD_PID);

        ExecutorScript.sweepLeftovers(root, owner());

        assertThat(leftover).doesNotExist();
    }

    @Test
    void aLiveJvmsDirectoryIsKept() throws IOException {
        Path inUse = poolDirectory(ProcessHandle.current().pid());

        ExecutorScript.sweepLeftovers(root, owner());

        assertThat(inUse.resolve("executor.py")).exists();
    }

    @Test
    void directoriesOutsideTheNamingSchemeAreKept() throws IOException {
        Path unrelated = Files.createDirectory(root.resolve("unrelated-" + DEAD_PID + "-1"));
        Path oldScheme = Files.createDirectory(root.resolve(ExecutorScript.PREFIX + "12345"));
        Files.writeString(unrelated.resolve("executor.py"), "");

        ExecutorScript.sweepLeftovers(root, owner());

        assertThat(unrelated.resolve("executor.py")).exists();
        assertThat(oldScheme).exists();
    }

    @Test
    void aDeadJvmsDirectoryWithOtherFilesKeepsThem() throws IOException {
        Path leftover = poolDirectory(DEAD_PID);
        Files.writeString(leftover.resolve("notes.txt"), "");

        ExecutorScript.sweepLeftovers(root, owner());

        assertThat(leftover.resolve("notes.txt")).exists();
        assertThat(leftover.resolve("executor.py")).doesNotExist();
    }

    @Test
    void aSymlinkIsNeverFollowed() throws IOException {
        Path target = Files.createDirectory(root.resolve("target"));
        Files.writeString(target.resolve("executor.py"), "");
        Path link = Files.createSymbolicLink(root.resolve(ExecutorScript.PREFIX + DEAD_PID + "-1"), target);

        ExecutorScript.sweepLeftovers(root, owner());

        assertThat(link).exists();
        assertThat(target.resolve("executor.py")).exists();
    }

    @Test
    void anotherUsersDirectoryIsKept() throws IOException {
        Path leftover = poolDirectory(DEAD_PID);

        ExecutorScript.sweepLeftovers(root, someoneElse());

        assertThat(leftover.resolve("executor.py")).exists();
    }

    @Test
    void aMissingRootFailsNothing() throws IOException {
        UserPrincipal owner = owner();

        assertThatCode(() -> ExecutorScript.sweepLeftovers(root.resolve("missing"), owner))
                .doesNotThrowAnyException();
    }

    @Test
    void extractionNamesTheDirectoryAfterThisJvmWithTheUsualPermissions() throws IOException {
        try (ExecutorScript script = ExecutorScript.extract()) {
            Path directory = script.directory();

            assertThat(directory.getFileName().toString())
                    .startsWith(ExecutorScript.PREFIX + ProcessHandle.current().pid() + "-");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                    .isEqualTo("rwxr-xr-x");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script.file())))
                    .isEqualTo("rw-r--r--");
            assertThat(directory.resolve("jail.py")).exists();
        }
    }

    /** A directory as a pool of the JVM {@code pid} leaves it. */
    private Path poolDirectory(long pid) throws IOException {
        Path directory = Files.createDirectory(root.resolve(ExecutorScript.PREFIX + pid + "-1234567890"));
        Files.writeString(directory.resolve("executor.py"), "");
        Files.writeString(directory.resolve("jail.py"), "");
        return directory;
    }

    private UserPrincipal owner() throws IOException {
        return Files.getOwner(root, LinkOption.NOFOLLOW_LINKS);
    }

    /** Root, unless the test runs as root. */
    private UserPrincipal someoneElse() throws IOException {
        UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal superuser = users.lookupPrincipalByName("root");
        return superuser.equals(owner()) ? users.lookupPrincipalByName("nobody") : superuser;
    }
}
