package org.groupcrm.core.internal.module;

import java.util.Optional;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.module.CrmModule;
import org.groupcrm.core.internal.rest.Callers;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * Lets a request into a module's JAX-RS application only where the module is in force for the caller; elsewhere the
 * answer is 404 {@code {"error":"module_not_enabled","module":"<id>"}}. A module's application lives at
 * {@code /api/v1/<module id>}; the gate runs after authentication and before resource matching.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName(ModuleGate.NAME)
@JaxrsApplicationSelect("(" + CrmModule.MODULE_PROPERTY + "=*)")
@Priority(Priorities.AUTHORIZATION)
@PreMatching
public class ModuleGate implements ContainerRequestFilter {
    public static final String NAME = "crm-module-gate";
    static final String BASE = "/api/v1/";

    @Reference
    ModuleServiceImpl modules;

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> module = moduleOf(request.getUriInfo().getBaseUri().getPath());
        SecurityContext sc = request.getSecurityContext();
        if (module.isEmpty() || !(sc.getUserPrincipal() instanceof CallerContext)) {
            return;
        }
        CallerContext caller = Callers.of(sc);
        if (!modules.inForce(caller, module.get())) {
            request.abortWith(Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new NotEnabled("module_not_enabled", module.get(),
                            "module " + module.get() + " is not enabled for you in this subsidiary"))
                    .build());
        }
    }

    /** @return the module id of an application base path {@code /api/v1/<id>/} */
    static Optional<String> moduleOf(String basePath) {
        if (basePath == null || !basePath.startsWith(BASE)) {
            return Optional.empty();
        }
        String rest = basePath.substring(BASE.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    /** The body of the refusal. */
    public record NotEnabled(String error, String module, String message) {
    }
}
