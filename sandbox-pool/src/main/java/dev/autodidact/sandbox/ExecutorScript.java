package dev.autodidact.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** executor.py and jail.py, copied out of the jar into a fresh directory the worker can read. */
final class ExecutorScript implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecutorScript.class);
    private static final String RESOURCE = "executor.py";
    private static final List<String> RESOURCES = List.of(RESOURCE, "jail.py");

    private final Path directory;
    private final Path file;

    private ExecutorScript(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    static ExecutorScript extract() {
        try {
            Path directory = Files.createTempDirectory("autodidact-sandbox-");
            // Set after creation: the umask could have narrowed permissions given at creation.
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            // A pool that is never closed still leaves no files behind after a normal exit.
            directory.toFile().deleteOnExit();
            for (String resource : RESOURCES) {
                Path file = directory.resolve(resource);
                try (InputStream source = ExecutorScript.class.getResourceAsStream(resource)) {
                    if (source == null) {
                        throw new IllegalStateException("resource missing: " + resource);
                    }
                    Files.copy(source, file);
                }
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                file.toFile().deleteOnExit();
            }
            return new ExecutorScript(directory, directory.resolve(RESOURCE));
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
            for (String resource : RESOURCES) {
                Files.deleteIfExists(directory.resolve(resource));
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", directory, e.toString());
        }
    }
}
