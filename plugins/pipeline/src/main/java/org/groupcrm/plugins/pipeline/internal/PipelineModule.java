package org.groupcrm.plugins.pipeline.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.groupcrm.core.api.module.AbstractCrmModule;
import org.groupcrm.core.api.module.CrmModule;
import org.groupcrm.core.api.module.ModuleSchema;
import org.groupcrm.core.api.module.ResourceType;
import org.groupcrm.core.api.user.Right;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;

/**
 * The pipeline module. Migrates its tables when it starts (so every other component of the plugin, which references
 * this one, finds them), and seeds a subsidiary's stages from the reference process when the module first comes into
 * force there; a subsidiary's adapted stages are never overwritten.
 */
@Component(service = {CrmModule.class, PipelineModule.class})
public class PipelineModule extends AbstractCrmModule {
    public static final String ID = "pipeline";
    static final String CHANGELOG = "crm/pipeline/changelog.sql";
    /** Base of the module's event topics. */
    public static final String TOPIC_PREFIX = "org/groupcrm/pipeline/";

    private static final Map<String, Set<Right>> REP = Map.of(
            "sales-rep", Set.of(Right.ENTER, Right.QUERY, Right.MODIFY),
            "sales-assistant", Set.of(Right.ENTER, Right.QUERY),
            "manager", Set.of(Right.ENTER, Right.REVIEW, Right.QUERY, Right.MODIFY),
            "subsidiary-admin", Set.of(Right.values()));
    private final Db db;

    @Activate
    public PipelineModule(BundleContext context, @Reference ModuleSchema schema,
            @Reference(target = ModuleSchema.DATA_SOURCE_TARGET) DataSource dataSource,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) EventAdmin eventAdmin) {
        super(ID, "Pipeline", context.getBundle().getVersion().toString(),
                "Opportunities through the subsidiary's stages, funnel analysis, orders and commission",
                Set.of(), "[1.0,2)", List.of(
                        new ResourceType("pipeline.opportunity", "Opportunity", REP),
                        new ResourceType("pipeline.order", "Sales order", REP),
                        new ResourceType("pipeline.stage", "Pipeline stage", Map.of(
                                "manager", Set.of(Right.QUERY), "subsidiary-admin", Set.of(Right.values()))),
                        new ResourceType("pipeline.commission", "Commission", Map.of(
                                "finance", Set.of(Right.QUERY, Right.MODIFY), "manager", Set.of(Right.QUERY),
                                "subsidiary-admin", Set.of(Right.values())))));
        schema.migrate(context.getBundle(), CHANGELOG);
        this.db = new Db(dataSource, eventAdmin);
    }

    /** For tests: the module with only its database access, nothing migrated. */
    PipelineModule(Db db) {
        super(ID, "Pipeline", "0.0.0", "test", Set.of(), "[1.0,2)");
        this.db = db;
    }

    /** The module's database access. */
    public Db db() {
        return db;
    }

    @Override
    public void provision(String subsidiary) {
        StageRepository.seedReference(db, subsidiary);
    }
}
