package org.groupcrm.itests.memo.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.groupcrm.core.api.module.AbstractCrmModule;
import org.groupcrm.core.api.module.CrmModule;
import org.groupcrm.core.api.module.ModuleSchema;
import org.groupcrm.core.api.module.ResourceType;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.Roles;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The memo module: migrates its table when it starts, and marks a subsidiary provisioned when it comes into force. */
@Component(service = {CrmModule.class, MemoModule.class})
public class MemoModule extends AbstractCrmModule {
    static final String ID = "memo";
    static final String CHANGELOG = "crm/memo/changelog.sql";
    private final DataSource dataSource;

    @Activate
    public MemoModule(BundleContext context, @Reference ModuleSchema schema,
            @Reference(target = ModuleSchema.DATA_SOURCE_TARGET) DataSource dataSource) {
        super(ID, "Memos", context.getBundle().getVersion().toString(), "Short memos on customers (test plugin)",
                Set.of(), "[1.0,2)", List.of(new ResourceType("memo.memo", "Memo",
                        Map.of(Roles.USER, Set.of(Right.ENTER, Right.QUERY), Roles.MANAGER, Set.of(Right.QUERY, Right.MODIFY)))));
        schema.migrate(context.getBundle(), CHANGELOG);
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void provision(String subsidiary) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO crm_memo_provisioned (subsidiary) VALUES (?)"
                        + " ON CONFLICT DO NOTHING")) {
            s.setString(1, subsidiary);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot provision memos for " + subsidiary, e);
        }
    }
}
