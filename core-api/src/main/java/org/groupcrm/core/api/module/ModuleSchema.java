package org.groupcrm.core.api.module;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.Bundle;

/**
 * Migrates a module's own tables in the CRM database. A module owns its tables and their versioned migrations: a
 * Liquibase formatted-SQL changelog inside its bundle, at a path unique to the module,
 * {@code crm/<module id>/changelog.sql}. Call {@link #migrate} when the module's bundle starts (typically in the
 * activation of the component that needs the tables), before using them.
 * <p>
 * Change sets are applied once, in order, and never rolled back by the core: uninstalling a plugin keeps its tables
 * and rows, and installing it again (or an upgrade) resumes on them, applying only the change sets it adds. Never
 * edit a released change set; add a new one. Concurrent migrations of several bundles are serialised.
 * <p>
 * The module reaches the database through the CRM's {@code javax.sql.DataSource} service, selected by
 * {@link #DATA_SOURCE_TARGET}; it is there only while the database is.
 */
@ProviderType
public interface ModuleSchema {
    /** Target filter of the CRM's {@code DataSource} service. */
    String DATA_SOURCE_TARGET = "(osgi.jndi.service.name=crm)";

    /**
     * Applies the pending change sets of {@code changelog}, a resource of {@code bundle}. Blocks until done; safe to
     * call from any thread, and again (it then applies nothing).
     *
     * @param bundle    the module's bundle, whose class path holds the changelog
     * @param changelog path of the changelog in that bundle, {@code crm/<module id>/...}
     * @throws IllegalArgumentException when the path is not under {@code crm/<module id>/} or is the core's
     * @throws IllegalStateException    when the changelog is missing or a change set fails (nothing of the failed
     *                                  change set is kept; the message says which)
     * @throws org.groupcrm.core.api.UnavailableException when the database cannot be reached
     */
    void migrate(Bundle bundle, String changelog);
}
