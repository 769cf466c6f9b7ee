package org.groupcrm.core.internal.persistence;

import java.sql.SQLException;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.groupcrm.core.api.UnavailableException;
import org.groupcrm.core.api.module.ModuleSchema;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Modules' migrations: each module's changelog, from its own bundle, through the same Liquibase runner as the core's
 * (so they share the change log and lock tables, and concurrent runs are serialised). Only available once the core
 * schema is migrated.
 */
@Component(service = ModuleSchema.class)
public class ModuleSchemaImpl implements ModuleSchema {
    /** {@code crm/<module id>/<file>}: one folder per module, so that change set paths never collide. */
    static final Pattern PATH = Pattern.compile("crm/([a-z][a-z0-9-]{1,39})/[A-Za-z0-9_.\\-/]+\\.(sql|xml|yaml|yml)");

    @Reference(target = ModuleSchema.DATA_SOURCE_TARGET)
    DataSource dataSource;

    @Reference
    CoreSchema core;

    @Override
    public void migrate(Bundle bundle, String changelog) {
        check(changelog);
        if (bundle.getEntry(changelog) == null) {
            throw new IllegalStateException("bundle " + bundle.getSymbolicName() + " has no changelog " + changelog);
        }
        try {
            new Migrations(dataSource).apply(bundle, changelog);
        } catch (Exception e) {
            if (isConnectionFailure(e)) {
                throw new UnavailableException("database_unavailable", "the database cannot be reached; retry later", e);
            }
            throw new IllegalStateException("migration " + changelog + " of " + bundle.getSymbolicName()
                    + " failed: " + rootMessage(e), e);
        }
    }

    static void check(String changelog) {
        var m = changelog == null ? null : PATH.matcher(changelog);
        if (m == null || !m.matches() || changelog.contains("..")) {
            throw new IllegalArgumentException("changelog must be crm/<module id>/<file>.sql|xml|yaml: " + changelog);
        }
        if ("core".equals(m.group(1))) {
            throw new IllegalArgumentException("crm/core/ belongs to the core; use crm/<module id>/: " + changelog);
        }
    }

    private static boolean isConnectionFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
            if (c instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
