package org.groupcrm.core.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.groupcrm.core.db.internal.OrphanGuard.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanGuardTest {

    private static final long PID = 4711;
    private static final Path DATA = Path.of("/opt/crm/data/postgresql");

    /** A process table with at most the one process PID. */
    private static ProcessInspector process(boolean alive, String exe, List<String> argv) {
        return new ProcessInspector() {
            @Override
            public boolean isAlive(long pid) {
                return pid == PID && alive;
            }

            @Override
            public Optional<List<String>> commandLine(long pid) {
                return pid == PID ? Optional.ofNullable(argv) : Optional.empty();
            }

            @Override
            public Optional<String> executable(long pid) {
                return pid == PID ? Optional.ofNullable(exe) : Optional.empty();
            }
        };
    }

    private static final String PG = "/opt/crm/data/postgresql-bin/PG-abc/bin/postgres";
    private static final List<String> OUR_ARGV = List.of(PG, "-D", DATA.toString(), "-p", "40000", "-F", "-c",
            "fsync=on");

    private static Optional<PostmasterPidFile> pidFile() {
        return Optional.of(new PostmasterPidFile(PID, DATA.toString(), OptionalInt.of(40000)));
    }

    @Test
    void noPidFile() {
        assertEquals(Verdict.NO_PID_FILE, OrphanGuard.decide(Optional.empty(), DATA, false, process(true, PG, OUR_ARGV)));
    }

    @Test
    void deadPidIsLeftToPostgres() {
        assertEquals(Verdict.STALE_PID_DEAD, OrphanGuard.decide(pidFile(), DATA, false, process(false, PG, OUR_ARGV)));
    }

    @Test
    void livePostmasterOfOurDataDirWithoutOwnerIsAnOrphan() {
        assertEquals(Verdict.ORPHAN, OrphanGuard.decide(pidFile(), DATA, false, process(true, PG, OUR_ARGV)));
        // identified by the command line alone, or by the executable alone (argv unreadable)
        assertEquals(Verdict.ORPHAN, OrphanGuard.decide(pidFile(), DATA, false, process(true, null, OUR_ARGV)));
        assertEquals(Verdict.ORPHAN, OrphanGuard.decide(pidFile(), DATA, false, process(true, PG, null)));
        // a replaced binary shows as "(deleted)"; -D glued to its value
        assertEquals(Verdict.ORPHAN, OrphanGuard.decide(pidFile(), DATA, false,
                process(true, PG + " (deleted)", List.of(PG, "-D" + DATA))));
        // no -D (PGDATA from the environment)
        assertEquals(Verdict.ORPHAN, OrphanGuard.decide(pidFile(), DATA, false, process(true, PG, List.of(PG))));
    }

    @Test
    void livePostmasterWhoseOwnerIsAliveIsInUse() {
        assertEquals(Verdict.IN_USE, OrphanGuard.decide(pidFile(), DATA, true, process(true, PG, OUR_ARGV)));
    }

    @Test
    void pidReusedByAnotherProgram() {
        assertEquals(Verdict.STALE_PID_REUSED, OrphanGuard.decide(pidFile(), DATA, false,
                process(true, "/usr/bin/java", List.of("java", "-jar", "x.jar"))));
        assertEquals(Verdict.STALE_PID_REUSED, OrphanGuard.decide(pidFile(), DATA, true,
                process(true, null, List.of("/usr/sbin/sshd", "-D"))));
    }

    @Test
    void pidReusedByThePostmasterOfAnotherCluster() {
        assertEquals(Verdict.STALE_PID_REUSED, OrphanGuard.decide(pidFile(), DATA, false,
                process(true, "/usr/lib/postgresql/16/bin/postgres",
                        List.of("/usr/lib/postgresql/16/bin/postgres", "-D", "/var/lib/postgresql/16/main"))));
    }

    @Test
    void unidentifiableProcessIsLeftToPostgres() {
        assertEquals(Verdict.UNKNOWN, OrphanGuard.decide(pidFile(), DATA, false, process(true, null, null)));
        // a relative -D cannot be compared
        assertEquals(Verdict.UNKNOWN, OrphanGuard.decide(pidFile(), DATA, false,
                process(true, PG, List.of(PG, "-D", "data"))));
    }

    @Test
    void ourOwnPidIsNeverAPostmaster() {
        Optional<PostmasterPidFile> self = Optional.of(new PostmasterPidFile(ProcessHandle.current().pid(),
                DATA.toString(), OptionalInt.empty()));
        assertEquals(Verdict.STALE_PID_REUSED, OrphanGuard.decide(self, DATA, false, ProcessInspector.LIVE));
    }

    @Test
    void helpers() {
        assertTrue(OrphanGuard.isPostgresBinary("postgres"));
        assertTrue(OrphanGuard.isPostgresBinary("C:\\pg\\bin\\postgres.exe"));
        assertFalse(OrphanGuard.isPostgresBinary("/usr/bin/postgres-exporter"));
        assertFalse(OrphanGuard.isPostgresBinary(""));
        assertEquals(Optional.of("/d"), OrphanGuard.dataDirArgument(List.of("postgres", "-p", "1", "-D", "/d")));
        assertEquals(Optional.empty(), OrphanGuard.dataDirArgument(List.of("postgres", "-D")));
        assertTrue(OrphanGuard.sameDirectory("/a/b/../b/", Path.of("/a/b")));
    }

    @Test
    void liveInspectorKnowsThisJvm() {
        long me = ProcessHandle.current().pid();
        assertTrue(ProcessInspector.LIVE.isAlive(me));
        assertTrue(ProcessInspector.LIVE.commandLine(me).orElseThrow().get(0).contains("java"));
        assertFalse(ProcessInspector.LIVE.isAlive(Integer.MAX_VALUE - 1L));
    }

    @Test
    void zonkyLockHeldByAnotherProcessIsDetected(@TempDir Path dir) throws Exception {
        assertFalse(OrphanGuard.lockedByAnotherProcess(dir), "no lock file");
        Path lock = dir.resolve(OrphanGuard.ZONKY_LOCK_FILE);
        Files.createFile(lock);
        assertFalse(OrphanGuard.lockedByAnotherProcess(dir), "nobody holds it");
        // held within this JVM (what the other JVM would look like): reported as held
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock l = ch.lock()) {
            assertTrue(OrphanGuard.lockedByAnotherProcess(dir));
        }
    }

    @Test
    void checkMovesAReusedPidFileAsideAndRefusesWhenInUse(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve(PostmasterPidFile.FILE_NAME);
        // the pid of this JVM: a reused pid
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n" + dir + "\n1\n5432\n");
        assertEquals(Verdict.STALE_PID_REUSED, OrphanGuard.check(dir, false, ProcessInspector.LIVE,
                Duration.ofSeconds(1)));
        assertFalse(Files.exists(pidFile));
        assertTrue(Files.exists(dir.resolve(PostmasterPidFile.FILE_NAME + ".stale")));

        Files.writeString(pidFile, PID + "\n" + dir + "\n");
        ProcessInspector ours = process(true, PG, List.of(PG, "-D", dir.toString()));
        assertThrows(IllegalStateException.class, () -> OrphanGuard.check(dir, true, ours, Duration.ofSeconds(1)));
        assertTrue(Files.exists(pidFile), "left alone");
    }
}
