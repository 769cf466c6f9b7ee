package org.groupcrm.core.internal.rest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.annotation.security.PermitAll;
import javax.sql.DataSource;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.groupcrm.core.api.customer.CustomerService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /health} without authentication: 200 {@code UP} with the PostgreSQL version when a query on the CRM
 * database succeeds and the core services are up, 503 {@code DOWN} with the reason otherwise. Answers within the pool's connection timeout.
 */
@Component(service = HealthResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("health")
@PermitAll
public class HealthResource {
    static final int QUERY_TIMEOUT_SECONDS = 2;

    @Reference(target = "(osgi.jndi.service.name=crm)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    volatile DataSource dataSource;

    /** Present once the schema is migrated and the persistence unit is up: the core can serve requests. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile CustomerService customers;

    private String productVersion = "unknown";

    @Activate
    void activate(BundleContext context) {
        productVersion = context.getBundle().getVersion().toString();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        Map<String, Object> body = new LinkedHashMap<>();
        DataSource ds = dataSource;
        String down = null;
        if (ds == null) {
            down = "the database is not started or not configured";
        } else {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                    rs.next();
                    body.put("status", "UP");
                    body.put("database", "PostgreSQL " + rs.getString(1).split(" ")[0]);
                }
            } catch (SQLException | RuntimeException e) {
                down = "the database cannot be reached: " + e.getClass().getSimpleName();
            }
        }
        if (down != null) {
            body.put("status", "DOWN");
            body.put("database", down);
        }
        boolean coreReady = customers != null;
        body.put("core", coreReady ? "UP" : "STARTING");
        if (!coreReady) {
            body.put("status", "DOWN");
            down = down == null ? "core starting" : down;
        }
        body.put("version", productVersion);
        return Response.status(down == null ? 200 : 503).entity(body).build();
    }
}
