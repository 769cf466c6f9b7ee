package org.groupcrm.core.internal.rest;

import java.net.URI;
import java.util.Locale;

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
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.approval.ApprovalDTO;
import org.groupcrm.core.api.approval.ApprovalDecisionDTO;
import org.groupcrm.core.api.approval.ApprovalQuery;
import org.groupcrm.core.api.approval.ApprovalService;
import org.groupcrm.core.api.approval.ApprovalStatus;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /approvals}: approval requests of the selected subsidiary, the reviewers' queues and their decisions. */
@Component(service = ApprovalResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("approvals")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApprovalResource {

    @Reference
    ApprovalService approvals;

    /** Submits a request; the caller is its submitter. */
    @POST
    public Response submit(@Context SecurityContext sc, ApprovalDTO body) {
        ApprovalDTO created = approvals.submit(Callers.of(sc), body);
        return Response.created(URI.create("approvals/" + created.id)).entity(created).build();
    }

    /**
     * {@code mine=pending}: what the caller may decide now, oldest first; {@code mine=submitted}: the caller's own
     * requests; without {@code mine}: every request of the subsidiary (administrators). Filters {@code type},
     * {@code status}; paged.
     */
    @GET
    public Page<ApprovalDTO> list(@Context SecurityContext sc, @QueryParam("mine") String mine,
            @QueryParam("type") String type, @QueryParam("status") String status,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        String t = type == null || type.isBlank() ? null : Params.text("type", type.strip());
        return approvals.list(Callers.of(sc), new ApprovalQuery(mine(mine), t, status(status), Params.page(page, size)));
    }

    @GET
    @Path("{id}")
    public ApprovalDTO get(@Context SecurityContext sc, @PathParam("id") long id) {
        return approvals.get(Callers.of(sc), id);
    }

    /** Approves the current step: body {@code {"comment": "...", "version": 1}}, comment optional. */
    @POST
    @Path("{id}/approve")
    public ApprovalDTO approve(@Context SecurityContext sc, @PathParam("id") long id, ApprovalDecisionDTO body) {
        return approvals.approve(Callers.of(sc), id, body);
    }

    /** Rejects the current step and the request: body {@code {"comment": "why", "version": 1}}. */
    @POST
    @Path("{id}/reject")
    public ApprovalDTO reject(@Context SecurityContext sc, @PathParam("id") long id, ApprovalDecisionDTO body) {
        return approvals.reject(Callers.of(sc), id, body);
    }

    /** The submitter takes a pending request back: body {@code {"version": 1}}, comment optional. */
    @POST
    @Path("{id}/withdraw")
    public ApprovalDTO withdraw(@Context SecurityContext sc, @PathParam("id") long id, ApprovalDecisionDTO body) {
        return approvals.withdraw(Callers.of(sc), id, body);
    }

    static ApprovalQuery.Mine mine(String mine) {
        if (mine == null || mine.isBlank()) {
            return null;
        }
        try {
            return ApprovalQuery.Mine.valueOf(mine.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("mine", "must be pending or submitted");
        }
    }

    static ApprovalStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return ApprovalStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("status", "must be one of pending, approved, rejected, withdrawn");
        }
    }
}
