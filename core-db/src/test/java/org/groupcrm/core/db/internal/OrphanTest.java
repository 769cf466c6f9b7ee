package org.groupcrm.core.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * kill -9 of the JVM that runs PostgreSQL leaves the postmaster running. The next start must stop that
 * orphan (not adopt it, not fail) and find the data intact.
 */
class OrphanTest {

    @Test
    void orphanOfAKilledJvmIsStoppedAndTheDataIsIntact() throws Exception {
        Path dir = TestSupport.freshDir("orphan");
        Path dataDir = dir.resolve("postgresql");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName(),
                dataDir.toString(), TestSupport.BIN_DIR.toString())
                .redirectError(dir.resolve("child.log").toFile())
                .start();
        long orphanPid;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertNotNull(line, "child JVM died, see " + dir.resolve("child.log"));
            assertTrue(line.startsWith("READY "), line);
            orphanPid = Long.parseLong(line.substring(6).trim());
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, PostgreSQL is not stopped
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertFalse(child.isAlive());
        assertTrue(ProcessInspector.LIVE.isAlive(orphanPid), "the postmaster outlives the killed JVM");
        assertEquals(OrphanGuard.Verdict.ORPHAN, OrphanGuard.decide(PostmasterPidFile.read(dataDir), dataDir,
                OrphanGuard.lockedByAnotherProcess(dataDir), ProcessInspector.LIVE));
        List<String> argv = ProcessInspector.LIVE.commandLine(orphanPid).orElseThrow();
        assertTrue(argv.contains(dataDir.toString()), argv.toString());

        try (EmbeddedPostgresManager pg = new EmbeddedPostgresManager(TestSupport.options(dataDir))) {
            pg.start();
            assertFalse(ProcessInspector.LIVE.isAlive(orphanPid), "orphan stopped");
            assertTrue(PostmasterPidFile.read(dataDir).orElseThrow().pid() != orphanPid, "a new postmaster");
            try (Connection c = pg.dataSource("crm").getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM survivor")) {
                assertTrue(rs.next());
                assertEquals("written before kill -9", rs.getString(1));
            }
        } catch (Exception e) {
            ProcessHandle.of(orphanPid).ifPresent(ProcessHandle::destroyForcibly);
            fail(e);
        }
    }
}
