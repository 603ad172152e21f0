package dev.autodidact.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** executor.py, copied out of the jar into a fresh directory an unprivileged uid can read. */
final class ExecutorScript implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecutorScript.class);
    private static final String RESOURCE = "executor.py";

    private final Path directory;
    private final Path file;

    private ExecutorScript(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    static ExecutorScript extract() {
        try (InputStream source = ExecutorScript.class.getResourceAsStream(RESOURCE)) {
            if (source == null) {
                throw new IllegalStateException("resource missing: " + RESOURCE);
            }
            Path directory = Files.createTempDirectory("autodidact-sandbox-");
            Path file = directory.resolve(RESOURCE);
            Files.copy(source, file);
            // Set after creation: the umask could have narrowed permissions given at creation.
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            // A pool that is never closed still leaves no files behind after a normal exit.
            directory.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            return new ExecutorScript(directory, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the sandbox executor", e);
        }
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
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", directory, e.toString());
        }
    }
}
