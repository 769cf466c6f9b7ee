package org.groupcrm.core.internal.persistence;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Brings the core schema up to date with the bundle's Liquibase changelog before anything uses it. Every component
 * that touches the database references this service: DS activates it (and so migrates) on first use, and nobody gets
 * it if the migration failed.
 */
@Component(service = CoreSchema.class)
public class CoreSchema {
    static final String CHANGELOG = "crm/core/changelog.sql";

    @Reference(target = "(osgi.jndi.service.name=crm)")
    DataSource dataSource;

    @Activate
    void activate(BundleContext context) throws Exception {
        new Migrations(dataSource).apply(context.getBundle(), CHANGELOG);
    }
}
