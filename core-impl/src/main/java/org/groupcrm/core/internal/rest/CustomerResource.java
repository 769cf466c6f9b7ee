package org.groupcrm.core.internal.rest;

import java.io.IOException;
import java.io.InputStream;
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
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
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
import org.groupcrm.core.internal.rest.openapi.ApiOperation;
import org.groupcrm.core.internal.service.CustomerImport;
import org.groupcrm.core.internal.service.CustomerImportDTO;
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

    @Reference
    CustomerImport imports;

    @POST
    public Response create(@Context SecurityContext sc, CustomerDTO body) {
        CustomerDTO created = customers.create(Callers.of(sc), body);
        return Response.created(URI.create("customers/" + created.id)).entity(created).build();
    }

    /** Creates many customers at once, all or none: CSV with a header row, or a JSON array of customers. */
    @POST
    @Path("import")
    @Consumes(MediaType.WILDCARD)
    @ApiOperation(status = 201, response = CustomerImportDTO.class, description = IMPORT_DOC, bodies = {
        @ApiOperation.Body(mediaType = CustomerRows.TEXT_CSV, type = String.class, description = "A header row naming"
                + " the columns (a customer's fields, e.g. name,phone,email,owner; case-insensitive), then one customer per"
                + " line (RFC 4180; UTF-8 unless the charset parameter says otherwise; an empty value is an absent field)"),
        @ApiOperation.Body(mediaType = MediaType.APPLICATION_JSON, type = CustomerDTO[].class)})
    public Response importCustomers(@Context SecurityContext sc, @Context HttpHeaders headers, InputStream body)
            throws IOException {
        CallerContext caller = Callers.of(sc);
        List<CustomerDTO> rows = CustomerRows.read(headers.getMediaType(), body, imports.maxRows());
        return Response.status(Response.Status.CREATED).entity(imports.importAll(caller, rows)).build();
    }

    static final String IMPORT_DOC = "Creates one customer per row in the caller's subsidiary, all in one transaction or"
            + " none: each row is checked as `POST /customers` checks one customer (fields, owner, exclusivity against the"
            + " subsidiary's live customers and the batch's earlier rows). Any problem refuses the whole batch: 400"
            + " `validation_failed` (an unknown or repeated CSV column, an empty batch, or invalid rows: `fields` lists"
            + " each problem with its 1-based `row`, `field` and `reason`), 409 `duplicate_customer` (rows whose phone or"
            + " configured key a live customer has, naming its owner, or an earlier row has), 413 `too_many_rows` (more"
            + " than `importMaxRows`, 10,000 by default) or 413 `payload_too_large` (a body over 16 MiB), 415 for other"
            + " media types. Answers 201 with the number created and their ids in row order. Each customer gets its audit"
            + " row in the same transaction and its `customer/CREATED` event after the commit.";

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
