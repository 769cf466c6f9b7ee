package org.groupcrm.core.internal.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
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

import org.groupcrm.core.api.customer.ContactDTO;
import org.groupcrm.core.api.customer.ContactService;
import org.groupcrm.core.internal.rest.openapi.ApiName;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /customers/{id}/contacts}: the contacts of one customer (see {@link CustomerResource} for the split). */
@Component(service = CustomerContactResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("customers/" + CustomerResource.ONE + "/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@ApiName("CustomerResource")
public class CustomerContactResource {

    @Reference
    ContactService contacts;

    @POST
    public Response createContact(@Context SecurityContext sc, @PathParam("id") long id, ContactDTO body) {
        ContactDTO created = contacts.create(Callers.of(sc), id, body);
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    public List<ContactDTO> listContacts(@Context SecurityContext sc, @PathParam("id") long id) {
        return contacts.list(Callers.of(sc), id);
    }

    @PUT
    @Path("{contactId}")
    public ContactDTO updateContact(@Context SecurityContext sc, @PathParam("id") long id,
            @PathParam("contactId") long contactId, ContactDTO body) {
        return contacts.update(Callers.of(sc), id, contactId, body);
    }

    @DELETE
    @Path("{contactId}")
    public ContactDTO archiveContact(@Context SecurityContext sc, @PathParam("id") long id,
            @PathParam("contactId") long contactId) {
        return contacts.archive(Callers.of(sc), id, contactId);
    }
}
