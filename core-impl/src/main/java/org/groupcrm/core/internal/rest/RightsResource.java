package org.groupcrm.core.internal.rest;

import java.util.List;
import java.util.Set;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.user.GrantDTO;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.groupcrm.core.internal.rest.openapi.ApiOperation;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /subsidiaries/{code}/rights}: what each position may do with each resource type in one subsidiary, and the
 * subsidiary's adjustments of the shipped defaults.
 */
@Component(service = RightsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("subsidiaries/{code}/rights")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RightsResource {

    @Reference
    RightsService rights;

    /** Every installed resource type × every position, with the rights in force and the shipped default. */
    @GET
    @ApiOperation(description = "Every installed resource type (the core's and the modules') × every position: the"
            + " rights in force in the subsidiary, the shipped default, and whether the subsidiary adjusted it."
            + " Group administrators, and the subsidiary's own administrators.")
    public List<GrantDTO> grants(@Context SecurityContext sc, @PathParam("code") String code) {
        return rights.grants(Callers.of(sc), code);
    }

    /** The caller's own rights in the subsidiary they act in, per installed resource type. */
    @GET
    @Path("mine")
    @ApiOperation(description = "The rights the caller holds over each installed resource type in the subsidiary they"
            + " act in (the X-Subsidiary header); {code} must be that subsidiary, any other is 403. For every user.")
    public java.util.Map<String, Set<Right>> mine(@Context SecurityContext sc, @PathParam("code") String code) {
        CallerContext caller = Callers.of(sc);
        if (!code.equals(caller.subsidiary())) {
            // refused like the other subsidiary paths: the same answer whether the code exists or not
            throw new ForbiddenException(caller.subsidiary() == null
                    ? "you act in no subsidiary: select one with the X-Subsidiary header, then ask for its rights"
                    : "you act in subsidiary " + caller.subsidiary() + ": ask for its rights (another is selected with"
                            + " the X-Subsidiary header)");
        }
        java.util.Map<String, Set<Right>> mine = new java.util.TreeMap<>();
        for (String type : rights.resourceTypes()) {
            mine.put(type, rights.rightsOf(caller, type));
        }
        return mine;
    }

    /** Adjusts one grant: {@code {"rights":["ENTER","QUERY"]}} (the complete new list; empty grants nothing). */
    @PUT
    @Path("{resourceType}/{position}")
    @ApiOperation(description = "Adjusts what a position may do with a resource type in the subsidiary:"
            + " `{\"rights\":[\"ENTER\",\"QUERY\"]}`, the complete new list (empty: nothing). In force on the next"
            + " request; audited (entity `right-grant`, id `<resourceType>/<position>`). Nobody grants a right they do"
            + " not hold; the grants of subsidiary administrators are adjusted by group administrators only.")
    public GrantDTO grant(@Context SecurityContext sc, @PathParam("code") String code,
            @PathParam("resourceType") String resourceType, @PathParam("position") String position, GrantDTO body) {
        if (body == null) {
            throw new ValidationException("rights", "send {\"rights\":[...]}, the complete new list of rights");
        }
        return rights.grant(Callers.of(sc), code, resourceType, position, body.rights);
    }

    /** Drops the subsidiary's adjustment of one grant: the shipped default is in force again. */
    @DELETE
    @Path("{resourceType}/{position}")
    @ApiOperation(description = "Drops the subsidiary's adjustment: the shipped default is in force again; audited.")
    public GrantDTO reset(@Context SecurityContext sc, @PathParam("code") String code,
            @PathParam("resourceType") String resourceType, @PathParam("position") String position) {
        return rights.reset(Callers.of(sc), code, resourceType, position);
    }
}
