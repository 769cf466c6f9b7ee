package org.groupcrm.plugins.pipeline.internal.rest;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.groupcrm.plugins.pipeline.internal.SettingsDTO;
import org.groupcrm.plugins.pipeline.internal.StalledService;
import org.groupcrm.plugins.pipeline.internal.StalledService.StalledOpportunity;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /pipeline/stalled}: open opportunities without activity for a while, for follow-up. The threshold is a
 * setting of the subsidiary at {@code /pipeline/settings} ({@link Settings}).
 */
@Component(service = StalledResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PipelineApplication.SELECT)
@Path("stalled")
@Produces(MediaType.APPLICATION_JSON)
public class StalledResource {

    @Reference
    StalledService stalled;

    /**
     * Stalled opportunities the caller sees (a rep their own, a manager the subsidiary's), longest without activity
     * first: at least {@code days} (1–365; default: the subsidiary's setting) without activity. Paged: {@code page}
     * (from 0), {@code size} (default 20, at most 200).
     */
    @GET
    public Page<StalledOpportunity> list(@Context SecurityContext sc, @QueryParam("days") String days,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        return stalled.list(CallerContext.of(sc.getUserPrincipal()), Params.integer("days", days),
                Params.page(page, size));
    }

    /** {@code /pipeline/settings}: the subsidiary's pipeline settings. */
    @Component(service = Settings.class)
    @JaxrsResource
    @JaxrsApplicationSelect(PipelineApplication.SELECT)
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Settings {

        @Reference
        StalledService stalled;

        @GET
        public SettingsDTO get(@Context SecurityContext sc) {
            return stalled.settings(CallerContext.of(sc.getUserPrincipal()));
        }

        /** Changes the settings (the MODIFY right over stages: managers by default). */
        @PUT
        @Consumes(MediaType.APPLICATION_JSON)
        public SettingsDTO put(@Context SecurityContext sc, SettingsDTO body) {
            return stalled.saveSettings(CallerContext.of(sc.getUserPrincipal()), body);
        }
    }
}
