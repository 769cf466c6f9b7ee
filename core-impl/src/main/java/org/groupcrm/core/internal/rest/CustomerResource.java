package org.groupcrm.core.internal.rest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.customer.CustomerQuery;
import org.groupcrm.core.api.customer.CustomerService;
import org.groupcrm.core.api.customer.ReassignmentDTO;
import org.groupcrm.core.internal.rest.openapi.ApiOperation;
import org.groupcrm.core.internal.service.CustomerImport;
import org.groupcrm.core.internal.service.CustomerImportDTO;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /customers}: the customers of the selected subsidiary as a collection (search, create, import, reassign).
 * One customer is {@link CustomerRecordResource}, its contacts {@link CustomerContactResource} and its activities
 * {@link CustomerActivityResource}: the JAX-RS runtime picks the class by path first and then tries each of its
 * methods, so a request tries only the few operations of its own path. When one class held all 15 operations,
 * method selection was 12 % of the CPU samples of {@code GET /customers/{id}}; with the split it is 5-6 %
 * (bench/RESULTS.md). All four classes are documented as {@code CustomerResource}, with the same operationIds.
 */
@Component(service = CustomerResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("customers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CustomerResource {
    /**
     * The path of one customer below {@code /customers}: digits only, so that {@code import} and {@code reassign} stay
     * with this class instead of being taken for an id by the more specific {@code customers/{id}}.
     */
    static final String ONE = "{id: -?[0-9]+}";

    @Reference
    CustomerService customers;

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
}
