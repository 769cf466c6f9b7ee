package org.groupcrm.plugins.pipeline.internal.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.plugins.pipeline.internal.FunnelDTO;
import org.groupcrm.plugins.pipeline.internal.FunnelService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /pipeline/funnel?from=2026-07-01&to=2026-09-30[&owner=login|&team=code]}: the funnel of the caller's
 * subsidiary, of one rep or of a sales team, for a period (see {@link FunnelDTO}). The parameters are taken as text and converted by
 * {@link FunnelService#parse}, so that a bad one is a 400 naming it rather than the JAX-RS runtime's bare 404.
 */
@Component(service = FunnelResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PipelineApplication.SELECT)
@Path("funnel")
@Produces(MediaType.APPLICATION_JSON)
public class FunnelResource {
    private final FunnelService funnels;

    @Activate
    public FunnelResource(@Reference(name = "funnels") FunnelService funnels) {
        this.funnels = funnels;
    }

    /**
     * @param from  first day of the period, ISO date (UTC), required
     * @param to    last day of the period, ISO date (UTC), required; at most 366 days after {@code from}, both included
     * @param owner a rep's login (optional): reps may only name themselves; without it, managers get the whole
     *              subsidiary and reps their own opportunities
     * @param team  a sales team of the subsidiary (optional, not with {@code owner}): its members' opportunities;
     *              reps may only name their own team
     */
    @GET
    public FunnelDTO funnel(@Context SecurityContext sc, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("owner") String owner, @QueryParam("team") String team) {
        return funnels.funnel(CallerContext.of(sc.getUserPrincipal()), from, to, owner, team);
    }
}
