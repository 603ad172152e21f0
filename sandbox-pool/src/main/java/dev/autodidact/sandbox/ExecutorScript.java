package dev.autodidact.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * executor.py and jail.py, copied out of the jar into a fresh directory the worker can read.
 *
 * <p>The directory is named {@code autodidact-sandbox-<pid>-<random>} after the JVM that made it.
 * close() and deleteOnExit remove it, but a JVM killed with SIGKILL runs neither; so each
 * extraction also sweeps the directories of this user's JVMs that are no longer alive.
 */
final class ExecutorScript implements AutoCloseable {

    static final String PREFIX = "autodidact-sandbox-";

    private static final Logger log = LoggerFactory.getLogger(ExecutorScript.class);
    private static final String RESOURCE = "executor.py";
    private static final List<String> RESOURCES = List.of(RESOURCE, "jail.py");
    /** Pids on Linux stay below 2^22; the bound only keeps the number a long. */
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,18})-\\d+");

    private final Path directory;
    private final Path file;

    private ExecutorScript(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    static ExecutorScript extract() {
        try {
            Path directory = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
            // Set after creation: the umask could have narrowed permissions given at creation.
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            // A pool that is never closed still leaves no files behind after a normal exit.
            directory.toFile().deleteOnExit();
            for (String resource : RESOURCES) {
                copyResource(resource, directory.resolve(resource));
            }
            sweepLeftovers(directory.getParent(), Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS));
            return new ExecutorScript(directory, directory.resolve(RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the sandbox executor", e);
        }
    }

    private static void copyResource(String resource, Path file) throws IOException {
        try (InputStream source = ExecutorScript.class.getResourceAsStream(resource)) {
            if (source == null) {
                throw new IllegalStateException("resource missing: " + resource);
            }
            Files.copy(source, file);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        file.toFile().deleteOnExit();
    }

    /**
     * Deletes the directories in {@code root} that earlier, now dead, JVMs of {@code owner}
     * extracted. Housekeeping only: a failure is logged and never fails the pool.
     */
    static void sweepLeftovers(Path root, UserPrincipal owner) {
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path candidate : candidates) {
                sweep(candidate, owner);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not sweep leftover sandbox directories in {}: {}", root, e.toString());
        }
    }

    /** One candidate's failure (say, another JVM swept it first) must not stop the others. */
    private static void sweep(Path candidate, UserPrincipal owner) {
        try {
            if (isLeftover(candidate, owner)) {
                deletePoolFiles(candidate);
                log.debug("Deleted {}, left behind by a JVM that is gone", candidate);
            }
        } catch (IOException e) {
            log.debug("Could not delete leftover {}: {}", candidate, e.toString());
        }
    }

    /**
     * Ours in name, a real directory (never a symlink, which could point anywhere), owned by
     * {@code owner} (another user's directory is not ours to judge), and its JVM is gone. A live
     * pid keeps the directory even if the pid was reused: a leftover kept is harmless.
     */
    private static boolean isLeftover(Path candidate, UserPrincipal owner) throws IOException {
        Matcher name = NAME.matcher(candidate.getFileName().toString());
        return name.matches()
                && Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)
                && owner.equals(Files.getOwner(candidate, LinkOption.NOFOLLOW_LINKS))
                && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty();
    }

    /**
     * Only the files a pool puts there, then the directory: anything else makes the directory
     * stay, for a person to look at. Deleting a link removes the link itself, never its target.
     */
    private static void deletePoolFiles(Path directory) throws IOException {
        for (String resource : RESOURCES) {
            Files.deleteIfExists(directory.resolve(resource));
        }
        Files.deleteIfExists(directory);
    }

    Path directory() {
        return directory;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            deletePoolFiles(directory);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", directory, e.toString());
        }
    }
}
