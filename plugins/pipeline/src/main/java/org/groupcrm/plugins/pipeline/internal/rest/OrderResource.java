package org.groupcrm.plugins.pipeline.internal.rest;

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

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.groupcrm.plugins.pipeline.internal.OrderDTO;
import org.groupcrm.plugins.pipeline.internal.OrderService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /pipeline/orders}: sales orders entered in the CRM, the basis of commission. */
@Component(service = OrderResource.class)
@JaxrsResource
@JaxrsApplicationSelect(PipelineApplication.SELECT)
@Path("orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    @Reference
    OrderService orders;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext sc, OrderDTO body) {
        OrderDTO created = orders.create(CallerContext.of(sc.getUserPrincipal()), body);
        return Response.created(URI.create("orders/" + created.id)).entity(created).build();
    }

    /** Paged; a rep sees their own, a manager the subsidiary's. Filters: rep, customer, from, to (order dates). */
    @GET
    public Page<OrderDTO> list(@Context SecurityContext sc, @QueryParam("rep") String rep,
            @QueryParam("customer") String customer, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        return orders.list(CallerContext.of(sc.getUserPrincipal()), Params.text("rep", rep),
                Params.longValue("customer", customer), Params.date("from", from), Params.date("to", to),
                Params.page(page, size));
    }

    @GET
    @Path("{id}")
    public OrderDTO get(@Context SecurityContext sc, @PathParam("id") String id) {
        return orders.get(CallerContext.of(sc.getUserPrincipal()), OpportunityResource.id(id));
    }
}
