package org.groupcrm.plugins.pipeline.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;

import org.groupcrm.core.api.customer.OwnershipParticipant;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The pipeline's part in a reassignment: the open opportunities of the moved customers that the former owner held
 * go to the new owner, in the core's transaction. Won and lost ones stay with the rep who worked them (their
 * commission history depends on it); orders never move.
 */
@Component(service = OwnershipParticipant.class, property = "crm.module=" + PipelineModule.ID)
public class OpportunityOwnership implements OwnershipParticipant {

    @Reference
    PipelineModule module;

    @Override
    public String module() {
        return PipelineModule.ID;
    }

    @Override
    public int transfer(Connection connection, String subsidiary, Set<Long> customerIds, String from, String to)
            throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("UPDATE pipeline_opportunity SET owner = ?,"
                + " updated_at = now(), version = version + 1 WHERE subsidiary = ? AND owner = ? AND status = 'OPEN'"
                + " AND NOT archived AND customer_id = ANY (?)")) {
            p.setString(1, to);
            p.setString(2, subsidiary);
            p.setString(3, from);
            p.setArray(4, connection.createArrayOf("bigint", customerIds.toArray()));
            return p.executeUpdate();
        }
    }
}
