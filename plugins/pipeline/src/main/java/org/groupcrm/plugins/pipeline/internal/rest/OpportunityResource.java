package org.groupcrm.plugins.pipeline.internal.rest;

import java.net.URI;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.groupcrm.plugins.pipeline.internal.CommentDTO;
import org.groupcrm.plugins.pipeline.internal.MoveDTO;
import org.groupcrm.plugins.pipeline.internal.OpportunityDTO;
import org.groupcrm.plugins.pipeline.internal.OpportunityService;
import org.groupcrm.plugins.pipeline.internal.StageChangeDTO;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /pipeline/opportunities}: opportunities, their stage moves, wins and losses, history and comments. */
@Component(service = OpportunityResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PipelineApplication.SELECT)
@Path("opportunities")
@Produces(MediaType.APPLICATION_JSON)
public class OpportunityResource {

    @Reference
    OpportunityService opportunities;

    private static CallerContext caller(SecurityContext sc) {
        return CallerContext.of(sc.getUserPrincipal());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext sc, OpportunityDTO body) {
        OpportunityDTO created = opportunities.create(caller(sc), body);
        return Response.created(URI.create("opportunities/" + created.id)).entity(created).build();
    }

    /** Paged; a rep sees their own, a manager the subsidiary's. Filters: status, stage, owner, customer. */
    @GET
    public Page<OpportunityDTO> list(@Context SecurityContext sc, @QueryParam("status") String status,
            @QueryParam("stage") String stage, @QueryParam("owner") String owner, @QueryParam("customer") String customer,
            @QueryParam("archived") String archived, @QueryParam("page") String page, @QueryParam("size") String size) {
        return opportunities.list(caller(sc), Params.text("status", status), Params.text("stage", stage),
                Params.text("owner", owner), Params.longValue("customer", customer), Params.bool("archived", archived),
                Params.page(page, size));
    }

    @GET
    @Path("{id}")
    public OpportunityDTO get(@Context SecurityContext sc, @PathParam("id") String id) {
        return opportunities.get(caller(sc), id(id));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public OpportunityDTO update(@Context SecurityContext sc, @PathParam("id") String id, OpportunityDTO body) {
        return opportunities.update(caller(sc), id(id), body);
    }

    /** Archives the opportunity; it stays in the history and in past analyses. */
    @DELETE
    @Path("{id}")
    public Response archive(@Context SecurityContext sc, @PathParam("id") String id) {
        opportunities.archive(caller(sc), id(id));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/stage")
    @Consumes(MediaType.APPLICATION_JSON)
    public OpportunityDTO move(@Context SecurityContext sc, @PathParam("id") String id, MoveDTO body) {
        return opportunities.move(caller(sc), id(id), body);
    }

    @POST
    @Path("{id}/win")
    @Consumes(MediaType.APPLICATION_JSON)
    public OpportunityDTO win(@Context SecurityContext sc, @PathParam("id") String id, MoveDTO body) {
        return opportunities.win(caller(sc), id(id), body);
    }

    @POST
    @Path("{id}/lose")
    @Consumes(MediaType.APPLICATION_JSON)
    public OpportunityDTO lose(@Context SecurityContext sc, @PathParam("id") String id, MoveDTO body) {
        return opportunities.lose(caller(sc), id(id), body);
    }

    @GET
    @Path("{id}/history")
    public List<StageChangeDTO> history(@Context SecurityContext sc, @PathParam("id") String id) {
        return opportunities.history(caller(sc), id(id));
    }

    @GET
    @Path("{id}/comments")
    public List<CommentDTO> comments(@Context SecurityContext sc, @PathParam("id") String id) {
        return opportunities.comments(caller(sc), id(id));
    }

    @POST
    @Path("{id}/comments")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response comment(@Context SecurityContext sc, @PathParam("id") String id, CommentDTO body) {
        return Response.status(Response.Status.CREATED).entity(opportunities.comment(caller(sc), id(id), body)).build();
    }

    static long id(String id) {
        Long value = Params.longValue("id", id);
        if (value == null) {
            throw new org.groupcrm.core.api.ValidationException("id", "is required");
        }
        return value;
    }
}
