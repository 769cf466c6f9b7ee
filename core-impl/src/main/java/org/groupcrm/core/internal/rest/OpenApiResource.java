package org.groupcrm.core.internal.rest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.groupcrm.core.internal.rest.openapi.OpenApiGenerator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.jaxrs.whiteboard.JaxrsWhiteboardConstants;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /openapi.json}: the OpenAPI 3 document of every resource currently registered with the core application,
 * generated from their JAX-RS annotations on each request, so resources that come and go are always reflected.
 */
@Component(service = OpenApiResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("openapi.json")
public class OpenApiResource {
    private static final Logger LOG = LoggerFactory.getLogger(OpenApiResource.class);
    private ServiceTracker<Object, Class<?>> resources;
    private OpenApiGenerator generator;

    @Activate
    void activate(BundleContext context) throws InvalidSyntaxException {
        generator = new OpenApiGenerator("CRM API", context.getBundle().getVersion().toString(),
                "Customers, contacts, activities and administration of the group CRM. Errors share one JSON shape.");
        String filter = "(" + JaxrsWhiteboardConstants.JAX_RS_RESOURCE + "=true)";
        resources = new ServiceTracker<>(context, context.createFilter(filter), null) {
            @Override
            public Class<?> addingService(ServiceReference<Object> reference) {
                Object select = reference.getProperty(JaxrsWhiteboardConstants.JAX_RS_APPLICATION_SELECT);
                if (select == null || !String.valueOf(select).contains(CrmApplication.SELECT)) {
                    return null;
                }
                // Load the class by name rather than getting the service: getting it could activate components
                // (this one included) just to document them.
                String[] types = (String[]) reference.getProperty(Constants.OBJECTCLASS);
                try {
                    Class<?> type = reference.getBundle().loadClass(types[0]);
                    return type.isAnnotationPresent(Path.class) ? type : null;
                } catch (ClassNotFoundException | RuntimeException e) {
                    LOG.warn("Cannot document resource {}", types[0], e);
                    return null;
                }
            }

            @Override
            public void removedService(ServiceReference<Object> reference, Class<?> type) {
                // nothing was got in addingService, so nothing to unget
            }
        };
        resources.open(true);
    }

    @Deactivate
    void deactivate() {
        resources.close();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> document() {
        Collection<Class<?>> classes = new ArrayList<>();
        Object[] tracked = resources.getServices(new Class<?>[0]);
        if (tracked != null) {
            for (Object c : tracked) {
                classes.add((Class<?>) c);
            }
        }
        try {
            return generator.generate("/api/v1", classes);
        } catch (RuntimeException e) {
            LOG.warn("OpenAPI generation over all resources failed; retrying resource by resource", e);
            List<Class<?>> ok = new ArrayList<>();
            for (Class<?> c : classes) {
                try {
                    generator.generate("/api/v1", List.of(c));
                    ok.add(c);
                } catch (RuntimeException skipped) {
                    LOG.warn("Leaving {} out of the OpenAPI document", c.getName(), skipped);
                }
            }
            return generator.generate("/api/v1", ok);
        }
    }
}
