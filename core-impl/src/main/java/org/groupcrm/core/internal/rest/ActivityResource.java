package org.groupcrm.core.internal.rest;

import java.util.Locale;

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
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.activity.ActivityDTO;
import org.groupcrm.core.api.activity.ActivityService;
import org.groupcrm.core.api.activity.DueFilter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /activities}: follow-up reminders and work on single activities. */
@Component(service = ActivityResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("activities")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ActivityResource {

    @Reference
    ActivityService activities;

    /**
     * Open follow-up reminders of {@code owner} ({@code me} by default; another login for administrators), filtered by
     * {@code due}: {@code overdue}, {@code today}, {@code upcoming} (days in the subsidiary's time zone), or all when
     * absent; paged like the customer search.
     */
    @GET
    public Page<ActivityDTO> reminders(@Context SecurityContext sc, @QueryParam("owner") String owner,
            @QueryParam("due") String due, @QueryParam("page") String page, @QueryParam("size") String size) {
        CallerContext caller = Callers.of(sc);
        String login = owner == null || owner.isBlank() || "me".equals(owner) ? caller.login() : Params.text("owner", owner);
        return activities.reminders(caller, login, dueFilter(due), Params.page(page, size));
    }

    @GET
    @Path("{id}")
    public ActivityDTO get(@Context SecurityContext sc, @PathParam("id") long id) {
        return activities.get(Callers.of(sc), id);
    }

    @PUT
    @Path("{id}")
    public ActivityDTO update(@Context SecurityContext sc, @PathParam("id") long id, ActivityDTO body) {
        return activities.update(Callers.of(sc), id, body);
    }

    /** Marks the follow-up done. */
    @POST
    @Path("{id}/complete")
    public ActivityDTO complete(@Context SecurityContext sc, @PathParam("id") long id) {
        return activities.complete(Callers.of(sc), id);
    }

    @DELETE
    @Path("{id}")
    public ActivityDTO archive(@Context SecurityContext sc, @PathParam("id") long id) {
        return activities.archive(Callers.of(sc), id);
    }

    static DueFilter dueFilter(String due) {
        if (due == null || due.isBlank()) {
            return DueFilter.ALL;
        }
        try {
            return DueFilter.valueOf(due.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("due", "must be one of overdue, today, upcoming, all");
        }
    }
}
