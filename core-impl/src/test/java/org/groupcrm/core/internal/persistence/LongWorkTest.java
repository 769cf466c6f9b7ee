package org.groupcrm.core.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Long work lifts a connection's socket timeout while it runs, and only then. */
class LongWorkTest {
    private static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void liftsTheLimitWhileOpenAndRestoresItOnClose() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setNetworkTimeout(Runnable::run, 1000);
            try (LongWork w = LongWork.allow(c, Duration.ofSeconds(30))) {
                assertEquals(30_000, c.getNetworkTimeout());
                st.execute("select pg_sleep(1.5)"); // longer than the connection's own limit
            }
            assertEquals(1000, c.getNetworkTimeout());
            SQLException e = assertThrows(SQLException.class, () -> st.execute("select pg_sleep(3)"));
            assertEquals("08006", e.getSQLState(), "the restored limit applies again: " + e);
        }
    }

    @Test
    void neverShortensALongerLimitOrNone() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setNetworkTimeout(Runnable::run, 0);
            try (LongWork w = LongWork.allow(c, Duration.ofSeconds(30))) {
                assertEquals(0, c.getNetworkTimeout(), "no limit stays no limit");
            }
            c.setNetworkTimeout(Runnable::run, 60_000);
            try (LongWork w = LongWork.allow(c, Duration.ofSeconds(30))) {
                assertEquals(60_000, c.getNetworkTimeout());
            }
            assertEquals(60_000, c.getNetworkTimeout());
        }
    }
}
