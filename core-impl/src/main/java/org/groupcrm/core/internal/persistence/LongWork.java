package org.groupcrm.core.internal.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Lifts the pool's socket timeout ({@code pool.socketTimeoutSeconds}) on one connection, for work that legitimately
 * waits longer for the database than a request should (schema migrations, bulk imports), and puts the connection's
 * own limit back when closed, before the connection returns to the pool.
 */
public final class LongWork implements AutoCloseable {
    /** Schema migrations may rewrite big tables. */
    public static final Duration MIGRATION = Duration.ofMinutes(30);
    /** One batch of a bulk import: its checks and its copy. */
    public static final Duration BULK = Duration.ofMinutes(2);

    private static final Executor DIRECT = Runnable::run;

    private final Connection connection;
    private final int before;

    private LongWork(Connection connection, int before) {
        this.connection = connection;
        this.before = before;
    }

    /**
     * Allows {@code connection} to wait up to {@code limit} for each answer of the database, unless its own limit is
     * already longer (or none).
     */
    public static LongWork allow(Connection connection, Duration limit) throws SQLException {
        int before = connection.getNetworkTimeout();
        int wanted = Math.toIntExact(limit.toMillis());
        if (before != 0 && before < wanted) {
            connection.setNetworkTimeout(DIRECT, wanted);
        }
        return new LongWork(connection, before);
    }

    @Override
    public void close() throws SQLException {
        if (!connection.isClosed() && connection.getNetworkTimeout() != before) {
            connection.setNetworkTimeout(DIRECT, before);
        }
    }
}
