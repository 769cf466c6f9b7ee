package org.groupcrm.core.internal.rest;

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

import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.activity.ActivityDTO;
import org.groupcrm.core.api.activity.ActivityService;
import org.groupcrm.core.api.customer.ContactDTO;
import org.groupcrm.core.api.customer.ContactService;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.customer.CustomerQuery;
import org.groupcrm.core.api.customer.CustomerService;
import org.groupcrm.core.api.customer.OwnerChangeDTO;
import org.groupcrm.core.api.customer.ReassignmentDTO;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /customers}: customers of the selected subsidiary, their contacts and their activities. */
@Component(service = CustomerResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("customers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CustomerResource {

    @Reference
    CustomerService customers;

    @Reference
    ContactService contacts;

    @Reference
    ActivityService activities;

    @POST
    public Response create(@Context SecurityContext sc, CustomerDTO body) {
        CustomerDTO created = customers.create(Callers.of(sc), body);
        return Response.created(URI.create("customers/" + created.id)).entity(created).build();
    }

    /** Searches by name (anywhere, case-insensitive) or phone (prefix); {@code size} is capped at 200. */
    @GET
    public Page<CustomerDTO> search(@Context SecurityContext sc, @QueryParam("q") String q, @QueryParam("owner") String owner,
            @QueryParam("archived") boolean archived, @QueryParam("page") String page, @QueryParam("size") String size) {
        String ownerLogin = "me".equals(owner) ? Callers.of(sc).login() : Params.text("owner", owner);
        return customers.search(Callers.of(sc),
                new CustomerQuery(Params.text("q", q), ownerLogin, archived, Params.page(page, size)));
    }

    /**
     * Moves customers from one rep to another (all of a leaving rep's, or the listed ones) with their open
     * activities and their open work in every module; administrators only.
     */
    @POST
    @Path("reassign")
    public ReassignmentDTO reassign(@Context SecurityContext sc, ReassignmentDTO body) {
        return customers.reassign(Callers.of(sc), body);
    }

    /** The customer's owners over time, oldest first. */
    @GET
    @Path("{id}/owners")
    public List<OwnerChangeDTO> owners(@Context SecurityContext sc, @PathParam("id") long id) {
        return customers.owners(Callers.of(sc), id);
    }

    @GET
    @Path("{id}")
    public CustomerDTO get(@Context SecurityContext sc, @PathParam("id") long id) {
        return customers.get(Callers.of(sc), id);
    }

    /** Replaces the writable fields; {@code version} must be the one read, else 409 and nothing changes. */
    @PUT
    @Path("{id}")
    public CustomerDTO update(@Context SecurityContext sc, @PathParam("id") long id, CustomerDTO body) {
        return customers.update(Callers.of(sc), id, body);
    }

    /** Archives the customer (records are never deleted through the API). */
    @DELETE
    @Path("{id}")
    public CustomerDTO archive(@Context SecurityContext sc, @PathParam("id") long id) {
        return customers.archive(Callers.of(sc), id);
    }

    @POST
    @Path("{id}/contacts")
    public Response createContact(@Context SecurityContext sc, @PathParam("id") long id, ContactDTO body) {
        ContactDTO created = contacts.create(Callers.of(sc), id, body);
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @Path("{id}/contacts")
    public List<ContactDTO> listContacts(@Context SecurityContext sc, @PathParam("id") long id) {
        return contacts.list(Callers.of(sc), id);
    }

    @PUT
    @Path("{id}/contacts/{contactId}")
    public ContactDTO updateContact(@Context SecurityContext sc, @PathParam("id") long id,
            @PathParam("contactId") long contactId, ContactDTO body) {
        return contacts.update(Callers.of(sc), id, contactId, body);
    }

    @DELETE
    @Path("{id}/contacts/{contactId}")
    public ContactDTO archiveContact(@Context SecurityContext sc, @PathParam("id") long id,
            @PathParam("contactId") long contactId) {
        return contacts.archive(Callers.of(sc), id, contactId);
    }

    /** Records an activity with the customer; {@code recordedAt} is set by the server. */
    @POST
    @Path("{id}/activities")
    public Response createActivity(@Context SecurityContext sc, @PathParam("id") long id, ActivityDTO body) {
        ActivityDTO created = activities.create(Callers.of(sc), id, body);
        return Response.created(URI.create("activities/" + created.id)).entity(created).build();
    }

    /** The customer's activities, newest first. */
    @GET
    @Path("{id}/activities")
    public Page<ActivityDTO> listActivities(@Context SecurityContext sc, @PathParam("id") long id,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        return activities.listForCustomer(Callers.of(sc), id, Params.page(page, size));
    }
}
