package org.groupcrm.plugins.pipeline.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.audit.AuditLog;

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
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;

/**
 * The pipeline module. Declares the pipeline's resource types with their default grants, which every service checks
 * through the core's {@link org.groupcrm.core.api.user.RightsService} (who sees which record is decided by
 * {@link Access}). Migrates its tables when it starts (so every other component of the plugin, which references
 * this one, finds them), and seeds a subsidiary's stages from the reference process when the module first comes into
 * force there; a subsidiary's adapted stages are never overwritten.
 */
@Component(service = {CrmModule.class, PipelineModule.class})
public class PipelineModule extends AbstractCrmModule {
    public static final String ID = "pipeline";
    static final String CHANGELOG = "crm/pipeline/changelog.sql";
    /** Base of the module's event topics. */
    public static final String TOPIC_PREFIX = "org/groupcrm/pipeline/";

    /**
     * Opportunities: ENTER creates, QUERY reads and lists (the funnel and the stalled list too), MODIFY updates,
     * moves, wins, loses, comments and archives; REVIEW gives one to another rep (entering it for them or changing
     * its owner).
     */
    public static final String OPPORTUNITY = "pipeline.opportunity";
    /** Sales orders: ENTER enters one (also with a win), QUERY reads and lists; REVIEW enters one for another rep. */
    public static final String ORDER = "pipeline.order";
    /** The subsidiary's pipeline configuration, its stages and settings: QUERY reads, MODIFY replaces them. */
    public static final String STAGE = "pipeline.stage";
    /** Commission: QUERY reads the rates and the report, MODIFY replaces the rates. */
    public static final String COMMISSION = "pipeline.commission";

    private static final Map<String, Set<Right>> REP = Map.of(
            Roles.USER, Set.of(Right.ENTER, Right.QUERY, Right.MODIFY),
            Roles.SALES_ASSISTANT, Set.of(Right.ENTER, Right.QUERY),
            Roles.MANAGER, Set.of(Right.ENTER, Right.REVIEW, Right.QUERY, Right.MODIFY),
            Roles.SUBSIDIARY_ADMIN, Set.of(Right.values()));

    /** The module's resource types with their default grants (what a subsidiary has until it adjusts them). */
    static final List<ResourceType> RESOURCE_TYPES = List.of(
            new ResourceType(OPPORTUNITY, "Opportunity", REP),
            new ResourceType(ORDER, "Sales order", REP),
            new ResourceType(STAGE, "Pipeline stage", Map.of(
                    Roles.USER, Set.of(Right.QUERY), Roles.SALES_ASSISTANT, Set.of(Right.QUERY),
                    Roles.MANAGER, Set.of(Right.QUERY, Right.MODIFY), Roles.SUBSIDIARY_ADMIN,
                    Set.of(Right.values()))),
            new ResourceType(COMMISSION, "Commission", Map.of(
                    Roles.USER, Set.of(Right.QUERY), Roles.FINANCE, Set.of(Right.QUERY, Right.MODIFY),
                    Roles.MANAGER, Set.of(Right.QUERY, Right.MODIFY),
                    Roles.SUBSIDIARY_ADMIN, Set.of(Right.values()))));

    private final Db db;
    private final AuditLog audit;

    @Activate
    public PipelineModule(BundleContext context, @Reference ModuleSchema schema,
            @Reference(target = ModuleSchema.DATA_SOURCE_TARGET) DataSource dataSource,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) EventAdmin eventAdmin, @Reference AuditLog audit) {
        super(ID, "Pipeline", context.getBundle().getVersion().toString(),
                "Opportunities through the subsidiary's stages, funnel analysis, orders and commission",
                Set.of(), "[1.0,2)", RESOURCE_TYPES);
        schema.migrate(context.getBundle(), CHANGELOG);
        this.db = new Db(dataSource, eventAdmin);
        this.audit = audit;
    }

    /** For tests: the module with its database access and audit log, nothing migrated. */
    PipelineModule(Db db, AuditLog audit) {
        super(ID, "Pipeline", "0.0.0", "test", Set.of(), "[1.0,2)", RESOURCE_TYPES);
        this.db = db;
        this.audit = audit;
    }

    /** For tests that do not look at the audit trail. */
    PipelineModule(Db db) {
        this(db, (c, caller, entity, id, action, before, after) -> { });
    }

    /** The module's database access. */
    public Db db() {
        return db;
    }

    /**
     * Records a write of {@code before} → {@code after} (records of the pipeline: their public fields but the
     * server's bookkeeping) in the core's audit trail, in the write's transaction {@code c}.
     */
    void audit(Connection c, CallerContext caller, String type, long id, String action, Object before, Object after)
            throws SQLException {
        audit.record(c, caller, "pipeline." + type, String.valueOf(id), action, Rows.fields(before), Rows.fields(after));
    }

    /**
     * Records a change of a subsidiary's pipeline configuration ({@code type}: {@code stages},
     * {@code commission_rates}, {@code settings}) in the core's audit trail, in the write's transaction {@code c}. The
     * entry's id is the subsidiary's code; {@code before} and {@code after} name each configured item (a stage's code,
     * a rate's product line, a setting's name) with its value, so the entry keeps what changed, was added or removed.
     */
    void auditConfiguration(Connection c, CallerContext caller, String type, String subsidiary,
            Map<String, ?> before, Map<String, ?> after) throws SQLException {
        audit.record(c, caller, "pipeline." + type, subsidiary, "CONFIGURE", before, after);
    }

    @Override
    public void provision(String subsidiary) {
        StageRepository.seedReference(db, subsidiary);
    }
}
