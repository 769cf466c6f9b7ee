package org.groupcrm.core.db.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parts of PostgreSQL's {@code postmaster.pid} we need: line 1 the postmaster's pid (negative for a
 * single-user backend), line 2 the data directory, line 4 the port.
 */
final class PostmasterPidFile {

    static final String FILE_NAME = "postmaster.pid";

    private final long pid;
    private final String dataDir;
    private final OptionalInt port;

    PostmasterPidFile(long pid, String dataDir, OptionalInt port) {
        this.pid = pid;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Parses the file content; empty when there is no usable pid (empty, truncated or garbage file). */
    static Optional<PostmasterPidFile> parse(String content) {
        if (content == null) {
            return Optional.empty();
        }
        String[] lines = content.split("\\R", -1);
        long pid;
        try {
            pid = Math.abs(Long.parseLong(lines[0].trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (pid <= 0) {
            return Optional.empty();
        }
        String dataDir = lines.length > 1 ? lines[1].trim() : "";
        OptionalInt port = OptionalInt.empty();
        if (lines.length > 3) {
            try {
                port = OptionalInt.of(Integer.parseInt(lines[3].trim()));
            } catch (NumberFormatException ignored) {
                // leave empty
            }
        }
        return Optional.of(new PostmasterPidFile(pid, dataDir, port));
    }

    /** Reads {@code <dataDir>/postmaster.pid}; empty when it does not exist or holds no pid. */
    static Optional<PostmasterPidFile> read(Path dataDir) throws IOException {
        try {
            return parse(new String(Files.readAllBytes(dataDir.resolve(FILE_NAME)), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    long pid() {
        return pid;
    }

    String dataDir() {
        return dataDir;
    }

    OptionalInt port() {
        return port;
    }

    @Override
    public String toString() {
        return "postmaster.pid[pid=" + pid + ", dataDir=" + dataDir
                + (port.isPresent() ? ", port=" + port.getAsInt() : "") + "]";
    }
}
