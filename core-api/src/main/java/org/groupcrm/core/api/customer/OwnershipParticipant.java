package org.groupcrm.core.api.customer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A module's part in moving customers from one rep to another ({@link CustomerService#reassign}): the customer
 * belongs to the company, so when it changes hands its open work in every module goes with it. Register an
 * implementation as a service (with {@code crm.module} = the module id); the core calls every registered participant,
 * whatever the module's state in the subsidiary, because the data belongs to the customer.
 * <p>
 * Threading and transactions: called on the administrator's request thread, inside the core's transaction that moves
 * the customers, with that transaction's JDBC connection: write with it, and do not commit, roll back, close it or
 * change its auto-commit. Everything commits together or not at all; throwing rolls the whole reassignment back
 * (the administrator sees the failure and nothing has moved).
 * <p>
 * Accountability: every record a participant moves is a write, so it records one entry per moved record in the audit
 * trail ({@link org.groupcrm.core.api.audit.AuditLog#record}, on the same connection, as the caller, e.g. action
 * {@code REASSIGN} with the owner before and after), as the core does for customers and activities. That needs the
 * caller: implement {@link #transfer(Connection, CallerContext, Set, String, String)}, which the core calls since
 * 1.1.
 */
@ConsumerType
public interface OwnershipParticipant {

    /** @return the module id, for the reassignment's report; never {@code null} */
    String module();

    /**
     * Moves the open work of {@code customerIds} owned by {@code from} to {@code to}, within the caller's current
     * subsidiary, and records each moved record in the audit trail as {@code caller}. Closed or completed records stay
     * with whoever did the work. The core calls this method.
     * <p>
     * The default, for participants written against 1.0, calls
     * {@link #transfer(Connection, String, Set, String, String)}, which leaves no audit entries.
     *
     * @param caller the administrator who reassigns; {@link CallerContext#subsidiary()} is the subsidiary
     * @return how many records moved
     * @since 1.1
     */
    default int transfer(Connection connection, CallerContext caller, Set<Long> customerIds, String from, String to)
            throws SQLException {
        return transfer(connection, caller.requireSubsidiary(), customerIds, from, to);
    }

    /**
     * Moves the open work of {@code customerIds} owned by {@code from} to {@code to}, within {@code subsidiary}.
     * Closed or completed records stay with whoever did the work.
     *
     * @return how many records moved
     * @deprecated since 1.1 the core calls {@link #transfer(Connection, CallerContext, Set, String, String)}, which
     *             knows the caller and so can audit what it moves; a participant that implements that one may throw
     *             {@link UnsupportedOperationException} here
     */
    @Deprecated
    int transfer(Connection connection, String subsidiary, Set<Long> customerIds, String from, String to)
            throws SQLException;
}
