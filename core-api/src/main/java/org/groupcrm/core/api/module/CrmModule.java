package org.groupcrm.core.api.module;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A CRM module, registered as an OSGi service by the plugin bundle that provides it. The core tracks these services
 * dynamically: a module appears when its bundle starts and disappears when it stops; its per-subsidiary state is kept.
 * <p>
 * A plugin ties its REST application, event handlers and jobs to the module by the service property
 * {@link #MODULE_PROPERTY} = {@link #id()}; the core then only lets requests through where the module is in force.
 * Extend {@link AbstractCrmModule} rather than implementing this directly.
 * <p>
 * Threading: every method may be called from any thread, concurrently; the descriptive methods must return quickly
 * and always the same values.
 */
@ConsumerType
public interface CrmModule {
    /** Service property naming the module a plugin's JAX-RS application, handler or job belongs to. */
    String MODULE_PROPERTY = "crm.module";

    /**
     * Base path of a module's JAX-RS application: {@code api/v1/} followed by the module id. The core gates requests
     * by this path, so a module's application must use it (and carry {@link #MODULE_PROPERTY}).
     */
    String APPLICATION_BASE_PREFIX = "api/v1/";

    /** Filters a module's application must require ({@code osgi.jaxrs.extension.select}): the CRM's JSON provider, */
    String JSON_EXTENSION = "(osgi.jaxrs.name=crm-json)";
    /** ... authentication, */
    String AUTHENTICATION_EXTENSION = "(osgi.jaxrs.name=crm-authentication)";
    /** ... and the gate that answers 404 {@code module_not_enabled} where the module is not in force. */
    String GATE_EXTENSION = "(osgi.jaxrs.name=crm-module-gate)";

    /** @return stable id, lower case letters, digits and '-', e.g. {@code pipeline}; never {@code null} */
    String id();

    /** @return human-readable name; never {@code null} */
    String name();

    /** @return the module's own version, e.g. {@code 1.2.0}; never {@code null} */
    String version();

    /** @return one sentence on what the module does; never {@code null} */
    String description();

    /** @return ids of the modules that must be in force wherever this one is; never {@code null}, may be empty */
    Set<String> requires();

    /**
     * @return the OSGi version range of this package ({@code org.groupcrm.core.api.module}) the module was built
     *         against, e.g. {@code [1.0,2)}; a module whose range excludes the running core is refused
     */
    String coreApiRange();

    /**
     * @return the types of record the module contributes, with their default rights per position; never
     *         {@code null}, may be empty
     */
    List<ResourceType> resourceTypes();

    /**
     * Called when the module comes into force for a subsidiary (first PILOT or ON), e.g. to seed default data.
     * Runs on the thread of the administrator's request, after the state change is committed; must be idempotent
     * (it is called again after OFF → ON). An exception is logged; the state change stands.
     *
     * @param subsidiary code of the subsidiary
     */
    void provision(String subsidiary);

    /**
     * Called when the module leaves force for a subsidiary (set to OFF). Must not delete data: switching the module
     * on again resumes on it. Same threading and exception rules as {@link #provision(String)}.
     *
     * @param subsidiary code of the subsidiary
     */
    void deprovision(String subsidiary);
}
