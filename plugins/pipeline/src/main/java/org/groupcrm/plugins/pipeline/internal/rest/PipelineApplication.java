package org.groupcrm.plugins.pipeline.internal.rest;

import javax.ws.rs.core.Application;

import org.groupcrm.plugins.pipeline.internal.PipelineModule;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The pipeline's JAX-RS application at {@code /api/v1/pipeline}: requires the CRM's JSON provider, authentication and
 * module gate (see {@code ModuleApplications}); goes live once the module (and so its schema) is ready. Resources
 * join it with {@link #SELECT}.
 */
@Component(service = Application.class, property = {
        "osgi.jaxrs.application.base=api/v1/" + PipelineModule.ID,
        "osgi.jaxrs.name=" + PipelineApplication.NAME,
        "crm.module=" + PipelineModule.ID,
        "osgi.jaxrs.extension.select=(osgi.jaxrs.name=crm-json)",
        "osgi.jaxrs.extension.select=(osgi.jaxrs.name=crm-authentication)",
        "osgi.jaxrs.extension.select=(osgi.jaxrs.name=crm-module-gate)"})
public class PipelineApplication extends Application {
    public static final String NAME = "crm-module-" + PipelineModule.ID;
    public static final String SELECT = "(osgi.jaxrs.name=" + NAME + ")";

    @Reference
    PipelineModule module;
}
