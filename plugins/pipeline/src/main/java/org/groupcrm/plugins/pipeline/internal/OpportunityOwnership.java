package org.groupcrm.plugins.pipeline.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.customer.OwnershipParticipant;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The pipeline's part in a reassignment: the open opportunities of the moved customers that the former owner held
 * go to the new owner, in the core's transaction, each with one audit entry ({@code pipeline.opportunity},
 * {@code REASSIGN}, the owner before and after). Won and lost ones stay with the rep who worked them (their
 * commission history depends on it); orders never move.
 */
@Component(service = OwnershipParticipant.class, property = "crm.module=" + PipelineModule.ID)
public class OpportunityOwnership implements OwnershipParticipant {

    private final PipelineModule module;

    @Activate
    public OpportunityOwnership(@Reference PipelineModule module) {
        this.module = module;
    }

    @Override
    public String module() {
        return PipelineModule.ID;
    }

    @Override
    public int transfer(Connection connection, CallerContext caller, Set<Long> customerIds, String from, String to)
            throws SQLException {
        List<Long> moved = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement("UPDATE pipeline_opportunity SET owner = ?,"
                + " updated_at = now(), version = version + 1 WHERE subsidiary = ? AND owner = ? AND status = 'OPEN'"
                + " AND NOT archived AND customer_id = ANY (?) RETURNING id")) {
            p.setString(1, to);
            p.setString(2, caller.requireSubsidiary());
            p.setString(3, from);
            p.setArray(4, connection.createArrayOf("bigint", customerIds.toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    moved.add(rs.getLong(1));
                }
            }
        }
        moved.sort(null);
        for (long id : moved) {
            module.audit(connection, caller, "opportunity", id, "REASSIGN", Map.of("owner", from), Map.of("owner", to));
        }
        return moved.size();
    }

    /** Not called: the core calls the variant with the caller, who is needed for the audit entries. */
    @Override
    @Deprecated
    public int transfer(Connection connection, String subsidiary, Set<Long> customerIds, String from, String to) {
        throw new UnsupportedOperationException("the pipeline moves opportunities only with the caller, to audit them");
    }
}
