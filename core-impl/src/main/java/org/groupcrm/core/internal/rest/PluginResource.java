package org.groupcrm.core.internal.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.internal.plugin.PluginActionDTO;
import org.groupcrm.core.internal.plugin.PluginAdmin;
import org.groupcrm.core.internal.plugin.PluginDTO;
import org.groupcrm.core.internal.plugin.PluginPlanDTO;
import org.groupcrm.core.internal.plugin.PluginRepositoryDTO;
import org.groupcrm.core.internal.plugin.PluginRequestDTO;
import org.groupcrm.core.internal.service.InputValidator;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /admin/plugins}: plugin features installed, upgraded and uninstalled while the platform runs (group
 * administrators only). Every change can be planned first with {@code dryRun}.
 */
@Component(service = PluginResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("admin")
@Produces(MediaType.APPLICATION_JSON)
public class PluginResource {

    @Reference
    PluginAdmin plugins;

    @Reference
    InputValidator validator;

    /** Installed and available plugin features. */
    @GET
    @Path("plugins")
    public List<PluginDTO> list(@Context SecurityContext sc) throws Exception {
        return plugins.list(Callers.of(sc));
    }

    /** Installs a plugin feature, or upgrades it to the given version; {@code dryRun} only plans. */
    @POST
    @Path("plugins/{feature}")
    @Consumes(MediaType.APPLICATION_JSON)
    public PluginPlanDTO install(@Context SecurityContext sc, @PathParam("feature") String feature,
            PluginRequestDTO body) throws Exception {
        PluginRequestDTO request = body == null ? new PluginRequestDTO() : body;
        validator.validate(request);
        return plugins.install(Callers.of(sc), feature, request.version, request.dryRun);
    }

    /** Uninstalls a plugin feature; its data stays. {@code ?dryRun=true} only plans. */
    @DELETE
    @Path("plugins/{feature}")
    public PluginPlanDTO uninstall(@Context SecurityContext sc, @PathParam("feature") String feature,
            @QueryParam("dryRun") String dryRun) throws Exception {
        return plugins.uninstall(Callers.of(sc), feature, Params.bool("dryRun", dryRun, false));
    }

    /** The latest administrative actions on plugins, who did them and how they went, newest first. */
    @GET
    @Path("plugins/history")
    public List<PluginActionDTO> history(@Context SecurityContext sc, @QueryParam("limit") String limit) {
        return plugins.history(Callers.of(sc), Params.intInRange("limit", limit, 100, 1, 1000));
    }

    /** Registers a feature repository offering plugin features. */
    @POST
    @Path("plugin-repositories")
    @Consumes(MediaType.APPLICATION_JSON)
    public PluginRepositoryDTO addRepository(@Context SecurityContext sc, PluginRepositoryDTO body) throws Exception {
        PluginRepositoryDTO request = body == null ? new PluginRepositoryDTO() : body;
        validator.validate(request);
        return plugins.addRepository(Callers.of(sc), request.uri);
    }
}
