package org.groupcrm.core.api.customer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

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
 */
@ConsumerType
public interface OwnershipParticipant {

    /** @return the module id, for the reassignment's report; never {@code null} */
    String module();

    /**
     * Moves the open work of {@code customerIds} owned by {@code from} to {@code to}, within {@code subsidiary}.
     * Closed or completed records stay with whoever did the work.
     *
     * @return how many records moved
     */
    int transfer(Connection connection, String subsidiary, Set<Long> customerIds, String from, String to)
            throws SQLException;
}
