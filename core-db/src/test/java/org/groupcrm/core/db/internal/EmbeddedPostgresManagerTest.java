package org.groupcrm.core.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Real PostgreSQL, outside OSGi: start, write, stop, start again on the same data, read. */
class EmbeddedPostgresManagerTest {

    @Test
    void dataSurvivesARestartAndTheServerIsSecured() throws Exception {
        Path dataDir = TestSupport.freshDir("restart").resolve("postgresql");
        EmbeddedPostgresManager.Options options = TestSupport.options(dataDir);

        int firstPort;
        String password;
        try (EmbeddedPostgresManager pg = new EmbeddedPostgresManager(options)) {
            pg.start();
            firstPort = pg.port();
            password = pg.password();
            try (Connection c = pg.dataSource("crm").getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE contact (id serial PRIMARY KEY, name text NOT NULL)");
                st.execute("INSERT INTO contact (name) VALUES ('Ada Lovelace')");
                // durable settings, loopback only, no Unix socket
                assertEquals("on", show(st, "fsync"));
                assertEquals("on", show(st, "synchronous_commit"));
                assertEquals("on", show(st, "full_page_writes"));
                assertEquals("127.0.0.1", show(st, "listen_addresses"));
                assertEquals("", show(st, "unix_socket_directories"));
                assertEquals("50", show(st, "max_connections"));
                try (ResultSet rs = st.executeQuery(
                        "SELECT datcollate FROM pg_database WHERE datname = current_database()")) {
                    rs.next();
                    assertEquals("C", rs.getString(1));
                }
                assertEquals("UTF8", show(st, "server_encoding"));
            }
            // password authentication: a wrong password is refused
            PGSimpleDataSource wrong = new PGSimpleDataSource();
            wrong.setServerNames(new String[] {"127.0.0.1"});
            wrong.setPortNumbers(new int[] {firstPort});
            wrong.setDatabaseName("crm");
            wrong.setUser("postgres");
            wrong.setPassword("wrong");
            SQLException refused = assertThrows(SQLException.class, () -> wrong.getConnection().close());
            assertEquals("28P01", refused.getSQLState(), refused.getMessage()); // invalid_password
            assertTrue(pg.isRunning());
        }
        assertFalse(Files.exists(dataDir.resolve(PostmasterPidFile.FILE_NAME)), "stopped cleanly");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(options.passwordFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(options.binDir)),
                "zonky's world-writable working directory is tightened");
        assertTrue(Files.readString(dataDir.resolve("pg_hba.conf")).contains("scram-sha-256"));

        try (EmbeddedPostgresManager pg = new EmbeddedPostgresManager(options)) {
            pg.start();
            assertEquals(password, pg.password(), "same password after restart");
            try (Connection c = pg.dataSource("crm").getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM contact")) {
                assertTrue(rs.next());
                assertEquals("Ada Lovelace", rs.getString(1));
                assertFalse(rs.next());
            }
            // the configuration files agree with the command line: a reload changes nothing
            try (Connection c = pg.dataSource("postgres").getConnection(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_reload_conf()");
                // the reload is asynchronous: poll until the server has re-read its files (or 5 s passed)
                String pending = "not yet reloaded";
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (pending != null && System.nanoTime() < deadline) {
                    try (ResultSet rs = st.executeQuery("SELECT string_agg(name, ',') FROM pg_settings "
                            + "WHERE pending_restart")) {
                        rs.next();
                        pending = rs.getString(1);
                    }
                }
                assertEquals(null, pending);
                assertEquals("on", show(st, "fsync"));
            }
            String conf = Files.readString(dataDir.resolve("postgresql.conf"));
            assertTrue(conf.contains("fsync = 'on'"), conf);
            assertEquals(conf.indexOf(EmbeddedPostgresManager.CONF_BEGIN),
                    conf.lastIndexOf(EmbeddedPostgresManager.CONF_BEGIN), "one managed block only");
            assertNotEquals(0, pg.port());
        }
    }

    @Test
    void aSecondManagerOnTheSameDataIsRefused() throws Exception {
        Path dataDir = TestSupport.freshDir("twice").resolve("postgresql");
        try (EmbeddedPostgresManager first = new EmbeddedPostgresManager(TestSupport.options(dataDir))) {
            first.start();
            EmbeddedPostgresManager second = new EmbeddedPostgresManager(TestSupport.options(dataDir));
            assertThrows(IllegalStateException.class, second::start);
            // and the first one is unharmed
            try (Connection c = first.dataSource("crm").getConnection()) {
                assertTrue(c.isValid(1));
            }
        }
    }

    @Test
    void aTakenFixedPortFailsAtOnce() throws Exception {
        Path dataDir = TestSupport.freshDir("port").resolve("postgresql");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            EmbeddedPostgresManager pg = new EmbeddedPostgresManager(
                    TestSupport.options(dataDir).port(taken.getLocalPort()));
            IllegalStateException e = assertThrows(IllegalStateException.class, pg::start);
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
            assertFalse(pg.isRunning());
        }
    }

    static String show(Statement st, String setting) throws SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
