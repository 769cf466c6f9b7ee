package org.groupcrm.core.internal.rest;

import java.util.List;

import javax.ws.rs.Consumes;
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

import org.groupcrm.core.api.user.UserDTO;
import org.groupcrm.core.api.user.UserService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /users}: CRM users, for administrators. Passwords are accepted on create and never returned. */
@Component(service = UserResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    @Reference
    UserService users;

    @POST
    public Response create(@Context SecurityContext sc, UserDTO body) {
        UserDTO created = users.create(Callers.of(sc), body);
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    public List<UserDTO> list(@Context SecurityContext sc) {
        return users.list(Callers.of(sc));
    }

    /** The user can no longer sign in; their records stay (reassign them with {@code POST /customers/reassign}). */
    @POST
    @Path("{login}/disable")
    public UserDTO disable(@Context SecurityContext sc, @PathParam("login") String login) {
        return users.setEnabled(Callers.of(sc), login, false);
    }

    @POST
    @Path("{login}/enable")
    public UserDTO enable(@Context SecurityContext sc, @PathParam("login") String login) {
        return users.setEnabled(Callers.of(sc), login, true);
    }

    /** {@code {"team":"east"}} puts the user in that team of their home subsidiary; {@code {"team":null}} in none. */
    @PUT
    @Path("{login}/team")
    public UserDTO team(@Context SecurityContext sc, @PathParam("login") String login, TeamDTO body) {
        if (body == null) {
            throw new org.groupcrm.core.api.ValidationException("team", "a body {\"team\": ...} is required");
        }
        return users.setTeam(Callers.of(sc), login, body.team);
    }

    /** {@code {"reps":["li.wei"]}}: the reps a sales assistant works for (replaces the set; {@code []} for none). */
    @PUT
    @Path("{login}/reps")
    public UserDTO reps(@Context SecurityContext sc, @PathParam("login") String login, RepsDTO body) {
        if (body == null) {
            throw new org.groupcrm.core.api.ValidationException("reps", "a body {\"reps\": [...]} is required");
        }
        return users.setReps(Callers.of(sc), login, body.reps);
    }

    /** Body of {@code PUT /users/{login}/reps}. */
    public static class RepsDTO {
        /** Logins of the reps; {@code []} for none. */
        public java.util.Set<String> reps;
    }

    /** Body of {@code PUT /users/{login}/team}. */
    public static class TeamDTO {
        /** Team code, or {@code null} for no team. */
        public String team;
    }
}
