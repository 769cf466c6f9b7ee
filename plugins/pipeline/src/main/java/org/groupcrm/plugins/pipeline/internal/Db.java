package org.groupcrm.plugins.pipeline.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.UnavailableException;
import org.groupcrm.core.api.ValidationException;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's JDBC access: one transaction per unit of work on the CRM's {@link DataSource}, events posted only
 * after the commit, and database failures translated to the API's exceptions (unreachable → 503, unique violation
 * and serialisation failure → 409). Thread-safe.
 */
public final class Db {
    private static final Logger LOG = LoggerFactory.getLogger(Db.class);
    private final DataSource dataSource;
    private final EventAdmin eventAdmin;

    public Db(DataSource dataSource, EventAdmin eventAdmin) {
        this.dataSource = dataSource;
        this.eventAdmin = eventAdmin;
    }

    /** A unit of work; {@code events} collects the events to post after the commit. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection, Events events) throws SQLException;
    }

    /** Events of a unit of work, posted after it commits. */
    public static final class Events {
        private final List<Event> pending = new ArrayList<>();

        public void add(String topic, Map<String, Object> properties) {
            pending.add(new Event(topic, new HashMap<>(properties)));
        }
    }

    /** Runs {@code work} in one transaction (READ COMMITTED); posts its events after a successful commit. */
    public <T> T tx(Work<T> work) {
        Events events = new Events();
        T result;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                result = work.run(c, events);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        if (eventAdmin != null) {
            for (Event e : events.pending) {
                try {
                    eventAdmin.postEvent(e);
                } catch (RuntimeException ex) {
                    LOG.error("Could not post event {} after commit", e.getTopic(), ex);
                }
            }
        }
        return result;
    }

    /** Runs a read-only {@code work} without a transaction of its own. */
    public <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            return work.run(c, new Events());
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback failed", e);
        }
    }

    static RuntimeException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException || state.startsWith("08") || state.equals("57P01")) {
            return new UnavailableException("database_unavailable", "the database cannot be reached; retry later", e);
        }
        if (state.equals("23505")) {
            return new ConflictException("duplicate", "a record with the same key exists already");
        }
        if (state.startsWith("23")) {
            // foreign key, check or not-null violations the validation should have caught: refuse, lose nothing
            return new ConflictException("constraint_violated", "the change conflicts with the stored records ("
                    + e.getMessage().lines().findFirst().orElse(state) + ")");
        }
        if (state.startsWith("22")) {
            return new ValidationException("body", "a value is out of range or malformed ("
                    + e.getMessage().lines().findFirst().orElse(state) + ")");
        }
        if (state.equals("40001") || state.equals("40P01")) {
            return new ConflictException("concurrent_change", "the record was changed at the same time; retry");
        }
        return new IllegalStateException("database error " + state + ": " + e.getMessage(), e);
    }
}
