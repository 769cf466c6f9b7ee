package org.groupcrm.core.api.module;

import java.util.Dictionary;
import java.util.Hashtable;

/**
 * Service properties of a module's JAX-RS application, so that a plugin does not have to spell them out: register
 * the application with
 * {@code context.registerService(Application.class, app, ModuleApplications.properties("memo"))}.
 * <p>
 * The application is served at {@code /api/v1/<module id>}, requires the CRM's JSON provider, authentication and
 * module gate (so it never answers without them), and is tied to the module by {@link CrmModule#MODULE_PROPERTY}.
 * The core's error mappers apply to it, so a module's resources throw the API's exceptions
 * ({@link org.groupcrm.core.api.ValidationException} → 400, ...) and get the CRM's error shape. In its resources,
 * {@link org.groupcrm.core.api.CallerContext#of(java.security.Principal)} gives the caller.
 */
public final class ModuleApplications {
    private ModuleApplications() {
    }

    /**
     * @param moduleId id of the module ({@link CrmModule#id()})
     * @return a fresh, mutable set of properties for the module's {@code javax.ws.rs.core.Application} service
     */
    public static Dictionary<String, Object> properties(String moduleId) {
        if (moduleId == null || moduleId.isBlank() || moduleId.contains("/")) {
            throw new IllegalArgumentException("module id: " + moduleId);
        }
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("osgi.jaxrs.application.base", CrmModule.APPLICATION_BASE_PREFIX + moduleId);
        p.put("osgi.jaxrs.name", "crm-module-" + moduleId);
        p.put(CrmModule.MODULE_PROPERTY, moduleId);
        p.put("osgi.jaxrs.extension.select", new String[] {CrmModule.JSON_EXTENSION,
                CrmModule.AUTHENTICATION_EXTENSION, CrmModule.GATE_EXTENSION});
        return p;
    }
}
