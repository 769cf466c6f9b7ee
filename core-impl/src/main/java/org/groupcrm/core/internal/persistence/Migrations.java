package org.groupcrm.core.internal.persistence;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.OSGiResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Runs one bundle's Liquibase changelog against the CRM database. Liquibase serialises concurrent runs through its
 * lock table, so bundles migrating at the same time are safe; each changelog path must be unique across bundles.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private final DataSource dataSource;

    public Migrations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Applies the pending change sets of {@code changelog} (a resource of {@code bundle}). */
    public void apply(Bundle bundle, String changelog) throws Exception {
        apply(new OSGiResourceAccessor(bundle), changelog, bundle.getSymbolicName());
    }

    /**
     * Applies the pending change sets of {@code changelog}, read through {@code accessor}.
     *
     * @param owner who the changelog belongs to, for the log line only
     */
    public void apply(ResourceAccessor accessor, String changelog, String owner) throws Exception {
        long start = System.nanoTime();
        Map<String, Object> scope = new HashMap<>();
        scope.put(Scope.Attr.classLoader.name(), Liquibase.class.getClassLoader());
        scope.put(Scope.Attr.ui.name(), new LoggerUIService());
        scope.put("liquibase.analytics.enabled", Boolean.FALSE);
        scope.put("liquibase.showBanner", Boolean.FALSE);
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(Liquibase.class.getClassLoader());
        try (Connection connection = dataSource.getConnection();
             LongWork longWork = LongWork.allow(connection, LongWork.MIGRATION)) {
            Scope.child(scope, () -> {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                try (Liquibase liquibase = new Liquibase(changelog, accessor, database)) {
                    liquibase.update("");
                }
            });
        } finally {
            Thread.currentThread().setContextClassLoader(tccl);
        }
        LOG.info("Schema of {} ({}) is up to date ({} ms)", owner, changelog,
                (System.nanoTime() - start) / 1_000_000);
    }
}
