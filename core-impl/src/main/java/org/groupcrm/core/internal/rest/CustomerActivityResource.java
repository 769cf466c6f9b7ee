package org.groupcrm.core.internal.rest;

import java.net.URI;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.activity.ActivityDTO;
import org.groupcrm.core.api.activity.ActivityService;
import org.groupcrm.core.internal.rest.openapi.ApiName;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /customers/{id}/activities}: recording and listing one customer's activities (see {@link CustomerResource}
 * for the split; an activity by its own id is {@link ActivityResource}).
 */
@Component(service = CustomerActivityResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("customers/" + CustomerResource.ONE + "/activities")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@ApiName("CustomerResource")
public class CustomerActivityResource {

    @Reference
    ActivityService activities;

    /** Records an activity with the customer; {@code recordedAt} is set by the server. */
    @POST
    public Response createActivity(@Context SecurityContext sc, @PathParam("id") long id, ActivityDTO body) {
        ActivityDTO created = activities.create(Callers.of(sc), id, body);
        return Response.created(URI.create("activities/" + created.id)).entity(created).build();
    }

    /** The customer's activities, newest first. */
    @GET
    public Page<ActivityDTO> listActivities(@Context SecurityContext sc, @PathParam("id") long id,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        return activities.listForCustomer(Callers.of(sc), id, Params.page(page, size));
    }
}
