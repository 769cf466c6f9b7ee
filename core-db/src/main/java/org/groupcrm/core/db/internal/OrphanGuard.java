package org.groupcrm.core.db.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects a postmaster left running on our data directory by a JVM that died without stopping it
 * ({@code kill -9} of Karaf), and stops it before a new start. Stock zonky would silently adopt it.
 *
 * <p>The decision ({@link #decide}) is pure; {@link #check} applies it to the live system.
 */
final class OrphanGuard {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanGuard.class);

    /** Zonky's lock file in the data directory, held (OS file lock) by the JVM that runs the postmaster. */
    static final String ZONKY_LOCK_FILE = "epg-lock";

    enum Verdict {
        /** No postmaster.pid: nothing to do. */
        NO_PID_FILE,
        /** The pid is dead: the stale file is left to PostgreSQL, which handles it itself. */
        STALE_PID_DEAD,
        /** Our postmaster, and no live JVM owns it: stop it. */
        ORPHAN,
        /** Our postmaster, owned by another live process (or another manager in this JVM): refuse to start. */
        IN_USE,
        /** The pid now belongs to an unrelated process (pid reuse): move the stale file aside. */
        STALE_PID_REUSED,
        /** Alive, but the process cannot be identified: leave it to PostgreSQL (which refuses if it conflicts). */
        UNKNOWN
    }

    private OrphanGuard() {
    }

    /**
     * @param pidFile           the parsed postmaster.pid, empty if there is none
     * @param dataDir           our data directory
     * @param lockHeldElsewhere whether zonky's lock file is held by another live process or manager
     */
    static Verdict decide(Optional<PostmasterPidFile> pidFile, Path dataDir, boolean lockHeldElsewhere,
                          ProcessInspector inspector) {
        if (pidFile.isEmpty()) {
            return Verdict.NO_PID_FILE;
        }
        long pid = pidFile.get().pid();
        if (pid == ProcessHandle.current().pid()) {
            // this JVM cannot be a postmaster: the file is from an earlier life of this pid number
            return Verdict.STALE_PID_REUSED;
        }
        if (!inspector.isAlive(pid)) {
            return Verdict.STALE_PID_DEAD;
        }
        Optional<List<String>> argv = inspector.commandLine(pid);
        Optional<String> exe = inspector.executable(pid);
        if (argv.isEmpty() && exe.isEmpty()) {
            return Verdict.UNKNOWN;
        }
        // either source saying "postgres" is enough: wrongly moving the file of a live postmaster aside
        // would let a second one start on the same data (corruption), wrongly stopping is far less likely
        boolean postgres = exe.map(OrphanGuard::isPostgresBinary).orElse(false)
                || argv.map(a -> baseName(a.get(0)).startsWith("postgres")).orElse(false);
        if (!postgres) {
            // some other program got the pid: the postmaster that wrote the file is gone
            return Verdict.STALE_PID_REUSED;
        }
        Optional<String> dirArg = argv.flatMap(OrphanGuard::dataDirArgument);
        if (dirArg.isPresent()) {
            if (!Path.of(dirArg.get()).isAbsolute()) {
                return Verdict.UNKNOWN; // cannot tell which cluster: let PostgreSQL refuse if it conflicts
            }
            if (!sameDirectory(dirArg.get(), dataDir)) {
                return Verdict.STALE_PID_REUSED; // the postmaster of another cluster got the pid
            }
        }
        return lockHeldElsewhere ? Verdict.IN_USE : Verdict.ORPHAN;
    }

    static boolean isPostgresBinary(String path) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        String name = baseName(path);
        if (name.endsWith(" (deleted)")) { // the binary was replaced while the process runs
            name = name.substring(0, name.length() - " (deleted)".length());
        }
        return name.equals("postgres") || name.equals("postgres.exe");
    }

    private static String baseName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    /** The value of {@code -D dir} or {@code -Ddir} in a postgres command line. */
    static Optional<String> dataDirArgument(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-D") && i + 1 < argv.size()) {
                return Optional.of(argv.get(i + 1));
            }
            if (a.startsWith("-D") && a.length() > 2) {
                return Optional.of(a.substring(2));
            }
        }
        return Optional.empty();
    }

    static boolean sameDirectory(String candidate, Path dir) {
        Path a = Path.of(candidate).toAbsolutePath().normalize();
        Path b = dir.toAbsolutePath().normalize();
        if (a.equals(b)) {
            return true;
        }
        try {
            return Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Whether zonky's lock file in {@code dataDir} is held by another process. Must not be called while a
     * manager of this JVM holds it (closing our probe channel would release that lock: POSIX lock semantics);
     * {@link EmbeddedPostgresManager} checks its own registry first.
     */
    static boolean lockedByAnotherProcess(Path dataDir) {
        Path lock = dataDir.resolve(ZONKY_LOCK_FILE);
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            LOG.debug("Cannot probe {}", lock, e);
            return false;
        }
    }

    /**
     * Applies the decision to {@code dataDir}: stops an orphaned postmaster, moves a reused-pid file aside,
     * refuses when the cluster is in use.
     *
     * @throws IllegalStateException when the data directory is in use or the orphan cannot be stopped
     */
    static Verdict check(Path dataDir, boolean lockHeldElsewhere, ProcessInspector inspector, Duration grace)
            throws IOException {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(dataDir);
        Verdict verdict = decide(pidFile, dataDir, lockHeldElsewhere, inspector);
        switch (verdict) {
            case ORPHAN:
                long pid = pidFile.get().pid();
                LOG.warn("Found an orphaned PostgreSQL postmaster (pid {}) on {}, left running by a JVM that died "
                        + "without stopping it (kill -9?). Stopping it before starting again.", pid, dataDir);
                if (!stop(pid, grace, inspector)) {
                    throw new IllegalStateException("Could not stop the orphaned PostgreSQL postmaster (pid " + pid
                            + ") on " + dataDir);
                }
                LOG.warn("Orphaned PostgreSQL postmaster (pid {}) stopped", pid);
                break;
            case IN_USE:
                throw new IllegalStateException("The PostgreSQL data directory " + dataDir
                        + " is in use by a running postmaster (pid " + pidFile.get().pid()
                        + ") of another live process; refusing to start a second one");
            case STALE_PID_REUSED:
                Path stale = dataDir.resolve(PostmasterPidFile.FILE_NAME);
                Path aside = dataDir.resolve(PostmasterPidFile.FILE_NAME + ".stale");
                LOG.warn("{} names pid {}, which is now an unrelated process: moving the stale file to {}",
                        stale, pidFile.get().pid(), aside.getFileName());
                Files.move(stale, aside, StandardCopyOption.REPLACE_EXISTING);
                break;
            case UNKNOWN:
                LOG.warn("{} names pid {}, alive but not identifiable; leaving it to PostgreSQL", dataDir
                        .resolve(PostmasterPidFile.FILE_NAME), pidFile.get().pid());
                break;
            case STALE_PID_DEAD:
                LOG.info("Stale {} (pid {} is gone): PostgreSQL will recover", PostmasterPidFile.FILE_NAME,
                        pidFile.get().pid());
                break;
            default:
                break;
        }
        return verdict;
    }

    /**
     * SIGTERM (PostgreSQL: smart shutdown, enough when the clients died with their JVM); after half of
     * {@code grace} SIGINT (fast shutdown: disconnects remaining clients, still a clean checkpoint); after
     * {@code grace} SIGKILL (crash recovery at the next start). Then waits for its former children: PostgreSQL
     * refuses to start while they still hold the shared memory.
     *
     * @return whether the process is gone
     */
    static boolean stop(long pid, Duration grace, ProcessInspector inspector) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !inspector.isAlive(pid)) {
            return true;
        }
        List<ProcessHandle> children = handle.get().descendants().collect(Collectors.toList());
        handle.get().destroy();
        Duration half = grace.dividedBy(2);
        if (!waitForExit(pid, half, inspector)) {
            LOG.warn("Postmaster {} still running {} s after SIGTERM (clients connected?): sending SIGINT", pid,
                    half.toSeconds());
            signal("INT", pid);
            if (!waitForExit(pid, grace.minus(half), inspector)) {
                LOG.warn("Postmaster {} did not stop within {} s: killing it", pid, grace.toSeconds());
                handle.get().destroyForcibly();
                if (!waitForExit(pid, Duration.ofSeconds(5), inspector)) {
                    return false;
                }
            }
        }
        for (ProcessHandle child : children) {
            if (!waitForExit(child.pid(), Duration.ofSeconds(5), inspector)) {
                child.destroyForcibly();
                waitForExit(child.pid(), Duration.ofSeconds(2), inspector);
            }
        }
        return true;
    }

    /** {@code kill -<signal> <pid>}; Java itself can only send SIGTERM and SIGKILL. Best effort. */
    private static void signal(String signal, long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.debug("Cannot send SIG{} to {}", signal, pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean waitForExit(long pid, Duration timeout, ProcessInspector inspector) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inspector.isAlive(pid)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !inspector.isAlive(pid);
            }
        }
        return true;
    }
}
