package org.groupcrm.core.api.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import org.groupcrm.core.api.CallerContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes audit entries for a module's records, so that every committed write of a module is as accountable as the
 * core's own: one entry per write, in the same transaction, never changed or deleted through the API.
 * <p>
 * Thread-safe. The entry is written on the given connection, so it commits or rolls back with the module's write: the
 * connection must come from the CRM's {@code DataSource} (the one modules get through
 * {@link org.groupcrm.core.api.module.ModuleSchema#DATA_SOURCE_TARGET}) and be inside the module's transaction
 * (auto-commit off). The method never commits, rolls back or closes it.
 */
@ProviderType
public interface AuditLog {
    /** Longest entity name: {@code <module>.<record type>}, e.g. {@code pipeline.opportunity}. */
    int MAX_ENTITY = 40;

    /**
     * Records one write by {@code caller} in the caller's current subsidiary. Only the fields whose values differ
     * between {@code before} and {@code after} are kept (as text, numbers or booleans; other values by their
     * {@code toString()}); a write that changed nothing leaves no entry.
     *
     * @param connection the transaction's connection (see above); not null
     * @param caller     who wrote; their login is the entry's actor and their current subsidiary its subsidiary
     * @param entity     {@code <module>.<record type>}, at most {@value #MAX_ENTITY} characters
     * @param id         the record's id, at most 64 characters
     * @param action     what happened, e.g. {@code CREATE}, {@code UPDATE}, {@code STAGE}, {@code WIN}; at most 20
     *                   characters
     * @param before     field values before the write; empty (or null) for a creation
     * @param after      field values after the write; empty (or null) for a deletion
     * @throws IllegalArgumentException a name is blank or too long, or the caller acts in no subsidiary
     * @throws SQLException              the entry could not be written; the module's transaction must then roll back
     */
    void record(Connection connection, CallerContext caller, String entity, String id, String action,
            Map<String, ?> before, Map<String, ?> after) throws SQLException;
}
