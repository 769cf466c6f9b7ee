package org.groupcrm.plugins.pipeline.internal.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.plugins.pipeline.internal.StageDTO;
import org.groupcrm.plugins.pipeline.internal.StageRepository;
import org.groupcrm.plugins.pipeline.internal.StageService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /pipeline/stages}: the subsidiary's stages, the reference process and how they differ. */
@Component(service = StageResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PipelineApplication.SELECT)
@Path("stages")
@Produces(MediaType.APPLICATION_JSON)
public class StageResource {

    @Reference
    StageService stages;

    /** The subsidiary's active stages, in order. */
    @GET
    public List<StageDTO> list(@Context SecurityContext sc) {
        return stages.list(CallerContext.of(sc.getUserPrincipal()));
    }

    /**
     * Replaces the subsidiary's stages (the MODIFY right over stages: managers by default): known codes are updated,
     * new ones added, missing ones retired.
     */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public List<StageDTO> replace(@Context SecurityContext sc, List<StageDTO> body) {
        return stages.replace(CallerContext.of(sc.getUserPrincipal()), body);
    }

    /** The vendor's standard reference process. */
    @GET
    @Path("reference")
    public List<StageDTO> reference() {
        return stages.reference();
    }

    /** How the subsidiary's stages differ from the reference process. */
    @GET
    @Path("differences")
    public List<StageRepository.Difference> differences(@Context SecurityContext sc) {
        return stages.differences(CallerContext.of(sc.getUserPrincipal()));
    }

}
