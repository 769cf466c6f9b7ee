package org.groupcrm.core.internal.rest;

import java.net.URI;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.subsidiary.SubsidiaryDTO;
import org.groupcrm.core.api.subsidiary.SubsidiaryService;
import org.groupcrm.core.api.subsidiary.SubsidiarySettingsDTO;
import org.groupcrm.core.api.user.Roles;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /subsidiaries}: the group's companies (created by group administrators), and each one's settings (its
 * administrators).
 */
@Component(service = SubsidiaryResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("subsidiaries")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SubsidiaryResource {

    @Reference
    SubsidiaryService subsidiaries;

    /** Creates a subsidiary: 201 with its location. */
    @POST
    public Response create(@Context SecurityContext sc, SubsidiaryDTO body) {
        SubsidiaryDTO created = subsidiaries.create(Callers.of(sc), body);
        return Response.created(URI.create("subsidiaries/" + created.code)).entity(created).build();
    }

    /** Lists every subsidiary (group administrators). */
    @GET
    public List<SubsidiaryDTO> list(@Context SecurityContext sc) {
        return subsidiaries.list(Callers.of(sc));
    }

    /** One subsidiary by code (group administrators). */
    @GET
    @Path("{code}")
    public SubsidiaryDTO get(@Context SecurityContext sc, @PathParam("code") String code) {
        if (!Callers.of(sc).hasRole(Roles.GROUP_ADMIN)) {
            throw new ForbiddenException("only group administrators may read subsidiaries");
        }
        return subsidiaries.findByCode(code).orElseThrow(() -> new NotFoundException("subsidiary", code));
    }

    /** A subsidiary's settings (its administrators and group administrators). */
    @GET
    @Path("{code}/settings")
    public SubsidiarySettingsDTO settings(@Context SecurityContext sc, @PathParam("code") String code) {
        return subsidiaries.settings(Callers.of(sc), code);
    }

    /** Changes a subsidiary's settings: {@code {"recordVisibility":"TEAM"}}; in force from the next request. */
    @PUT
    @Path("{code}/settings")
    public SubsidiarySettingsDTO changeSettings(@Context SecurityContext sc, @PathParam("code") String code,
            SubsidiarySettingsDTO body) {
        return subsidiaries.changeSettings(Callers.of(sc), code, body);
    }
}
