package org.groupcrm.core.internal.rest;

import java.util.List;

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

import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.customer.CustomerService;
import org.groupcrm.core.api.customer.OwnerChangeDTO;
import org.groupcrm.core.internal.rest.openapi.ApiName;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /customers/{id}}: one customer of the selected subsidiary (see {@link CustomerResource} for the split). */
@Component(service = CustomerRecordResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("customers/" + CustomerResource.ONE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@ApiName("CustomerResource")
public class CustomerRecordResource {

    @Reference
    CustomerService customers;

    @GET
    public CustomerDTO get(@Context SecurityContext sc, @PathParam("id") long id) {
        return customers.get(Callers.of(sc), id);
    }

    /** Replaces the writable fields; {@code version} must be the one read, else 409 and nothing changes. */
    @PUT
    public CustomerDTO update(@Context SecurityContext sc, @PathParam("id") long id, CustomerDTO body) {
        return customers.update(Callers.of(sc), id, body);
    }

    /** Archives the customer (records are never deleted through the API). */
    @DELETE
    public CustomerDTO archive(@Context SecurityContext sc, @PathParam("id") long id) {
        return customers.archive(Callers.of(sc), id);
    }

    /** The customer's owners over time, oldest first. */
    @GET
    @Path("owners")
    public List<OwnerChangeDTO> owners(@Context SecurityContext sc, @PathParam("id") long id) {
        return customers.owners(Callers.of(sc), id);
    }
}
