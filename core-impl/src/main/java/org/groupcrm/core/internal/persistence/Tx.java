package org.groupcrm.core.internal.persistence;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.persistence.EntityManager;
import javax.persistence.OptimisticLockException;

import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.CrmException;
import org.groupcrm.core.api.UnavailableException;
import org.groupcrm.core.api.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Runs units of work in one transaction of the core persistence unit, translates persistence failures into CRM
 * exceptions, and posts the events a unit of work collected only once it has committed.
 */
@Component(service = Tx.class)
public class Tx {
    private static final Logger LOG = LoggerFactory.getLogger(Tx.class);

    @Reference(target = "(osgi.unit.name=crm-core)")
    JpaTemplate jpa;

    @Reference
    CoreSchema schema;

    @Reference
    EventAdmin eventAdmin;

    /** A unit of work that may collect events to post after commit. */
    @FunctionalInterface
    public interface Work<R> {
        R apply(EntityManager em, Events events) throws Exception;
    }

    /** Events collected by a unit of work. */
    public static final class Events {
        private final List<Event> pending = new ArrayList<>();

        public void add(String topic, Map<String, Object> properties) {
            pending.add(new Event(topic, new HashMap<>(properties)));
        }
    }

    /** Runs {@code work} in a transaction; posts its events after a successful commit. */
    public <R> R run(Work<R> work) {
        Events events = new Events();
        R result;
        try {
            result = jpa.txExpr(TransactionType.Required, em -> {
                try {
                    return work.apply(em, events);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (RuntimeException e) {
            throw translate(e);
        }
        for (Event event : events.pending) {
            try {
                eventAdmin.postEvent(event);
            } catch (RuntimeException e) {
                // the write is committed: the caller must see success, not a 500 that invites a duplicate retry
                LOG.error("Could not post event {} after commit", event.getTopic(), e);
            }
        }
        return result;
    }

    /** Maps a failure of a unit of work to the exception the caller should see. */
    static RuntimeException translate(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CrmException crm) {
                return crm;
            }
            if (t instanceof OptimisticLockException) {
                return new ConflictException("stale_version",
                        "the record was changed by someone else meanwhile; reload it and retry");
            }
            if (t instanceof SQLException sql && isConnectionFailure(sql)) {
                return new UnavailableException("database_unavailable", "the database cannot be reached; retry later", e);
            }
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return new ConflictException("duplicate", "a record with the same unique value already exists");
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return new ValidationException("body", "a value cannot be stored (e.g. it contains a NUL character or is out of range)");
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return e;
    }

    static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || (state != null && (state.startsWith("08") || state.startsWith("57P")));
    }
}
