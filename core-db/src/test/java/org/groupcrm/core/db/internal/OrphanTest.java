package org.groupcrm.core.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A postmaster run by another JVM: refused while that JVM lives; after kill -9 of that JVM the postmaster
 * keeps running, and the next start must stop that orphan (not adopt it, not fail) and find the data intact.
 */
class OrphanTest {

    private Process child;
    private long postmasterPid;

    @AfterEach
    void cleanUp() {
        if (child != null) {
            child.destroyForcibly();
        }
        if (postmasterPid > 0) {
            ProcessHandle.of(postmasterPid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void postmasterOfALiveJvmIsLeftAloneTheOrphanOfAKilledOneIsStopped() throws Exception {
        Path dir = TestSupport.freshDir("orphan");
        Path dataDir = dir.resolve("postgresql");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName(),
                dataDir.toString(), TestSupport.BIN_DIR.toString())
                .redirectError(dir.resolve("child.log").toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertNotNull(line, "child JVM died, see " + dir.resolve("child.log"));
        assertTrue(line.startsWith("READY "), line);
        postmasterPid = Long.parseLong(line.substring(6).trim());
        EmbeddedPostgresManager.Options options = TestSupport.options(dataDir).orphanGrace(Duration.ofSeconds(2));

        // 1. the JVM that runs it is alive: refuse, and do not touch its postmaster
        EmbeddedPostgresManager intruder = new EmbeddedPostgresManager(options);
        IllegalStateException refused = assertThrows(IllegalStateException.class, intruder::start);
        assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
        assertTrue(ProcessInspector.LIVE.isAlive(postmasterPid), "the other JVM's postmaster is untouched");

        // 2. kill -9 of that JVM: no shutdown hook runs, the postmaster survives
        child.destroyForcibly();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertTrue(ProcessInspector.LIVE.isAlive(postmasterPid), "the postmaster outlives the killed JVM");
        assertEquals(OrphanGuard.Verdict.ORPHAN, OrphanGuard.decide(PostmasterPidFile.read(dataDir), dataDir,
                OrphanGuard.lockedByAnotherProcess(dataDir), ProcessInspector.LIVE));
        List<String> argv = ProcessInspector.LIVE.commandLine(postmasterPid).orElseThrow();
        assertTrue(argv.contains(dataDir.toString()), argv.toString());

        // a client still connected to the orphan: smart shutdown (SIGTERM) waits for it, SIGINT follows
        PGSimpleDataSource orphanDs = new PGSimpleDataSource();
        orphanDs.setServerNames(new String[] {"127.0.0.1"});
        orphanDs.setPortNumbers(new int[] {PostmasterPidFile.read(dataDir).orElseThrow().port().getAsInt()});
        orphanDs.setDatabaseName("crm");
        orphanDs.setUser("postgres");
        orphanDs.setPassword(Files.readString(options.passwordFile).trim());
        try (Connection lingering = orphanDs.getConnection();
             EmbeddedPostgresManager pg = new EmbeddedPostgresManager(options)) {
            pg.start();
            assertFalse(ProcessInspector.LIVE.isAlive(postmasterPid), "orphan stopped");
            assertNotEquals(postmasterPid, PostmasterPidFile.read(dataDir).orElseThrow().pid(), "a new postmaster");
            assertFalse(lingering.isValid(1), "the orphan's client was disconnected");
            try (Connection c = pg.dataSource("crm").getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM survivor")) {
                assertTrue(rs.next());
                assertEquals("written before kill -9", rs.getString(1));
            }
        }
        postmasterPid = 0;
    }
}
